"""Write synthetic, valid wpq user data for the benchmark, as a user writes it.

    python bench/generate.py --pledges 100000 --out bench/.data

writes ``pledges-100000.yaml`` (one data file holding ``sources``, ``organisations`` and the
pledges, valid for ``wpq validate`` and mergeable with the bundled data) and
``pledges-100000.json`` (the same pledges as one JSON array, each with a ``donor`` field
equal to ``by``, for the ``jq`` baseline). With ``--six-donors`` it writes
``six-donors-100000.yaml`` and ``.json`` instead: every pledge is money from one of six
governments (``SIX_DONORS``, named by their countries' ISO codes alone), so one donor owns
a sixth of the pledges (the high selectivity of ``wpq funding --donor Norway``).

Countries are written as a user writes them: ISO 3166-1 codes on the organisations, with no
``countries`` collection (wpq knows every ISO country). The output is deterministic for a
given ``--pledges`` and ``--seed``. Ids start with ``bench-`` so they never clash with the
bundled data; the one exception is the government ``donor-gov-1`` (the donor the benchmark
queries), whose four ministries are ``part_of`` it, so its pledges are theirs too
(``DONOR_IDS``). Some funding pledges have tranches (``part_of``) in the parent's currency
whose amounts add up to no more than the parent's. Money reaches a stage as a user records
it: announced (no stage written), or committed or paid with the source that says so and,
often, the date it did; a tranche is at least as far along as its parent.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

DEFAULT_SEED = 2015
DONOR = "donor-gov-1"
CURRENCIES = ("GBP", "USD", "EUR")
# ISO 3166-1 alpha-2 codes, some the bundled data names and some it does not (declared
# nowhere: wpq takes their names from ISO 3166).
COUNTRIES = ("NO", "DE", "SE", "CA", "AU", "JP", "GB", "US", "FR", "NL", "CH", "KE", "PH")
# The donor the benchmark queries and its parts: `wpq funding --donor donor-gov-1` lists the
# pledges of all of them, so the jq baseline selects the same donors.
DONOR_IDS = (DONOR, "bench-dept-1", "bench-dept-2", "bench-dept-3", "bench-dept-4")
# The six donors of ``--six-donors``: governments of countries the bundled data has none of,
# so ``--donor Norway`` names the first by its country's name.
SIX_DONORS = (
    ("bench-norway", "NO", "Norway"),
    ("bench-germany", "DE", "Germany"),
    ("bench-netherlands", "NL", "the Netherlands"),
    ("bench-switzerland", "CH", "Switzerland"),
    ("bench-france", "FR", "France"),
    ("bench-denmark", "DK", "Denmark"),
)
STAGES = ("announced", "committed", "paid")
# kind, how many, id stem: 50 organisations in all.
ORG_PLAN = (
    ("government", 9, "gov"),  # plus donor-gov-1 itself
    ("government", 6, "dept"),  # sub-organisations: 4 of donor-gov-1, 2 of bench-gov-2
    ("company", 10, "company"),
    ("fund", 5, "fund"),
    ("un-agency", 4, "agency"),
    ("ngo", 10, "ngo"),
    ("alliance", 2, "alliance"),
    ("law-enforcement", 3, "police"),
)
WORDS = (
    "online safety",
    "child protection",
    "hotline capacity",
    "victim identification",
    "industry cooperation",
    "research",
    "prevention",
    "awareness",
    "law enforcement training",
    "helplines",
)


def organisations(six: bool = False) -> list[dict[str, Any]]:
    if six:  # the six donors and the others, none a government, as recipients
        donors = [{"id": i, "name": f"Government of {name}", "kind": "government", "country": c}
                  for i, c, name in SIX_DONORS]  # fmt: skip
        return donors + [o for o in organisations() if o["kind"] != "government"]
    orgs: list[dict[str, Any]] = [
        {
            "id": DONOR,
            "name": "Bench Donor Government One",
            "kind": "government",
            "country": COUNTRIES[0],
            "aliases": ["BDG1"],
        }
    ]
    for kind, count, stem in ORG_PLAN:
        for i in range(1, count + 1):
            number = i + 1 if stem == "gov" else i
            org: dict[str, Any] = {
                "id": f"bench-{stem}-{number}",
                "name": f"Bench {stem.title()} {number}",
                "kind": kind,
            }
            if kind == "government":
                org["country"] = COUNTRIES[number % len(COUNTRIES)]
            if stem == "dept":
                org["part_of"] = DONOR if i <= 4 else "bench-gov-2"
                org["name"] = f"Bench Ministry {i} of {org['part_of']}"
            orgs.append(org)
    return orgs


def pledges(
    n: int, rng: random.Random, sources: list[str], orgs: list[str], six: bool = False
) -> list[dict]:
    """``n`` pledges; about 10% by donor-gov-1 or its parts, a quarter of them commitments,
    a tenth of the money in tranches. ``six``: every pledge money from one of six donors."""
    donor_parts = list(DONOR_IDS)
    six_ids = [donor for donor, _, _ in SIX_DONORS]
    recipients = [
        o for o in orgs if not o.startswith(("bench-gov-", "bench-dept-", DONOR, *six_ids))
    ]
    donors = six_ids if six else [o for o in orgs if o not in donor_parts and o not in six_ids]
    out: list[dict[str, Any]] = []
    while len(out) < n:
        k = len(out)
        if six:
            by = rng.choice(donors)
        else:
            by = rng.choice(donor_parts) if rng.random() < 0.1 else rng.choice(donors)
        year = rng.randint(2010, 2024)
        date = _date(rng, year)
        pid = f"bench-pledge-{k + 1}"
        pledge: dict[str, Any] = {"id": pid, "by": by}
        if not six and rng.random() < 0.25:
            pledge |= {
                "kind": "commitment",
                "date": date,
                "summary": f"{_name(by)} committed to work on {rng.choice(WORDS)} "
                f"with {_name(rng.choice(recipients))}.",
            }
            if rng.random() < 0.3:
                pledge["with"] = rng.sample([o for o in donors if o != by], 2)
        else:
            amount = rng.randint(1, 5000) * 10_000
            currency = rng.choice(CURRENCIES)
            to = rng.choice(recipients)
            pledge |= {
                "kind": "funding",
                "date": date,
                "summary": f"{_name(by)} pledged money to {_name(to)} for {rng.choice(WORDS)}.",
                "amount": amount,
                "currency": currency,
                "to": to,
            }
            if rng.random() < 0.4:
                pledge["period"] = rng.choice([3, 5, f"{year}/{year + 4}"])
            pledge |= _stage(rng, year, STAGES[0], [], sources)
        if rng.random() < 0.1:
            pledge["evidence"] = "inferred"
            pledge["note"] = "Inferred from the donor's annual report; the sources give no date."
        pledge["sources"] = rng.sample(sources, rng.choice((1, 1, 2, 3)))
        if rng.random() < 0.05:
            pledge["quotes"] = [
                {
                    "text": "We will keep every child safe online.",
                    "by": f"Speaker {rng.randint(1, 500)}",
                    "role": "Minister",
                    "source": pledge["sources"][0],
                }
            ]
        out.append(pledge)
        if pledge["kind"] == "funding" and rng.random() < 0.1:
            out.extend(_tranches(rng, pledge, n - len(out)))
    return out


def _tranches(rng: random.Random, parent: dict[str, Any], room: int) -> list[dict[str, Any]]:
    """Up to three tranches of ``parent``: same donor and currency, amounts within its own."""
    count = min(room, rng.randint(1, 3))
    share = parent["amount"] // (count + rng.randint(0, 1))
    year = int(parent["date"][:4])
    out = []
    for i in range(1, count + 1):
        tranche_year = min(year + i, 2025)
        tranche = {
            "id": f"{parent['id']}-tranche-{i}",
            "by": parent["by"],
            "kind": "funding",
            "date": _date(rng, tranche_year),
            "summary": f"Tranche {i} of {parent['id']}, paid to {_name(parent['to'])}.",
            "amount": share,
            "currency": parent["currency"],
            "to": parent["to"],
            "part_of": parent["id"],
        }
        least = parent.get("stage", STAGES[0])
        tranche |= _stage(rng, tranche_year, least, parent["sources"][:1], [])
        out.append(tranche | {"sources": parent["sources"][:1]})
    return out


def _stage(
    rng: random.Random, year: int, least: str, cite: list[str], sources: list[str]
) -> dict[str, Any]:
    """How far money got, at least ``least``: nothing written for announced money; committed
    or paid with a source that says so (``cite``, else one of ``sources``) and, more often
    than not, the year it did."""
    stage = rng.choice(STAGES[STAGES.index(least) :])
    if stage == STAGES[0]:
        return {}
    found: dict[str, Any] = {"stage": stage}
    if rng.random() < 0.6:
        found["stage_date"] = str(min(year + rng.randint(0, 2), 2025))
    found["stage_sources"] = cite or [rng.choice(sources)]
    return found


def _date(rng: random.Random, year: int) -> str:
    precision = rng.random()
    if precision < 0.15:
        return str(year)
    if precision < 0.4:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _name(org_id: str) -> str:
    return org_id.replace("bench-", "").replace("-", " ")


# ------------------------------------------------------------------------- YAML writing


def _scalar(value: Any) -> str:
    """A YAML scalar: ints plain, every string double-quoted (dates and codes must be)."""
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _item(record: dict[str, Any], indent: str) -> list[str]:
    """One record as a block-style list item (``- key: value`` then ``  key: value``)."""
    lines: list[str] = []
    for key, value in record.items():
        lead = indent + ("- " if not lines else "  ")
        if isinstance(value, list):
            lines.append(f"{lead}{key}:")
            for entry in value:
                if isinstance(entry, dict):
                    lines.extend(_item(entry, indent + "    "))
                else:
                    lines.append(f"{indent}    - {_scalar(entry)}")
        else:
            lines.append(f"{lead}{key}: {_scalar(value)}")
    return lines


def _collection(name: str, records: list[dict[str, Any]]) -> str:
    lines = [f"{name}:"]
    for record in records:
        lines.extend(_item(record, "  "))
    return "\n".join(lines) + "\n"


def generate(n: int, out: Path, seed: int = DEFAULT_SEED, six: bool = False) -> tuple[Path, Path]:
    """Write ``pledges-N.yaml`` and ``pledges-N.json`` (``six``: ``six-donors-N``) into
    ``out``; return their paths."""
    rng = random.Random(f"{seed}-{n}" + ("-six" if six else ""))
    source_count = max(10, min(2000, n // 50))
    sources = [
        {
            "id": f"bench-source-{i}",
            "title": f"Synthetic report {i}",
            "publisher": f"Bench Publisher {i % 17 + 1}",
            "url": f"https://example.org/bench/{i}",
            "published": f"{2010 + i % 15}-{i % 12 + 1:02d}",
        }
        for i in range(1, source_count + 1)
    ]
    orgs = organisations(six)
    records = pledges(n, rng, [s["id"] for s in sources], [o["id"] for o in orgs], six)

    out.mkdir(parents=True, exist_ok=True)
    stem = f"{'six-donors' if six else 'pledges'}-{n}"
    yaml_path, json_path = out / f"{stem}.yaml", out / f"{stem}.json"
    text = (
        f"# Synthetic benchmark data: {n} pledges (bench/generate.py, seed {seed}).\n"
        + _collection("sources", sources)
        + _collection("organisations", orgs)
        + _collection("pledges", records)
    )
    _write(yaml_path, text)
    _write(json_path, json.dumps([{**p, "donor": p["by"]} for p in records], indent=1) + "\n")
    return yaml_path, json_path


def _write(path: Path, text: str) -> None:
    """Write atomically, so an interrupted run never leaves a half file to be reused."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pledges", type=int, required=True, metavar="N")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--six-donors", action="store_true", help="every pledge money from one of six donors"
    )
    args = parser.parse_args(argv)
    if args.pledges < 1:
        parser.error("--pledges must be at least 1")
    for path in generate(args.pledges, args.out, args.seed, args.six_donors):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
