"""Unit tests of wpq.query on the mini dataset (tests/fixtures/mini)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from itertools import cycle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpq import query
from wpq.errors import UsageError
from wpq.loader import load_dataset
from wpq.model import Dataset, Pledge

# No example database in the tree, and no deadlines: tests never time things.
PROPERTIES = settings(database=None, deadline=None, max_examples=60)
# Hypothesis strategies are built at import time, so they read the data themselves.
MINI_DIR = Path(__file__).resolve().parent / "fixtures" / "mini"
DS = load_dataset([MINI_DIR], bundled=False)


def ids(records: object) -> list[str]:
    return [r.id for r in records]  # type: ignore[attr-defined]


def totals(pairs: dict[str, int]) -> list[dict[str, object]]:
    return [{"currency": c, "amount": a} for c, a in sorted(pairs.items())]


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


@pytest.mark.parametrize(("text", "expected"), [("home", "home-office"), ("acm", "acme-corp")])
def test_unique_prefix_matches(mini: Dataset, text: str, expected: str) -> None:
    assert query.match_organisation(mini, text) == expected


def test_unique_substring_matches(mini: Dataset) -> None:
    assert query.match_organisation(mini, "safety") == "global-safety-alliance"


def test_exact_name_beats_a_substring_of_another(mini: Dataset) -> None:
    # "fund" is in "Global Child Fund" and in UNICEF's alias "United Nations Children's Fund".
    with pytest.raises(UsageError, match="ambiguous"):
        query.match_organisation(mini, "fund")
    assert query.match_organisation(mini, "Global Child Fund") == "child-fund"
    assert query.match_organisation(mini, "United Nations Children's Fund") == "unicef"


def test_ambiguous_name_is_a_usage_error_listing_candidates(mini: Dataset) -> None:
    with pytest.raises(UsageError) as caught:
        query.match_organisation(mini, "global", "donor")
    message = str(caught.value)
    assert "ambiguous" in message
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
        ({"kind": "meet"}, ["winter-meeting-2019"]),  # unique prefix of a kind
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
        ({"event": "oslo"}, ["norway-research-2015", "norway-fund-2015"]),  # by date
        ({"event": "London Summit", "kind": "funding"}, ["uk-fund-2014"]),
        ({"year": 2016}, ["acme-grant-2016", "uk-tranche-fund"]),
        ({"to": "unicef"}, ["uk-tranche-programme"]),
        ({"programme": "minip"}, ["uk-tranche-programme"]),
        ({"currency": "nok"}, ["norway-fund-2015"]),
    ],
)
def test_filter_pledges(mini: Dataset, filters: dict[str, object], expected: list[str]) -> None:
    assert ids(query.filter_pledges(mini, **filters)) == expected  # type: ignore[arg-type]


def test_funding_lists_tranches_under_their_parent(mini: Dataset) -> None:
    # By date alone Norway's 2015-11-16 pledge would come between the two UK tranches.
    assert ids(query.funding(mini)) == [
        "uk-fund-2014",
        "uk-tranche-programme",
        "uk-tranche-fund",
        "norway-fund-2015",
        "acme-grant-2016",
        "home-office-hotline-2019",
    ]


def test_funding_leaves_out_commitments(mini: Dataset) -> None:
    assert all(p.amount is not None for p in query.funding(mini))
    assert {p.kind for p in query.funding(mini)} == {"funding"}


def test_a_tranche_whose_parent_is_filtered_out_stands_alone(mini: Dataset) -> None:
    rows = [query.funding_row(mini, p) for p in query.funding(mini, year=2016)]
    assert [r["id"] for r in rows] == ["acme-grant-2016", "uk-tranche-fund"]
    assert query.tranche_depths(rows) == [0, 0]


def test_tranche_depths_indent_tranches(mini: Dataset) -> None:
    rows = [query.funding_row(mini, p) for p in query.funding(mini, by="UK")]
    assert query.tranche_depths(rows) == [0, 1, 1, 0]


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


def test_totals_never_count_a_tranche(mini: Dataset) -> None:
    uk = query.funding(mini, by="UK")
    # the 2014 pledge and the Home Office's own 2019 pledge; the two tranches are inside 2014's
    assert query.totals_by_currency(uk) == totals({"GBP": 50_000_000 + 2_000_000})


def test_totals_never_add_two_currencies(mini: Dataset) -> None:
    assert query.totals_by_currency(query.funding(mini)) == totals(
        {"GBP": 52_000_000, "NOK": 30_000_000, "USD": 1_000_000}
    )


def test_totals_of_tranches_alone_are_empty(mini: Dataset) -> None:
    assert query.totals_by_currency(query.funding(mini, to="unicef")) == []


def test_a_co_signer_is_not_credited_with_anothers_money(mini: Dataset) -> None:
    joint = Pledge(
        id="acme-joint-2016",
        by="acme-corp",
        with_=("uk-gov",),
        kind="commitment",
        date="2016",
        summary="Acmé's money, with the UK as co-signer.",
        amount=5_000_000,
        currency="USD",
        sources=("src-fund",),
    )
    more = mini.replace(pledges=(*mini.pledges, joint))
    assert query.totals_by_currency(query.funding(more, by="UK")) == totals({"GBP": 52_000_000})


def test_total_lines_say_how_many_tranches_are_not_counted(mini: Dataset) -> None:
    rows = [query.funding_row(mini, p) for p in query.funding(mini, by="UK")]
    assert query.total_lines(mini, rows) == [
        "Total: GBP 52,000,000",
        "(2 tranches of a larger pledge listed but not counted again)",
    ]
    assert query.format_totals([]) == ["Total: nothing to count"]


# ---------------------------------------------------------------- grouping


def group_summary(summary: dict[str, object]) -> list[tuple[object, int, list[object]]]:
    return [(g["key"], g["count"], g["totals"]) for g in summary["groups"]]  # type: ignore[attr-defined, index]


def test_group_by_donor_counts_a_ministry_for_its_government(mini: Dataset) -> None:
    summary = query.group_funding(mini, query.funding(mini), "donor")
    assert group_summary(summary) == [
        ("acme-corp", 1, totals({"USD": 1_000_000})),
        ("norway-gov", 1, totals({"NOK": 30_000_000})),
        ("uk-gov", 4, totals({"GBP": 52_000_000})),
    ]
    assert summary["totals"] == query.totals_by_currency(query.funding(mini))
    assert summary["groups"][2]["name"] == "Government of the United Kingdom"  # type: ignore[index]


def test_group_by_year(mini: Dataset) -> None:
    summary = query.group_funding(mini, query.funding(mini), "year")
    assert group_summary(summary) == [
        ("2014", 1, totals({"GBP": 50_000_000})),
        ("2015", 2, totals({"NOK": 30_000_000})),  # the 2015 tranche is counted in 2014
        ("2016", 2, totals({"USD": 1_000_000})),
        ("2019", 1, totals({"GBP": 2_000_000})),
    ]


def test_group_by_recipient(mini: Dataset) -> None:
    summary = query.group_funding(mini, query.funding(mini), "recipient")
    assert group_summary(summary) == [
        (
            "child-fund",
            4,
            totals({"GBP": 50_000_000, "NOK": 30_000_000, "USD": 1_000_000}),
        ),
        ("global-safety-alliance", 1, totals({"GBP": 2_000_000})),
        ("unicef", 1, []),
    ]


def test_group_by_programme_puts_no_programme_last(mini: Dataset) -> None:
    summary = query.group_funding(mini, query.funding(mini), "programme")
    keys = [g["key"] for g in summary["groups"]]  # type: ignore[attr-defined]
    assert keys == ["mini-programme", None]
    assert summary["groups"][0]["name"] == "Mini Global Programme"  # type: ignore[index]


def test_unknown_grouping_is_a_usage_error(mini: Dataset) -> None:
    with pytest.raises(UsageError, match="grouping"):
        query.group_funding(mini, query.funding(mini), "colour")


def test_summary_rows_flatten_groups_per_currency(mini: Dataset) -> None:
    summary = query.group_funding(mini, query.funding(mini), "recipient")
    rows = query.summary_rows(summary)
    assert [(r["key"], r["currency"], r["amount"]) for r in rows] == [
        ("child-fund", "GBP", 50_000_000),
        ("child-fund", "NOK", 30_000_000),
        ("child-fund", "USD", 1_000_000),
        ("global-safety-alliance", "GBP", 2_000_000),
        ("unicef", None, None),
    ]


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


def test_country_rows_region_filter_matches_a_name_prefix(mini: Dataset) -> None:
    rows = query.country_rows(mini, programme="minip", region="eastern")
    assert [r["code"] for r in rows] == ["KE", "NA"]


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
            "publisher": "Research Group B",
            "url": None,
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


@given(
    chosen=st.sets(st.sampled_from([p.id for p in DS.pledges if p.amount is not None])),
    by=st.sampled_from(query.GROUPINGS),
)
@PROPERTIES
def test_group_totals_add_up_to_the_overall_totals(chosen: set[str], by: str) -> None:
    pledges = [p for p in DS.pledges if p.id in chosen]
    summary = query.group_funding(DS, pledges, by)
    added: dict[str, Decimal] = defaultdict(Decimal)
    for group in summary["groups"]:
        for total in group["totals"]:
            added[total["currency"]] += total["amount"]
    assert totals({c: int(a) for c, a in added.items()}) == summary["totals"]
    assert sum(g["count"] for g in summary["groups"]) == len(pledges)


@given(
    parent=st.sampled_from(query.counted(DS.pledges)),
    amount=st.integers(min_value=0, max_value=10**12),
    year=YEARS,
)
@PROPERTIES
def test_adding_a_tranche_never_changes_a_total(parent: Pledge, amount: int, year: int) -> None:
    tranche = Pledge(
        id="extra-tranche",
        by=parent.by,
        kind="funding",
        date=str(year),
        summary="A tranche added by the test.",
        amount=amount,
        currency=parent.currency,
        part_of=parent.id,
        sources=parent.sources,
    )
    more = DS.replace(pledges=(*DS.pledges, tranche))
    for donor in (None, parent.by):
        before, after = query.funding(DS, by=donor), query.funding(more, by=donor)
        assert [p.id for p in after].count("extra-tranche") == 1
        assert query.totals_by_currency(after) == query.totals_by_currency(before)
        for by in query.GROUPINGS:
            assert (
                query.group_funding(more, after, by)["totals"]
                == query.group_funding(DS, before, by)["totals"]
            )
    # the tranche is listed right under its parent's family, never on its own
    listed = [p.id for p in query.funding(more)]
    assert listed.index("extra-tranche") > listed.index(parent.id)


def test_a_grant_out_of_a_fund_is_listed_but_never_totalled(mini: Dataset) -> None:
    grant = Pledge(
        id="fund-grant-2017",
        by="child-fund",
        kind="grant",
        date="2017",
        summary="The fund paid a grant out of its pool.",
        amount=700_000,
        currency="GBP",
        to="unicef",
        sources=("src-fund",),
    )
    more = mini.replace(pledges=(*mini.pledges, grant))
    listed = query.funding(more)
    assert grant in listed
    assert query.totals_by_currency(listed) == query.totals_by_currency(query.funding(mini))
    rows = [query.funding_row(more, p) for p in listed]
    assert any("grant" in line for line in query.total_lines(more, rows))
