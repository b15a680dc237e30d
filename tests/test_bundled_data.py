"""Invariants of the bundled data (wpq/data/*.yaml): it loads, cites, and counts money once.

The data is still growing, so these tests state rules, not counts; the one count checked
(17 countries in 6 regions) is the one the source itself states.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
from conftest import every_record, walk

from wpq import query
from wpq.loader import bundled_paths, load_dataset
from wpq.model import Dataset


def cited_sources(ds: Dataset) -> Iterator[tuple[str, str]]:
    """(where, source id) for every citation anywhere in any record."""
    for name, key, record in every_record(ds):
        if name == "sources":
            continue
        for path, mapping in walk(msgspec.to_builtins(record)):
            for source in [*(mapping.get("sources") or []), *(mapping.get("stage_sources") or [])]:
                yield f"{name}/{key}{path}", source
            if isinstance(mapping.get("source"), str):
                yield f"{name}/{key}{path}", mapping["source"]


def test_there_is_bundled_data() -> None:
    assert bundled_paths()


def test_bundled_data_loads_and_validates_with_iso_codes(bundled: Dataset) -> None:
    # the fixture itself loads with check_codes=True; a DataError would fail every test here
    assert bundled.events
    assert bundled.pledges
    assert load_dataset(bundled=True, check_codes=True) == bundled


@pytest.mark.parametrize("collection", ["events", "pledges", "programmes", "figures"])
def test_every_record_cites_sources_that_resolve(bundled: Dataset, collection: str) -> None:
    known = {s.id for s in bundled.sources}
    for record in bundled.collection(collection):
        sources = record.sources  # type: ignore[attr-defined]
        assert sources, f"{collection}/{record.id} has no sources"  # type: ignore[attr-defined]
        assert set(sources) <= known, record.id  # type: ignore[attr-defined]


def test_every_citation_anywhere_resolves(bundled: Dataset) -> None:
    known = {s.id for s in bundled.sources}
    unknown = [(where, source) for where, source in cited_sources(bundled) if source not in known]
    assert unknown == []


def test_every_source_is_used(bundled: Dataset) -> None:
    used = {source for _, source in cited_sources(bundled)}
    unused = [s.id for s in bundled.sources if s.id not in used]
    assert unused == []


def test_every_inferred_fact_has_a_note(bundled: Dataset) -> None:
    silent = [
        f"{name}/{key}{path}"
        for name, key, record in every_record(bundled)
        for path, mapping in walk(msgspec.to_builtins(record))
        if mapping.get("evidence") == "inferred"
        and not (mapping.get("note") or mapping.get("notes"))
    ]
    assert silent == []


def uk_family(ds: Dataset) -> set[str]:
    """The UK government and every organisation part of it, worked out from the data alone."""
    (uk,) = [
        o.id
        for o in ds.organisations
        if o.kind == "government" and o.country == "GB" and o.part_of is None
    ]
    family, grew = {uk}, True
    while grew:
        more = {o.id for o in ds.organisations if o.part_of in family} - family
        family |= more
        grew = bool(more)
    return family


def test_uk_gbp_total_counts_each_tranche_once(bundled: Dataset) -> None:
    family = uk_family(bundled)
    uk_money = [
        p for p in bundled.pledges if p.by in family and p.kind == "funding" and p.currency == "GBP"
    ]
    expected = sum(p.amount or 0 for p in uk_money if p.part_of is None)
    assert expected > 0

    pledges = query.funding(bundled, by="UK")
    assert {p.id for p in pledges} >= {p.id for p in uk_money}
    pledged = query.totals_by_currency(bundled, pledges, measure="pledged")
    assert {t["currency"]: t["amount"] for t in pledged}["GBP"] == expected
    summary = query.group_funding(bundled, pledges, "donor")
    assert {"currency": "GBP", "amount": expected} in summary["pledged"]

    # tranches are money already inside their parent: no tranche exceeds what it is part of
    by_id = {p.id: p for p in bundled.pledges}
    for tranche in (p for p in uk_money if p.part_of):
        parent = by_id[tranche.part_of]  # type: ignore[index]
        assert parent.currency == tranche.currency
        assert (tranche.amount or 0) <= (parent.amount or 0)


def test_cli_reports_the_same_uk_total(bundled: Dataset, run: Any) -> None:
    import json

    family = uk_family(bundled)
    expected = sum(
        p.amount or 0
        for p in bundled.pledges
        if p.by in family and p.currency == "GBP" and p.part_of is None
    )
    code, out, _ = run("funding", "--donor", "UK", "--summary", "--json")
    assert code == 0
    assert {"currency": "GBP", "amount": expected} in json.loads(out)["pledged"]


def test_unicef_programme_has_17_countries_in_6_regions(bundled: Dataset) -> None:
    programme_id = query.match("unicef", query.programme_candidates(bundled), "programme").id
    programme = next(p for p in bundled.programmes if p.id == programme_id)
    assert len(programme.countries) == 17
    assert len({c.country for c in programme.countries}) == 17
    assert len(programme.regions) == 6
    assert {c.region for c in programme.countries} == {r.id for r in programme.regions}
    rows = query.country_rows(bundled, programme="unicef")
    assert len(rows) == 17
    assert all(r["region_name"] for r in rows)


def test_namibia_is_na_not_null(bundled: Dataset, run: Any) -> None:
    import json

    (namibia,) = [c for c in bundled.countries if c.name == "Namibia"]
    assert namibia.code == "NA"
    assert namibia.iso3 == "NAM"
    code, out, _ = run("countries", "--json")
    assert code == 0
    rows = [r for r in json.loads(out) if r["name"] == "Namibia"]
    assert rows
    assert all(r["code"] == "NA" for r in rows)


def test_country_codes_are_quoted_text_everywhere(bundled: Dataset) -> None:
    # "NO" and "NA" would be read as false/null by a YAML 1.1 loader if left bare
    codes = {c.code for c in bundled.countries}
    assert all(isinstance(code, str) and len(code) == 2 for code in codes)
    used = {o.country for o in bundled.organisations if o.country}
    used |= {e.country for e in bundled.events if e.country}
    used |= {c.country for p in bundled.programmes for c in p.countries}
    assert used <= codes


# ---------------------------------------------------------------- sources

COPY = re.compile(r"\b(copy|mirror|reprint|repost)\b", re.I)


def test_every_source_has_a_url_unless_its_note_says_why_not(bundled: Dataset) -> None:
    unexplained = [
        s.id
        for s in bundled.sources
        if not s.url and not (s.note and re.search(r"address|url|not found", s.note, re.I))
    ]
    assert unexplained == []


def test_every_copy_or_mirror_says_whether_the_original_was_found(bundled: Dataset) -> None:
    copies = [s for s in bundled.sources if COPY.search(f"{s.title} {s.publisher}")]
    assert len(copies) >= 10, (
        "the pattern no longer finds the copies: this test would prove nothing"
    )
    silent = [s.id for s in copies if not s.note]
    assert silent == []


# ---------------------------------------------------------------- coverage in time


def test_the_timeline_has_an_entry_in_every_year_from_2012_to_2025(run: Any) -> None:
    import json

    code, out, _ = run("timeline", "--json")
    assert code == 0
    years = {row["year"] for row in json.loads(out)}
    assert set(range(2012, 2026)) - years == set()


# ---------------------------------------------------------------- programme regions


def test_every_programme_region_is_sourced_or_marked_inferred(bundled: Dataset) -> None:
    """A region the programme's own sources give is stated and cited on the entry; one we
    assigned is marked inferred, says so in a note and cites the page it rests on."""
    wrong = [
        f"{p.id}/{c.country}"
        for p in bundled.programmes
        for c in p.countries
        if c.region
        and not (
            c.sources and (c.evidence == "stated" or (c.notes and "assigned by us" in c.notes))
        )
    ]
    assert wrong == []
    regional = [c for p in bundled.programmes for c in p.countries if c.region]
    assert any(c.evidence == "inferred" for c in regional)
    assert any(c.evidence == "stated" for c in regional)


def test_unicef_programme_regions_are_all_our_assignment(bundled: Dataset) -> None:
    # UNICEF names the programme's 17 countries and says "6 regions", never which.
    (programme,) = [p for p in bundled.programmes if p.id == "unicef-global-programme"]
    assert {c.evidence for c in programme.countries} == {"inferred"}


# ---------------------------------------------------------------- disagreements


def shown_conflicts(ds: Dataset) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """(collection, id, texts the show card must contain) for every recorded disagreement:
    a dispute's field and value, or the id of a conflicting figure."""
    for name, key, record in every_record(ds):
        for dispute in getattr(record, "disputes", ()):
            yield name, key, (f"Field: {dispute.field}", f"Value: {dispute.value}")
        for other in getattr(record, "conflicts_with", ()):
            yield name, key, (other,)


def test_every_recorded_conflict_is_visible_in_wpq_show(
    bundled: Dataset, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # a wide card: no value is wrapped
    conflicts = list(shown_conflicts(bundled))
    assert len(conflicts) >= 60
    hidden = []
    for name, key, texts in conflicts:
        _, card, _ = run("show", key, "--collection", name, "--format", "table")
        _, tsv, _ = run("show", key, "--collection", name)
        value = texts[-1].removeprefix("Value: ")
        if not all(text in card for text in texts) or value not in tsv:
            hidden.append(f"{name}/{key}: {texts}")
    assert hidden == []


def test_the_other_side_of_a_figure_conflict_shows_who_refers_to_it(
    bundled: Dataset, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    pairs = [(f.id, other) for f in bundled.figures for other in f.conflicts_with]
    assert pairs
    unseen = []
    for figure, other in pairs:
        _, card, _ = run("show", other, "--collection", "figures", "--format", "table")
        if f"figures/{figure} (conflicts_with)" not in card:
            unseen.append((figure, other))
    assert unseen == []
