"""Unit tests of wpq.query on the mini dataset (tests/fixtures/mini)."""

from __future__ import annotations

from itertools import cycle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpq import query
from wpq.errors import UsageError
from wpq.loader import load_dataset
from wpq.model import Dataset

# No example database in the tree, and no deadlines: tests never time things.
PROPERTIES = settings(database=None, deadline=None, max_examples=60)
# Hypothesis strategies are built at import time, so they read the data themselves.
MINI_DIR = Path(__file__).resolve().parent / "fixtures" / "mini"
DS = load_dataset([MINI_DIR], bundled=False)


def ids(records: object) -> list[str]:
    return [r.id for r in records]  # type: ignore[attr-defined]


# ---------------------------------------------------------------- name matching


@pytest.mark.parametrize(
    "text",
    [
        "uk-gov",  # exact id
        "Government of the United Kingdom",  # exact name
        "UK",  # alias
        "united kingdom",  # alias, any case
        "GB",  # ISO 3166-1 alpha-2 of a government
        "gbr",  # alpha-3, any case
        "  UK ",  # surrounding spaces
    ],
)
def test_organisation_matches_by_id_name_alias_and_iso_code(mini: Dataset, text: str) -> None:
    assert query.match_organisation(mini, text) == "uk-gov"


@pytest.mark.parametrize("text", ["NO", "nor", "Norway", "norway-gov"])
def test_quoted_no_names_norway(mini: Dataset, text: str) -> None:
    assert query.match_organisation(mini, text) == "norway-gov"


def test_iso_code_names_the_government_not_its_ministries(mini: Dataset) -> None:
    # The Home Office is in GB too, but "GB" must not be ambiguous.
    home_office = next(o for o in mini.organisations if o.id == "home-office")
    assert home_office.country == "GB"
    assert query.match_organisation(mini, "GB") == "uk-gov"


@pytest.mark.parametrize("text", ["ACME CORPORATION", "acmé corporation", "Acme Corporation"])
def test_matching_ignores_case_and_accents(mini: Dataset, text: str) -> None:
    assert query.match_organisation(mini, text) == "acme-corp"


@pytest.mark.parametrize("text", ["cote d'ivoire", "CÔTE D'IVOIRE", "civ", "ci"])
def test_country_matching_ignores_case_and_accents(mini: Dataset, text: str) -> None:
    assert query.match(text, query.country_candidates(mini), "country").id == "CI"


@pytest.mark.parametrize(("text", "meant"), [("home", "home-office"), ("acm", "acme-corp")])
def test_a_prefix_is_never_taken_but_named(mini: Dataset, text: str, meant: str) -> None:
    with pytest.raises(UsageError, match=f"could mean {meant} ") as error:
        query.match_organisation(mini, text)
    assert error.value.exit_status == 2


def test_a_part_of_a_name_is_never_taken_but_named(mini: Dataset) -> None:
    with pytest.raises(UsageError, match="could mean global-safety-alliance"):
        query.match_organisation(mini, "safety")


def test_an_exact_name_is_taken_a_part_of_several_lists_them_all(mini: Dataset) -> None:
    # "fund" is in "Global Child Fund" and in UNICEF's alias "United Nations Children's Fund".
    with pytest.raises(UsageError, match="could mean any of 2: ") as error:
        query.match_organisation(mini, "fund")
    assert "child-fund (Global Child Fund)" in str(error.value)
    assert str(error.value).endswith("; unicef")
    assert query.match_organisation(mini, "Global Child Fund") == "child-fund"
    assert query.match_organisation(mini, "United Nations Children's Fund") == "unicef"


def test_words_that_could_mean_several_list_every_one(mini: Dataset) -> None:
    with pytest.raises(UsageError) as caught:
        query.match_organisation(mini, "global", "donor")
    message = str(caught.value)
    assert message.startswith("unknown donor 'global': no donor is called exactly that")
    assert "child-fund (Global Child Fund)" in message
    assert "global-safety-alliance (Global Safety Alliance)" in message
    assert caught.value.exit_status == 2


def test_unknown_name_is_a_usage_error_with_a_suggestion(mini: Dataset) -> None:
    with pytest.raises(UsageError) as caught:
        query.match_organisation(mini, "Norwya", "donor")
    message = str(caught.value)
    assert message.startswith("unknown donor 'Norwya'")
    assert "did you mean" in message
    assert "norway-gov" in message


def test_unknown_name_without_anything_close_lists_the_few_there_are(mini: Dataset) -> None:
    with pytest.raises(UsageError, match=r"^unknown organisation 'zzzzqqq'; the ") as error:
        query.match_organisation(mini, "zzzzqqq")
    for org in mini.organisations:
        assert org.id in str(error.value)


def test_unknown_name_among_many_counts_them_and_names_the_listing(bundled: Dataset) -> None:
    with pytest.raises(UsageError) as error:
        query.match_organisation(bundled, "zzzzqqq")
    message = str(error.value)
    assert f"none of the {len(bundled.organisations)} organisations" in message
    assert "wpq organisations" in message
    assert "and 60 more" not in message


def test_empty_name_is_an_error_not_no_filter(mini: Dataset) -> None:
    for blank in ("", " "):
        with pytest.raises(UsageError, match="needs a name"):
            query.match_organisation(mini, blank)


def test_programme_matches_by_alias(mini: Dataset) -> None:
    assert (
        query.match("MINIP", query.programme_candidates(mini), "programme").id == "mini-programme"
    )


@given(
    org=st.sampled_from(DS.organisations),
    flips=st.lists(st.booleans(), min_size=1, max_size=16),
)
@PROPERTIES
def test_any_casing_of_an_id_or_name_matches_the_same_organisation(
    org: object, flips: list[bool]
) -> None:
    for text in (org.id, org.name):  # type: ignore[attr-defined]
        cased = "".join(c.swapcase() if f else c for c, f in zip(text, cycle(flips)))
        assert query.match_organisation(DS, cased) == org.id  # type: ignore[attr-defined]


# ---------------------------------------------------------------- organisations


def test_with_parts_includes_sub_organisations(mini: Dataset) -> None:
    assert query.with_parts(mini, "uk-gov") == {"uk-gov", "home-office"}
    assert query.with_parts(mini, "home-office") == {"home-office"}


def test_root_organisation_climbs_part_of(mini: Dataset) -> None:
    assert query.root_organisation(mini, "home-office") == "uk-gov"
    assert query.root_organisation(mini, "uk-gov") == "uk-gov"


# ---------------------------------------------------------------- events


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["london-2014", "oslo-2015", "fund-launch-2016", "winter-meeting-2019"]),
        ({"year": 2014}, ["london-2014"]),
        # 2019-12-30 to 2020-01-02 overlaps both years
        ({"year": 2019}, ["winter-meeting-2019"]),
        ({"year": 2020}, ["winter-meeting-2019"]),
        ({"year": 2017}, []),
        ({"from_year": 2015, "to_year": 2016}, ["oslo-2015", "fund-launch-2016"]),
        ({"from_year": 2016}, ["fund-launch-2016", "winter-meeting-2019"]),
        ({"to_year": 2015}, ["london-2014", "oslo-2015"]),
        ({"from_year": 2020, "to_year": 2021}, ["winter-meeting-2019"]),
        ({"host": "UK"}, ["london-2014", "winter-meeting-2019"]),  # the Home Office hosted 2019
        ({"host": "home office"}, ["winter-meeting-2019"]),
        ({"host": "NO"}, ["oslo-2015"]),
        ({"country": "Norway"}, ["oslo-2015"]),
        ({"country": "GBR"}, ["london-2014", "winter-meeting-2019"]),
        ({"country": "gb", "year": 2014}, ["london-2014"]),
        ({"kind": "summit"}, ["london-2014"]),
        ({"kind": "LAUNCH"}, ["fund-launch-2016"]),
        ({"kind": "meeting"}, ["winter-meeting-2019"]),
        ({"year": [2014, 2016]}, ["london-2014", "fund-launch-2016"]),  # any of the years
        ({"country": "Ireland"}, []),  # a real country no record uses: nothing, no error
        ({"host": "Ireland"}, []),  # ...nor its government
    ],
)
def test_filter_events(mini: Dataset, filters: dict[str, object], expected: list[str]) -> None:
    assert ids(query.filter_events(mini, **filters)) == expected  # type: ignore[arg-type]


def test_filter_events_unknown_kind_is_a_usage_error(mini: Dataset) -> None:
    with pytest.raises(UsageError, match="unknown event kind 'party'"):
        query.filter_events(mini, kind="party")


def test_filter_events_unknown_host(mini: Dataset) -> None:
    with pytest.raises(UsageError, match="unknown host"):
        query.filter_events(mini, host="Atlantis")


def test_event_row_has_record_fields_and_display_names(mini: Dataset) -> None:
    event = next(e for e in mini.events if e.id == "winter-meeting-2019")
    row = query.event_row(mini, event)
    assert row["id"] == "winter-meeting-2019"
    assert (row["start"], row["end"]) == ("2019-12-30", "2020-01-02")
    assert row["hosts"] == ["home-office"]
    assert row["host_names"] == ["Home Office"]
    assert row["country"] == "GB"
    assert row["country_name"] == "United Kingdom"
    assert row["venue"] is None
    assert row["sources"] == ["src-london"]


# ---------------------------------------------------------------- pledges and funding


def test_donor_includes_its_parts(mini: Dataset) -> None:
    found = ids(query.filter_pledges(mini, by="UK"))
    assert found == [
        "uk-fund-2014",
        "uk-tranche-programme",
        "uk-tranche-fund",
        "home-office-hotline-2019",
    ]


def test_a_co_signer_is_found_by_filter_pledges(mini: Dataset) -> None:
    assert ids(query.filter_pledges(mini, by="Global Safety Alliance")) == ["acme-tools-2014"]


def test_a_part_narrows_to_itself(mini: Dataset) -> None:
    assert ids(query.filter_pledges(mini, by="home office")) == [
        "uk-tranche-fund",
        "home-office-hotline-2019",
    ]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kind": "commitment"}, ["acme-tools-2014", "norway-research-2015"]),
        ({"event": "oslo forum"}, ["norway-research-2015", "norway-fund-2015"]),  # by date
        ({"event": "London Summit", "kind": "funding"}, ["uk-fund-2014"]),
        ({"year": 2016}, ["acme-grant-2016", "uk-tranche-fund"]),
        ({"to": "unicef"}, ["uk-tranche-programme"]),
        ({"programme": "minip"}, ["uk-tranche-programme"]),
        ({"currency": "nok"}, ["norway-fund-2015"]),
    ],
)
def test_filter_pledges(mini: Dataset, filters: dict[str, object], expected: list[str]) -> None:
    assert ids(query.filter_pledges(mini, **filters)) == expected  # type: ignore[arg-type]


def test_funding_row_names_the_donor(mini: Dataset) -> None:
    pledge = next(p for p in mini.pledges if p.id == "uk-tranche-fund")
    row = query.funding_row(mini, pledge)
    assert list(row)[:8] == [
        "id",
        "date",
        "donor",
        "donor_name",
        "to",
        "to_name",
        "amount",
        "currency",
    ]
    assert row["donor"] == "home-office"
    assert row["donor_name"] == "Home Office"
    assert row["to_name"] == "Global Child Fund"
    assert row["part_of"] == "uk-fund-2014"
    assert row["amount"] == 40_000_000
    assert "by" not in row
    assert "with" not in row


# ---------------------------------------------------------------- pick


ROWS = [
    {"id": "a", "amount": 5, "name": "Beta"},
    {"id": "b", "amount": None, "name": "alpha"},
    {"id": "c", "amount": 20, "name": "Gamma"},
    {"id": "d", "amount": 3, "name": None},
]


def test_pick_fields_in_the_order_given() -> None:
    assert query.pick(ROWS, fields=["name", "id"]) == [
        {"name": "Beta", "id": "a"},
        {"name": "alpha", "id": "b"},
        {"name": "Gamma", "id": "c"},
        {"name": None, "id": "d"},
    ]


def test_pick_sorts_numbers_as_numbers_with_nulls_last() -> None:
    assert [r["id"] for r in query.pick(ROWS, sort="amount")] == ["d", "a", "c", "b"]


def test_pick_desc_keeps_nulls_last() -> None:
    assert [r["id"] for r in query.pick(ROWS, sort="amount", desc=True)] == ["c", "a", "d", "b"]


def test_pick_sorts_text_ignoring_case() -> None:
    assert [r["id"] for r in query.pick(ROWS, sort="name")] == ["b", "a", "c", "d"]


def test_pick_limit_applies_after_sorting() -> None:
    assert query.pick(ROWS, sort="amount", desc=True, limit=2, fields=["id"]) == [
        {"id": "c"},
        {"id": "a"},
    ]
    assert query.pick(ROWS, limit=0) == []


def test_pick_does_not_change_its_input() -> None:
    before = [dict(r) for r in ROWS]
    query.pick(ROWS, sort="name", desc=True, fields=["id"], limit=1)
    assert before == ROWS


@pytest.mark.parametrize("option", ["fields", "sort"])
def test_pick_unknown_field_lists_the_valid_ones(option: str) -> None:
    value: object = ["amout"] if option == "fields" else "amout"
    with pytest.raises(UsageError) as caught:
        query.pick(ROWS, **{option: value})  # type: ignore[arg-type]
    message = str(caught.value)
    assert "unknown field 'amout'" in message
    assert "did you mean 'amount'?" in message
    assert message.endswith("fields: id, amount, name")


def test_pick_checks_fields_against_valid_even_without_rows() -> None:
    assert query.pick([], fields=["id"], valid=["id", "name"]) == []
    with pytest.raises(UsageError, match="fields: id, name"):
        query.pick([], sort="nope", valid=["id", "name"])


# ---------------------------------------------------------------- countries and figures


def test_country_rows_join_country_and_programme_entry(mini: Dataset) -> None:
    rows = query.country_rows(mini, programme="minip")
    namibia = next(r for r in rows if r["code"] == "NA")
    assert namibia == {
        "code": "NA",
        "iso3": "NAM",
        "name": "Namibia",
        "programme": "mini-programme",
        "programme_name": "Mini Global Programme",
        "region": "esa",
        "region_name": "Eastern and Southern Africa",
        "notes": None,
        "evidence": "stated",
        "sources": ["src-programme"],  # the programme's, as the entry has none
    }


def test_country_rows_prefer_the_entry_sources(mini: Dataset) -> None:
    kenya = next(r for r in query.country_rows(mini, programme="minip") if r["code"] == "KE")
    assert kenya["sources"] == ["src-fund"]
    assert kenya["notes"] == "Police training."


def test_country_rows_by_region_then_name(mini: Dataset) -> None:
    rows = query.country_rows(mini, programme="Mini Global Programme")
    assert [(r["region_name"], r["code"]) for r in rows] == [
        ("East Asia and the Pacific", "PH"),
        ("Eastern and Southern Africa", "KE"),
        ("Eastern and Southern Africa", "NA"),
        ("West and Central Africa", "CI"),
    ]


def test_country_rows_of_every_programme(mini: Dataset) -> None:
    rows = query.country_rows(mini)
    assert (rows[0]["programme"], rows[0]["code"]) == ("alliance-pilot", "KE")
    assert len(rows) == sum(len(p.countries) for p in mini.programmes)
    assert rows[0]["region"] is None
    assert rows[0]["region_name"] is None


def test_country_rows_region_filter_matches_a_whole_name(mini: Dataset) -> None:
    rows = query.country_rows(mini, programme="minip", region="eastern and southern africa")
    assert [r["code"] for r in rows] == ["KE", "NA"]
    with pytest.raises(UsageError, match="could mean esa"):
        query.country_rows(mini, programme="minip", region="eastern")


def test_country_rows_unknown_programme(mini: Dataset) -> None:
    with pytest.raises(UsageError, match="unknown programme 'nonesuch'"):
        query.country_rows(mini, programme="nonesuch")


def test_figure_rows_about_matches_statement_unit_and_note(mini: Dataset) -> None:
    assert [r["id"] for r in query.figure_rows(mini, about="PER DAY")] == [
        "victims-per-day-a",
        "victims-per-day-b",
    ]
    assert [r["id"] for r in query.figure_rows(mini, about="rounded")] == ["children-online-share"]
    assert query.figure_rows(mini, about="no such words") == []


def test_figure_rows_keep_conflicts_and_measurer(mini: Dataset) -> None:
    rows = {r["id"]: r for r in query.figure_rows(mini)}
    assert rows["victims-per-day-a"]["conflicts_with"] == ["victims-per-day-b"]
    assert rows["victims-per-day-b"]["conflicts_with"] == ["victims-per-day-a"]
    assert rows["victims-per-day-a"]["measured_by_name"] == "Global Safety Alliance"
    assert rows["children-online-share"]["value"] == 33.3


def test_with_citations_adds_each_source(mini: Dataset) -> None:
    rows = query.with_citations(mini, query.figure_rows(mini, about="seven"))
    assert rows[0]["citations"] == [
        {
            "id": "src-figures-b",
            "title": "Victims identified, report B",
            "author": None,
            "publisher": "Research Group B",
            "published": None,
            "url": None,
            "original_publisher": None,
            "original_published": None,
            "original_url": None,
        }
    ]


# ---------------------------------------------------------------- properties

ORG_IDS = [o.id for o in DS.organisations]
YEARS = st.integers(min_value=2010, max_value=2024)


@given(
    by=st.none() | st.sampled_from(ORG_IDS),
    to=st.none() | st.sampled_from(ORG_IDS),
    year=st.none() | YEARS,
    kind=st.none() | st.sampled_from(["funding", "commitment"]),
    currency=st.none() | st.sampled_from(["GBP", "NOK", "USD", "EUR"]),
)
@PROPERTIES
def test_filtering_pledges_never_adds_records(
    by: str | None, to: str | None, year: int | None, kind: str | None, currency: str | None
) -> None:
    found = query.filter_pledges(DS, by=by, to=to, year=year, kind=kind, currency=currency)
    assert {p.id for p in found} <= {p.id for p in DS.pledges}
    assert len({p.id for p in found}) == len(found)
    # each further filter only narrows
    if by is not None:
        assert {p.id for p in found} <= {
            p.id for p in query.filter_pledges(DS, to=to, year=year, kind=kind, currency=currency)
        }


@given(year=st.none() | YEARS, low=st.none() | YEARS, high=st.none() | YEARS)
@PROPERTIES
def test_filtering_events_never_adds_records_and_keeps_overlaps(
    year: int | None, low: int | None, high: int | None
) -> None:
    if year is not None and (low, high) != (None, None):
        with pytest.raises(UsageError, match="--year"):
            query.filter_events(DS, year=year, from_year=low, to_year=high)
        return
    if low is not None and high is not None and low > high:
        with pytest.raises(UsageError, match=f"--from {low} is after --to {high}"):
            query.filter_events(DS, year=year, from_year=low, to_year=high)
        return
    found = query.filter_events(DS, year=year, from_year=low, to_year=high)
    assert set(ids(found)) <= set(ids(DS.events))
    first = year if year is not None else low
    last = year if year is not None else high
    for event in DS.events:
        start, end = int(event.start[:4]), int((event.end or event.start)[:4])
        overlaps = (first is None or end >= first) and (last is None or start <= last)
        assert (event in found) == overlaps
