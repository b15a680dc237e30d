"""The second fact-check of the data (issue 22), each fix pinned by what it means: what a
figure measures, whose words a quote holds, a dispute kept beside the value we keep.

Item 5 (the Human Dignity Foundation's money) and the money stages belong to the money
records; item 6 (an inference in a grant's note) is in pledges.yaml as well.
"""

from __future__ import annotations

import json
from typing import Any

from wpq.model import Dataset, Event, Figure, Source


def figure(ds: Dataset, key: str) -> Figure:
    (found,) = [f for f in ds.figures if f.id == key]
    return found


def event(ds: Dataset, key: str) -> Event:
    (found,) = [e for e in ds.events if e.id == key]
    return found


def source(ds: Dataset, key: str) -> Source:
    (found,) = [s for s in ds.sources if s.id == key]
    return found


def figures_json(run: Any, *args: str) -> dict[str, dict[str, Any]]:
    result = run("figures", "--json", *args)
    assert result.code == 0, result.err
    return {row["id"]: row for row in json.loads(result.out)}


# ---------------------------------------------------------------- 1. Childlight 2025


def test_the_western_europe_share_is_rape_or_sexual_assault_by_18_not_online_harm(
    run: Any,
) -> None:
    rows = figures_json(run, "--about", "Into the Light 2025")
    row = rows["childlight-western-europe-share-2025"]
    measured = f"{row['statement']} {row['unit']}".lower()
    assert row["value"] == 6.7
    assert all(word in measured for word in ("rape", "sexual", "assault", "18"))
    assert "affected" not in row["statement"]
    assert "childlight-into-the-light-2025" in row["sources"]  # the report gives 6.7, not ~7
    assert row["as_of"] == "2025-10-07"
    assert row["reported_at"] == "into-the-light-western-europe-2025"


def test_the_2025_index_is_dated_when_childlight_released_it(bundled: Dataset) -> None:
    released = event(bundled, "into-the-light-western-europe-2025")
    assert released.start == "2025-10-07"
    release = source(bundled, "childlight-newsroom-2025-10-07")
    assert (release.publisher, release.published) == ("Childlight", "2025-10-07")
    assert release.id in released.sources


def test_the_2025_index_adds_its_online_and_south_asian_figures(run: Any) -> None:
    rows = figures_json(run, "--about", "into-the-light-western-europe-2025")
    online = rows["childlight-western-europe-online-2025"]
    assert online["value"] == 19.6
    assert "online" in online["unit"] and "groom" in online["unit"] and "18" in online["unit"]
    south_asia = rows["childlight-south-asia-share-2025"]
    assert south_asia["value"] == 12.5
    assert all(c in south_asia["unit"] for c in ("India", "Nepal", "Sri Lanka"))
    assert "childlight-into-the-light-2025" in south_asia["sources"]


# ---------------------------------------------------------------- 2. Stanfield's files


def test_stanfields_words_are_quoted_and_are_about_files(bundled: Dataset) -> None:
    (quote,) = [q for q in event(bundled, "into-the-light-2024").quotes if q.by == "Paul Stanfield"]
    assert "files are on average reported" in quote.text and "once every second" in quote.text
    assert "chief executive" in (quote.role or "").lower()
    said = figure(bundled, "childlight-reports-per-second-stanfield")
    assert "files" in said.unit and "chief executive" in said.statement
    assert "cases" not in said.statement
    assert quote.source in said.sources and said.reported_at == "into-the-light-2024"


def test_g5_sets_files_against_cases_and_says_so(bundled: Dataset) -> None:
    said = figure(bundled, "childlight-reports-per-second-stanfield")
    site = figure(bundled, "childlight-reports-per-second-site")
    assert "cases" in site.unit and "files" in said.unit
    assert site.id in said.conflicts_with and said.id in site.conflicts_with
    for note in (said.note or "", site.note or ""):
        assert "files" in note and "cases" in note


# ---------------------------------------------------------------- 3. in their lifetime


def test_the_offending_figures_keep_the_lifetime_qualifier(bundled: Dataset) -> None:
    for country in ("us", "uk", "australia"):
        found = figure(bundled, f"childlight-men-offending-{country}-2024")
        assert "lifetime" in (found.period or ""), found.id
        assert "at some point in their lifetime" in found.statement, found.id
        assert "could" in found.statement  # behaviour that could count as offending


# ---------------------------------------------------------------- 4. Rome 2017's 150 delegates


def test_the_150_delegates_cite_jesuits_in_britain(bundled: Dataset) -> None:
    (delegates,) = [p for p in event(bundled, "rome-2017").participants if p.count == 150]
    jesuits = source(bundled, delegates.source or "")
    assert jesuits.publisher == "Jesuits in Britain"
    assert jesuits.url == "https://jesuit.org.uk/child-dignity-digital-world"
    blog = source(bundled, "aaog-blog-rome-2017")  # still cited, and no longer says none was found
    assert jesuits.id in (blog.note or "") and "no page" not in (blog.note or "")


# ---------------------------------------------------------------- 7. who chaired the taskforce


def test_the_taskforce_chair_is_a_dispute_beside_the_governments_account(
    bundled: Dataset, run: Any
) -> None:
    meeting = event(bundled, "us-uk-taskforce-2013")
    chairs = {s.name for s in meeting.speakers if "co-chair" in (s.role or "")}
    assert chairs == {"Damian Green", "Mythili Raman"}
    cited = {s.source for s in meeting.speakers if s.name in chairs}
    assert cited == {"pauldavisoncrime-2013-12-11"}  # the Justice Department's release
    (other,) = [d for d in meeting.disputes if "Shields" in str(d.value)]
    assert other.field == "speakers" and "chair" in str(other.value)
    assert other.sources == ("weprotect-history",) and other.note
    shown = json.loads(run("show", "us-uk-taskforce-2013", "--json").out)
    assert any("Shields" in str(d["value"]) for d in shown["record"]["disputes"])


# ---------------------------------------------------------------- 8. G14 and G17 structured


def test_g17_safe_onlines_start_is_a_dispute(bundled: Dataset) -> None:
    start = event(bundled, "safe-online-launch-2016")
    assert start.start == "2016" and "end-violence-safe-online" in start.sources
    (other,) = [d for d in start.disputes if d.field == "start"]
    assert other.value == "2017" and "end-violence-2021-open-call" in other.sources


def test_g14_how_often_the_assessment_appears_is_a_conflict_both_ways(bundled: Dataset) -> None:
    biennial = figure(bundled, "gta-frequency-biennial")
    biannual = figure(bundled, "gta-frequency-biannual")
    assert (biennial.value, biennial.value_text) == (2, "biennial")
    assert (biannual.value, biannual.value_text) == (0.5, "biannual")
    assert biannual.id in biennial.conflicts_with and biennial.id in biannual.conflicts_with
    assert biennial.unit == biannual.unit and "years between" in biennial.unit


# ---------------------------------------------------------------- coverage


def test_the_2023_european_survey_is_recorded(run: Any) -> None:
    row = figures_json(run, "--about", "four European countries")["europe-survey-any-harm-2023"]
    assert row["value"] == 68 and row["measured_by"] == "economist-impact"
    assert "18" in row["unit"] and row["as_of"].startswith("2023")
    assert all(c in row["statement"] for c in ("France", "Germany", "Netherlands", "Poland"))
    assert "oursaferschools-2023-06-13" in row["sources"]


def test_the_iwf_portals_grants_lockdown_year_is_marked_as_our_inference(bundled: Dataset) -> None:
    """Issue 22 item 6: the page on Senegal's portal is undated; 2020 is our reading."""
    (grant,) = (p for p in bundled.pledges if p.id == "fund-grant-iwf-portals-2017")
    assert grant.evidence == "inferred"
    assert "2020" in (grant.note or "") and "inference" in (grant.note or "")
