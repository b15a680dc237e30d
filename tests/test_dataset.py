"""What the bundled dataset says, checked against its sources (docs/data.md explains the rules).

tests/test_bundled_data.py checks the general rules (every record cites sources that resolve,
every source is used, inferred facts carry a note, the UK's GBP total). This file pins the
facts and conventions that docs/data.md, the README and the design card rely on:

- the five WeProtect global summits, with the dates the fact sheets give;
- the ids the documentation uses;
- the UK's totals in every currency, each tranche counted once;
- Disrupting Harm's country lists, as INTERPOL and Safe Online give them;
- conflicts between figures recorded both ways;
- every nested citation shown by ``wpq show``;
- the sources' dates and what each copy says of its original;
- the fixes of the fact-checks (issues 14 and 22), each by what it means.

The tables below (summit dates, country lists) are the sourced facts under test, copied
from the research notes (facts/events.md §1 and funding.md §2 P3), which live beside the
repository, not in it. tests/test_own_words.py checks that no excerpt is copied outside
``quotes``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import msgspec
import pytest
from conftest import every_record, walk

from wpq import query
from wpq.model import Dataset, Pledge, record_key

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", ROOT / "docs" / "data.md"]


# ---------------------------------------------------------------- events

# events.md §1.3, §1.5, §1.12, §1.14, §1.17 (conflicts C1 and C7 keep the other dates as disputes)
SUMMITS = {
    "london-2014": ("2014-12-10", "2014-12-11", "London", "GB"),
    "abu-dhabi-2015": ("2015-11-16", "2015-11-17", "Abu Dhabi", "AE"),
    "addis-ababa-2019": ("2019-12-11", "2019-12-12", "Addis Ababa", "ET"),
    "brussels-2022": ("2022-06-01", "2022-06-02", "Brussels", "BE"),
    "abu-dhabi-2024": ("2024-12-04", "2024-12-05", "Abu Dhabi", "AE"),
}


def test_the_five_weprotect_summits_are_exactly_the_summit_events(bundled: Dataset) -> None:
    summits = {
        e.id: (e.start, e.end, e.city, e.country) for e in bundled.events if e.kind == "summit"
    }
    assert summits == SUMMITS
    assert [e.id for e in query.filter_events(bundled, kind="summit")] == list(SUMMITS)


def test_other_dates_for_a_summit_are_kept_as_disputes(bundled: Dataset) -> None:
    events = {e.id: e for e in bundled.events}
    london = {(d.field, d.value): d.sources for d in events["london-2014"].disputes}
    assert london[("start", "2014-12-09")] == ("emiratesnewswire-london-2014",)
    addis = {(d.field, d.value): d.sources for d in events["addis-ababa-2019"].disputes}
    assert addis[("end", "2019-12-13")] == ("moi-cpc-addis-2019",)


def test_events_called_summits_that_are_not_weprotect_summits_say_so(bundled: Dataset) -> None:
    unexplained = [
        e.id
        for e in bundled.events
        if e.kind != "summit"
        and any("summit" in name.lower() for name in (e.name, *e.aliases))
        and not (e.note and re.search(r"\bnot\b", e.note))
    ]
    assert unexplained == []


def test_brussels_2022_names_no_co_host_the_sources_do_not_name(bundled: Dataset) -> None:
    (brussels,) = [e for e in bundled.events if e.id == "brussels-2022"]
    assert brussels.hosts == ("weprotect-global-alliance",)
    assert brussels.note and "co-host" in brussels.note


# ---------------------------------------------------------------- stable ids

# Ids that README.md, docs/data.md and DESIGN.md use in their examples.
DOCUMENTED_IDS = [
    ("pledges", "uk-50m-2014"),
    ("pledges", "uk-10m-unicef-programme"),
    ("pledges", "uk-40m-fund-2016"),
    ("programmes", "unicef-global-programme"),
    ("programmes", "disrupting-harm-1"),
    ("programmes", "disrupting-harm-2"),
    ("events", "london-2014"),
    ("events", "abu-dhabi-2015"),
    ("events", "fund-launch-2016"),
    ("events", "rome-2017"),
    ("pledges", "abu-dhabi-2015-tech-companies"),
    ("figures", "children-share-of-internet-users-2015"),
    ("figures", "children-share-of-internet-users-2017"),
    ("figures", "disrupting-harm-1-countries-interpol"),
    ("figures", "disrupting-harm-1-countries-ecpat"),
    ("figures", "survey-asked-sexually-explicit-2021"),
    ("figures", "childlight-300-million-2024"),
    ("pledges", "japan-fund-2018"),
    ("pledges", "voluntary-principles-2020"),
    ("programmes", "global-taskforce"),
    ("events", "us-uk-taskforce-2013"),
]


@pytest.mark.parametrize("collection,key", DOCUMENTED_IDS)
def test_documented_ids_exist(bundled: Dataset, collection: str, key: str) -> None:
    name, record = query.find_record(bundled, key, collection)
    assert (name, record_key(name, record)) == (collection, key)


def test_unicef_is_an_alias_of_the_unicef_programme(bundled: Dataset) -> None:
    (programme,) = [p for p in bundled.programmes if p.id == "unicef-global-programme"]
    assert "unicef" in programme.aliases
    found = query.match("unicef", query.programme_candidates(bundled), "programme")
    assert found.id == "unicef-global-programme"


def shown_ids() -> list[tuple[str, str]]:
    """(file, id) for every ``wpq show ID`` in the docs that reads the bundled data alone."""
    found = []
    for path in DOCS:
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if "--data" not in line:
                    found += [(path.name, m) for m in re.findall(r"wpq show ([a-z0-9-]+)", line)]
    return found


@pytest.mark.parametrize("where,key", shown_ids())
def test_every_wpq_show_in_the_docs_finds_its_record(
    bundled: Dataset, where: str, key: str
) -> None:
    query.find_record(bundled, key)  # raises UsageError if missing or ambiguous


# ---------------------------------------------------------------- money


def uk_money(ds: Dataset) -> list[Pledge]:
    family = query.with_parts(ds, query.match_organisation(ds, "UK"))
    return [p for p in ds.pledges if p.by in family and p.amount is not None]


def test_uk_totals_per_currency_count_each_tranche_once(bundled: Dataset) -> None:
    money = uk_money(bundled)
    expected: dict[str, int] = defaultdict(int)
    for pledge in money:
        if pledge.part_of is None:
            expected[pledge.currency or ""] += pledge.amount or 0
    assert any(p.part_of for p in money), "no UK tranche: this test would prove nothing"
    assert sum(p.amount or 0 for p in money) > sum(expected.values())

    listed = query.funding(bundled, by="UK")
    assert {p.id for p in listed} == {p.id for p in money}
    pledged = query.totals_by_currency(bundled, listed, measure="pledged")
    assert {t["currency"]: t["amount"] for t in pledged} == dict(expected)


def test_uk_tranches_stay_inside_a_parent_of_the_same_currency(bundled: Dataset) -> None:
    by_id = {p.id: p for p in bundled.pledges}
    for tranche in (p for p in uk_money(bundled) if p.part_of):
        parent = by_id.get(tranche.part_of or "")
        assert parent is not None, tranche.id
        assert parent.amount is not None, tranche.id
        assert parent.currency == tranche.currency, tranche.id


def test_tranches_together_never_exceed_their_parent(bundled: Dataset) -> None:
    by_id = {p.id: p for p in bundled.pledges}
    inside: dict[str, int] = defaultdict(int)
    for pledge in bundled.pledges:
        if pledge.part_of and pledge.amount is not None:
            inside[pledge.part_of] += pledge.amount
    over = {
        parent: (amount, by_id[parent].amount)
        for parent, amount in inside.items()
        if amount > (by_id[parent].amount or 0)
    }
    assert over == {}


def test_the_40m_is_an_inferred_tranche_of_the_50m(bundled: Dataset) -> None:
    by_id = {p.id: p for p in bundled.pledges}
    parent, first, rest = (
        by_id["uk-50m-2014"],
        by_id["uk-10m-unicef-programme"],
        by_id["uk-40m-fund-2016"],
    )
    assert (parent.amount, parent.currency, parent.part_of) == (50_000_000, "GBP", None)
    assert (first.amount, first.part_of, first.evidence) == (10_000_000, parent.id, "stated")
    assert (rest.amount, rest.part_of, rest.evidence) == (40_000_000, parent.id, "inferred")
    assert rest.note and "£50 million" in rest.note
    # funding.md C1 (five years) and gaps.md G12 (£50m "given" to the Fund in 2016)
    assert {(d.field, d.value) for d in rest.disputes} == {("period", 5), ("amount", 50_000_000)}


# ---------------------------------------------------------------- Disrupting Harm

# funding.md §2 P3: INTERPOL's 13 phase-1 countries; ECPAT and End Violence add Rwanda (C8)
INTERPOL_PHASE_1 = {"ET", "KE", "MZ", "NA", "ZA", "TZ", "UG", "KH", "ID", "MY", "PH", "TH", "VN"}
# Safe Online's eleven new phase-2 countries (INTERPOL says twelve, without a list: C10)
SAFE_ONLINE_PHASE_2 = {"AM", "BR", "CO", "DO", "JO", "ME", "MA", "MK", "PK", "RS", "TN"}


def programme_codes(ds: Dataset, programme_id: str) -> list[str]:
    (programme,) = [p for p in ds.programmes if p.id == programme_id]
    return [c.country for c in programme.countries]


def test_disrupting_harm_1_is_interpols_13_plus_rwanda_with_a_note(bundled: Dataset) -> None:
    codes = programme_codes(bundled, "disrupting-harm-1")
    assert len(codes) == len(set(codes)) == 14
    assert set(codes) == INTERPOL_PHASE_1 | {"RW"}
    (programme,) = [p for p in bundled.programmes if p.id == "disrupting-harm-1"]
    (rwanda,) = [c for c in programme.countries if c.country == "RW"]
    assert rwanda.notes and "13" in rwanda.notes and "14" in rwanda.notes
    assert "INTERPOL" in rwanda.notes
    assert "ecpat-disrupting-harm" in rwanda.sources
    assert all(not c.notes for c in programme.countries if c.country != "RW")
    assert len(query.country_rows(bundled, programme="disrupting-harm-1")) == 14


def test_disrupting_harm_2_is_the_11_countries_safe_online_lists(bundled: Dataset) -> None:
    codes = programme_codes(bundled, "disrupting-harm-2")
    assert len(codes) == len(set(codes)) == 11
    assert set(codes) == SAFE_ONLINE_PHASE_2
    assert len(query.country_rows(bundled, programme="disrupting-harm-2")) == 11


@pytest.mark.parametrize(
    "ours,theirs,values",
    [
        ("disrupting-harm-1-countries-interpol", "disrupting-harm-1-countries-ecpat", (13, 14)),
        (
            "disrupting-harm-2-countries-safe-online",
            "disrupting-harm-2-countries-interpol",
            (11, 12),
        ),
    ],
)
def test_disrupting_harm_country_counts_keep_both_sources(
    bundled: Dataset, ours: str, theirs: str, values: tuple[int, int]
) -> None:
    figures = {f.id: f for f in bundled.figures}
    assert (figures[ours].value, figures[theirs].value) == values
    assert theirs in figures[ours].conflicts_with


def test_disrupting_harm_alone_is_ambiguous_and_names_both_phases(run: Any) -> None:
    code, out, err = run("countries", "--programme", "disrupting harm")
    assert code == 2
    assert out == ""
    assert "disrupting-harm-1" in err and "disrupting-harm-2" in err


# ---------------------------------------------------------------- figures and citations


def test_every_conflict_between_figures_is_recorded_both_ways(bundled: Dataset) -> None:
    assert len(bundled.figures) >= 25
    figures = {f.id: f for f in bundled.figures}
    one_way = [
        (f.id, other)
        for f in bundled.figures
        for other in f.conflicts_with
        if other == f.id or f.id not in figures[other].conflicts_with
    ]
    assert one_way == []
    assert any(f.conflicts_with for f in bundled.figures)


def test_childrens_share_of_internet_users_keeps_both_estimates(bundled: Dataset) -> None:
    figures = {f.id: f for f in bundled.figures}
    third, quarter = (
        figures["children-share-of-internet-users-2015"],
        figures["children-share-of-internet-users-2017"],
    )
    assert (third.value_text, quarter.value_text) == ("one-third", "over a quarter")
    assert quarter.id in third.conflicts_with


def nested_citations(record: Any) -> set[str]:
    """Source ids cited inside a record's nested entries (quotes, disputes, head counts...)."""
    cited: set[str] = set()
    for path, mapping in walk(msgspec.to_builtins(record)):
        if not path:
            continue  # the record's own ``sources``, checked in test_bundled_data.py
        cited.update(mapping.get("sources") or [])
        if isinstance(mapping.get("source"), str):
            cited.add(mapping["source"])
    return cited


def test_walk_reaches_nested_entries(bundled: Dataset) -> None:
    (london,) = [e for e in bundled.events if e.id == "london-2014"]
    paths = {path for path, _ in walk(msgspec.to_builtins(london))}
    assert {".participants[0]", ".speakers[0]", ".quotes[0]", ".disputes[0]"} <= paths


def test_wpq_show_lists_every_source_a_record_cites_in_a_nested_entry(bundled: Dataset) -> None:
    known = {s.id for s in bundled.sources}
    checked, missing = 0, []
    for name, key, record in every_record(bundled):
        cited = nested_citations(record)
        if not cited:
            continue
        checked += 1
        shown = {row["id"] for row in query.show(bundled, key, name)["sources"]}
        missing += [(f"{name}/{key}", s) for s in sorted(cited - (shown & known))]
    assert checked >= 10
    assert missing == []


def test_every_speaker_names_its_source(bundled: Dataset) -> None:
    # A quote's source and speaker are required by the model itself; a speaker's are not.
    unsourced = [
        f"events/{e.id}: {entry.name}"
        for e in bundled.events
        for entry in e.speakers
        if not entry.source
    ]
    assert unsourced == []


def test_every_head_count_names_its_source(bundled: Dataset) -> None:
    unsourced = [
        f"events/{e.id}: {p.count} {p.what}"
        for e in bundled.events
        for p in e.participants
        if not p.source
    ]
    assert unsourced == []


# ---------------------------------------------------------------- the fact-check (issue 14)


def by_id(ds: Dataset, collection: str) -> dict[str, Any]:
    return {record_key(collection, r): r for r in ds.collection(collection)}


def test_the_survey_figure_keeps_its_qualifier(bundled: Dataset, run: Any) -> None:
    # The source counts requests "they were uncomfortable with", not every request.
    figure = by_id(bundled, "figures")["survey-asked-sexually-explicit-2021"]
    assert "uncomfortable" in figure.statement
    assert "weprotect-gta-2021" in figure.sources
    _, out, _ = run("figures", "--about", "sexually explicit", "--fields", "id,statement")
    assert "uncomfortable" in out


def test_abu_dhabi_2015_keeps_who_pledged_apart_from_who_signed(bundled: Dataset, run: Any) -> None:
    # events.md C3: UNICEF's pledgers name Apple; the UK's signatories name Tencent instead.
    pledge = by_id(bundled, "pledges")["abu-dhabi-2015-tech-companies"]
    unicef = {"apple", "facebook", "google", "microsoft", "twitter", "yahoo"}
    uk = {"google", "microsoft", "facebook", "twitter", "yahoo", "tencent"}
    assert ({pledge.by, *pledge.with_}, set(pledge.signatories)) == (unicef, uk)
    assert "govuk-tech-industry-fights-2015-11-17" in pledge.sources
    for company in ("apple", "tencent"):
        code, out, _ = run("pledges", "--pledger", company, "--fields", "id")
        assert code == 0 and "abu-dhabi-2015-tech-companies" in out.split()


def test_the_absent_minister_at_abu_dhabi_is_marked_as_our_inference(bundled: Dataset) -> None:
    event = by_id(bundled, "events")["abu-dhabi-2015"]
    assert event.note
    (sentence,) = [s for s in re.split(r"(?<=\.)\s+", event.note) if "Paris attacks" in s]
    assert re.search(r"\binferred\b", sentence, re.I) or "not name" in event.note
    assert "Inferred" in event.note and "does not name the author" in event.note
    assert not any("Home Secretary" in text for text in (event.summary or "", *event.outcomes))


def test_uk_40m_cites_the_source_for_baroness_shields(bundled: Dataset) -> None:
    pledge = by_id(bundled, "pledges")["uk-40m-fund-2016"]
    assert "Shields" not in pledge.summary
    if "Shields" in (pledge.note or ""):
        assert "shields-safe-online-donor-2021" in pledge.sources


def test_the_addis_ababa_products_are_the_alliances(bundled: Dataset) -> None:
    event = by_id(bundled, "events")["addis-ababa-2019"]
    outcome = next(o for o in event.outcomes if "Threat Assessment" in o)
    assert outcome.startswith("The alliance published")
    assert "African Union announced" not in " ".join(event.outcomes)


def test_figures_from_the_undated_safe_online_page_are_dated_one_way(bundled: Dataset) -> None:
    users = [
        r
        for name in ("pledges", "figures")
        for r in bundled.collection(name)
        if "end-violence-safe-online" in r.sources  # type: ignore[attr-defined]
    ]
    assert len(users) >= 3
    dates = {getattr(r, "as_of", None) or getattr(r, "date", None) for r in users}
    assert dates == {"2022"}
    assert {r.evidence for r in users} == {"inferred"}  # type: ignore[attr-defined]


def test_the_2018_interfaith_forum_keeps_both_head_counts(bundled: Dataset) -> None:
    event = by_id(bundled, "events")["abu-dhabi-interfaith-2018"]
    counts = {(p.count, p.source) for p in event.participants}
    assert counts == {(450, "thecitizenng-interfaith-2018"), (400, "childdignity-interfaith-2018")}


# ---------------------------------------------------------------- the gaps fact sheet

# gaps.md §10: each new conflict and where the data keeps both sides. A pair of figures
# conflicts both ways; a dispute keeps the other source's value beside ours.
GAPS_FIGURE_CONFLICTS = {
    "G1": ("global-taskforce-governments-2022", "global-taskforce-governments-page"),
    "G2": ("safe-online-invested-2023-12", "safe-online-invested-2023-year-end"),
    "G3": ("fund-open-call-2019", "safe-online-round-4-2019"),
    "G4": ("tech-coalition-research-fund-2021", "tech-coalition-research-fund-round-1-directory"),
    "G5": ("childlight-reports-per-second-site", "childlight-reports-per-second-stanfield"),
    "G7 Philippines": (
        "disrupting-harm-philippines-prevalence",
        "nature-csea-prevalence-philippines",
    ),
    "G7 Kenya": ("disrupting-harm-kenya-past-year", "nature-csea-prevalence-kenya"),
    "G7 Cambodia": ("disrupting-harm-cambodia-prevalence", "nature-csea-prevalence-cambodia"),
    "G7 Vietnam": ("disrupting-harm-vietnam-prevalence", "nature-csea-prevalence-vietnam"),
    "G8": ("disrupting-harm-2-countries-end-violence", "disrupting-harm-2-countries-ecpat"),
    "G10": ("mnr-capability-areas-hdf", "mnr-capability-areas-safefutures"),
    "G14": ("gta-frequency-biennial", "gta-frequency-biannual"),
    "G15": ("alliance-civil-society-2021-12", "alliance-civil-society-ec-el"),
    "G18 2023": ("childlight-300-million-2024", "safe-online-300-million-2023"),
    "G18 2025": ("childlight-300-million-2024", "childlight-300-million-2025"),
}
GAPS_DISPUTES = {
    "G6": ("events", "into-the-light-2024", "start", "2024-05-26"),
    "G9": ("pledges", "voluntary-principles-2020", "with", "apple, google, twitter"),
    "G11": ("events", "mnr-working-examples-2018", "start", "2016-11"),
    "G12": ("pledges", "uk-40m-fund-2016", "amount", 50_000_000),
    "G16": ("events", "voluntary-principles-launch-2020", "start", "2020-03-06"),
    "G17": ("events", "safe-online-launch-2016", "start", "2017"),
    "G19 weprotect": ("events", "us-uk-taskforce-2013", "start", "2013-12-13"),
    "G19 DOJ": ("events", "us-uk-taskforce-2013", "start", "2013-12-11"),
}


@pytest.mark.parametrize("ours,theirs", GAPS_FIGURE_CONFLICTS.values(), ids=GAPS_FIGURE_CONFLICTS)
def test_gaps_conflicts_between_figures_are_recorded_both_ways(
    bundled: Dataset, ours: str, theirs: str
) -> None:
    figures = by_id(bundled, "figures")
    assert theirs in figures[ours].conflicts_with
    assert ours in figures[theirs].conflicts_with
    assert figures[ours].sources != figures[theirs].sources


@pytest.mark.parametrize("collection,key,field,value", GAPS_DISPUTES.values(), ids=GAPS_DISPUTES)
def test_gaps_conflicts_on_a_field_are_kept_as_disputes(
    bundled: Dataset, collection: str, key: str, field: str, value: object
) -> None:
    record = by_id(bundled, collection)[key]
    (dispute,) = [d for d in record.disputes if (d.field, d.value) == (field, value)]
    assert dispute.note  # says why the other value was not kept as ours
    kept = query.record_row(record)[field]
    assert kept != value and kept not in (None, "", [])


def test_gaps_head_counts_keep_both_sides(bundled: Dataset) -> None:
    events = by_id(bundled, "events")
    # G13: Europol's 51 governments beside "more than 50 countries" and 62 signatories
    counts = {p.count for p in events["abu-dhabi-2015"].participants}
    assert {50, 51, 62} <= counts
    # G1 also as head counts on the launch
    assert {p.count for p in events["global-taskforce-2022"].participants} == {17, 20}
    # G14 and G17, once notes, are a conflict between figures and a dispute (above)


# gaps.md §1: the Global Threat Assessments as dated records
GTA_DATES = {
    "gta-2018": "2018-02-14",
    "gta-2019": "2019-12",
    "gta-2021": "2021-10-19",
    "gta-2023": "2023-10-19",
}


def test_each_global_threat_assessment_is_a_dated_record_with_figures(bundled: Dataset) -> None:
    events = by_id(bundled, "events")
    assert {key: events[key].start for key in GTA_DATES} == GTA_DATES
    assert events["gta-2018"].evidence == "inferred"  # "Wednesday afternoon" of the summit
    addis = events["addis-ababa-2019"]
    assert any("Global Threat Assessment 2019" in o for o in addis.outcomes)
    for year in ("2018", "2019", "2021", "2023"):
        assert [f.id for f in bundled.figures if (f.as_of or "").startswith(year)], year


def test_the_voluntary_principles_name_their_endorsers(bundled: Dataset) -> None:
    pledges = by_id(bundled, "pledges")
    launch = pledges["voluntary-principles-2020"]
    assert {launch.by, *launch.with_} == {
        "facebook",
        "google",
        "microsoft",
        "roblox",
        "snap",
        "twitter",
    }
    assert launch.made_at == "voluntary-principles-launch-2020"
    later = {p.by for p in bundled.pledges if p.id.endswith("voluntary-principles-2020")}
    assert {"tiktok", "amazon", "match-group"} <= later
    events = by_id(bundled, "events")
    assert events["voluntary-principles-launch-2020"].start == "2020-03-05"
    assert events["five-country-roundtable-2019"].start == "2019-07-30"


# gaps.md §5.2 #9: the taskforce page's 20 governments
TASKFORCE = {
    "AR", "AU", "BE", "BR", "KH", "CA", "EE", "FI", "GH", "GT",
    "KE", "MD", "NZ", "MK", "SE", "NL", "PH", "AE", "GB", "US",
}  # fmt: skip


def test_the_global_taskforce_lists_its_twenty_governments(bundled: Dataset) -> None:
    codes = programme_codes(bundled, "global-taskforce")
    assert len(codes) == len(set(codes)) == 20
    assert set(codes) == TASKFORCE
    assert len(query.country_rows(bundled, programme="taskforce")) == 20


def test_japans_money_is_counted_where_it_went_and_says_what_it_was_for(
    bundled: Dataset,
) -> None:
    pledge = by_id(bundled, "pledges")["japan-fund-2018"]
    assert (pledge.kind, pledge.amount, pledge.currency, pledge.to) == (
        "funding",
        5_900_000,
        "USD",
        "end-violence-fund",
    )
    assert pledge.part_of is None  # new money: counted once, in Japan's name
    assert "crisis and conflict" in pledge.summary and "not money" in pledge.summary
    listed = query.funding(bundled, by="Japan")
    assert [p.id for p in listed] == ["japan-fund-2018"]
    assert query.totals_by_currency(bundled, listed) == [{"currency": "USD", "amount": 5_900_000}]


def test_the_300_million_estimate_names_childlight_and_its_date(bundled: Dataset) -> None:
    figures = by_id(bundled, "figures")
    assert figures["child-victims-per-year-2024"].measured_by == "childlight"
    estimate = figures["childlight-300-million-2024"]
    assert (estimate.measured_by, estimate.as_of) == ("childlight", "2024-05-27")
    assert "12 months" in estimate.unit
    assert by_id(bundled, "events")["into-the-light-2024"].start == "2024-05-27"


def test_fund_grants_without_an_amount_are_commitments_never_totals(bundled: Dataset) -> None:
    fund_money = [p for p in bundled.pledges if p.by == "end-violence-fund"]
    assert {p.kind for p in fund_money} == {"grant", "commitment"}
    assert all(p.amount is None for p in fund_money if p.kind == "commitment")
    listed = query.funding(bundled, by="end-violence-fund")
    assert query.totals_by_currency(bundled, listed) == []  # grants are listed, never added


# ---------------------------------------------------------------- sources: dates and originals

# docs/data.md, "Dates of the sources and their originals". A publisher that says in brackets
# what the page carries is a copy: "(copy of …)", "(mirror of …)", "(reprint of …)",
# "(blog repost of …)", "(via …)", "(Business Wire release)".
CARRIES = re.compile(
    r"\((?:[^)]*\b(?:copy|mirror|reprint|repost)\b[^)]*|via [^)]*|[^)]*\brelease)\)"
)
BARE_IP = re.compile(r"^[a-z]+://\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?/")
INFERRED = re.compile(r"\bour (?:inference|reading)\b")
# The count docs/data.md gives; more is fine, fewer means dates were lost.
DATED_AT_LEAST = 149
COPIES_AT_LEAST = 34

# Dates read on the pages themselves (a dateline, a "published" line) when they were added.
READ_DATES = {
    "childnet-weprotect-2014": "2014-12-11",  # "Posted on 11 December 2014"
    "iwf-industry-event-2015": "2015-09-07",  # "Published: Mon 7 Sep 2015"
    "nca-2013-summit-agrees-action": "2013-11-18",
    "childreninscotland-iwf-2013": "2014-04-07",  # "07/04/14", day first
    "dig-watch-au-2019": "2019-03-07",
}
# What a copy shows of its original: the dateline or the address it links.
ORIGINALS = {
    "novumpr-2015-11-17": (
        "Business Wire",
        "2015-11-17",
        "http://www.businesswire.com/news/home/20151117005920/en/",
    ),
    "africa-live-2015-11-17": ("ME NewsWire", "2015-11-17", None),
    "news247-2015-11-18": ("UN News", "2015-11-17", None),
    "sowc-2017-copy": ("UNICEF", "2017-12", "https://www.unicef.org/sowc2017"),
}


def copies_in(ds: Dataset) -> list[Any]:
    return [s for s in ds.sources if CARRIES.search(s.publisher)]


def test_every_copy_names_whose_text_it_carries(bundled: Dataset) -> None:
    copied = copies_in(bundled)
    assert len(copied) >= COPIES_AT_LEAST
    assert [s.id for s in copied if not s.original_publisher] == []


def test_only_a_copy_has_an_original(bundled: Dataset) -> None:
    """The original_* fields describe the text a copy carries; on a page that is its own
    original they would make a citation name a second publisher."""
    assert [
        s.id
        for s in bundled.sources
        if (s.original_publisher or s.original_published or s.original_url)
        and not CARRIES.search(s.publisher)
    ] == []
    assert [s.id for s in bundled.sources if s.original_url and s.original_url == s.url] == []


def test_a_page_at_a_bare_ip_address_is_explained_and_names_its_original(
    bundled: Dataset,
) -> None:
    at_ip = [s for s in bundled.sources if s.url and BARE_IP.match(s.url)]
    assert [
        s.id
        for s in at_ip
        if not (s.original_publisher and s.original_url and "bare IP address" in (s.note or ""))
    ] == []


def test_no_fewer_sources_are_dated_than_the_guide_says(bundled: Dataset) -> None:
    assert sum(1 for s in bundled.sources if s.published) >= DATED_AT_LEAST


def test_a_date_we_inferred_is_never_given_as_the_publication_date(bundled: Dataset) -> None:
    """An inferred date is said in the note; ``published`` holds only a date the page prints."""
    assert [s.id for s in bundled.sources if s.published and INFERRED.search(s.note or "")] == []


@pytest.mark.parametrize("key,date", READ_DATES.items(), ids=list(READ_DATES))
def test_dates_read_on_the_page_are_kept_at_their_precision(
    bundled: Dataset, key: str, date: str
) -> None:
    assert by_id(bundled, "sources")[key].published == date


@pytest.mark.parametrize("key,original", ORIGINALS.items(), ids=list(ORIGINALS))
def test_a_copy_keeps_what_it_shows_of_its_original(
    bundled: Dataset, key: str, original: tuple[str, str, str | None]
) -> None:
    source = by_id(bundled, "sources")[key]
    assert (source.original_publisher, source.original_published, source.original_url) == original
    assert source.url != source.original_url


# ---------------------------------------------------------------- data files


def test_no_value_is_cut_short_by_a_hash() -> None:
    """In YAML, ' #' after a plain value starts a comment: '... the #WeProtect summit' would
    lose everything from the '#'. Values holding a '#' must be quoted."""
    import re

    entry = re.compile(r"^\s*(?:- [a-z_]+: |[a-z_]+: |- )(?P<value>.*)$")
    offenders = [
        f"{path.name}:{number}"
        for path in sorted((ROOT / "wpq" / "data").glob("*.yaml"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if (found := entry.match(line))
        and found["value"][:1] not in ("'", '"', ">", "|", "#")
        and re.search(r" #\w", found["value"])
    ]
    assert offenders == []
