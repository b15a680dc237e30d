"""Users' own records as a new user writes them (issue 12): countries by ISO code without
declaring them, a name where an id belongs answered with the id meant, a file validated
with the bundled data it refers to, a template to start from, every vocabulary listed
where a user looks, and the user's records in every command's answer.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml

from tests.conftest import Result
from wpq import references, vocabulary
from wpq.export.schema import data_file_schema
from wpq.export.template import data_template
from wpq.loader import BUNDLED_DIR
from wpq.model import EVENT_KINDS, ORG_KINDS, PLEDGE_KINDS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "example-data.yaml"

# Two governments the bundled data lacks, in countries it lacks, written as the README says:
# undeclared ISO codes, references to bundled records by id, a pledge with a tranche.
USER = """\
sources:
  - id: nordic-report-2024
    title: Nordic helplines report
    publisher: Nordic Council
organisations:
  - id: norway-gov
    name: Government of Norway
    kind: government
    country: NO
  - id: germany-gov
    name: Government of Germany
    kind: government
    country: "DE"
events:
  - id: oslo-forum-2024
    name: Oslo Forum on Helplines
    kind: forum
    start: "2024-03-12"
    city: Oslo
    country: "NO"
    hosts: [norway-gov]
    sources: [nordic-report-2024]
pledges:
  - id: norway-2m-2024
    by: norway-gov
    kind: funding
    date: "2024-03-12"
    summary: Two million dollars for helplines.
    amount: 2000000
    currency: USD
    to: end-violence-fund
    made_at: oslo-forum-2024
    sources: [nordic-report-2024]
  - id: norway-500k-2024
    by: norway-gov
    kind: funding
    date: "2024-06"
    summary: The first part of the two million.
    amount: 500000
    currency: USD
    to: end-violence-fund
    part_of: norway-2m-2024
    sources: [nordic-report-2024]
  - id: germany-1m-2024
    by: germany-gov
    kind: funding
    date: "2024-04"
    summary: One million euros for helplines.
    amount: 1000000
    currency: EUR
    to: end-violence-fund
    sources: [nordic-report-2024]
programmes:
  - id: nordic-helplines
    name: Nordic Helplines Programme
    lead: norway-gov
    countries:
      - country: "NO"
      - country: "DE"
    sources: [nordic-report-2024]
figures:
  - id: oslo-forum-helplines-2024
    statement: Helplines that took part in the Oslo forum.
    value: 14
    unit: helplines
    measured_by: norway-gov
    sources: [nordic-report-2024]
"""


@pytest.fixture
def user_file(tmp_path: Path) -> Path:
    path = tmp_path / "my-pledges.yaml"
    path.write_text(USER)
    return path


def written(tmp_path: Path, text: str, name: str = "mine.yaml") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def one_problem(result: Result) -> str:
    assert (result.code, result.out) == (1, ""), result
    lines = result.err.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# ---------------------------------------------------------------- 1. ISO countries


def test_undeclared_iso_countries_validate_and_query(run: Any, user_file: Path) -> None:
    assert run("validate", str(user_file)).code == 0
    rows = json.loads(run("events", "--data", str(user_file), "--country", "norway", "--json").out)
    assert [(r["id"], r["country"], r["country_name"]) for r in rows] == [
        ("oslo-forum-2024", "NO", "Norway")
    ]
    # ISO's alpha-3 code names the country too, and a government by it
    assert json.loads(run("pledges", "--data", str(user_file), "--pledger", "DEU", "--json").out)


def _run_wpq(args: list[str], cache: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WPQ_")}
    return subprocess.run(
        [sys.executable, *flags, "-m", "wpq", *args],
        capture_output=True,
        text=True,
        env={**env, "XDG_CACHE_HOME": str(cache)},
        check=False,
    )


def test_a_query_from_the_cache_does_not_import_pycountry(user_file: Path, tmp_path: Path) -> None:
    args = ["events", "--data", str(user_file), "--country", "norway", "--json"]
    cold = _run_wpq(args, tmp_path / "cache", "-X", "importtime")
    warm = _run_wpq(args, tmp_path / "cache", "-X", "importtime")
    assert cold.returncode == warm.returncode == 0, cold.stderr
    assert cold.stdout == warm.stdout
    assert re.search(r"\|\s+pycountry$", cold.stderr, re.M)  # checking the files needs it
    assert re.search(r"\|\s+msgspec$", warm.stderr, re.M)  # the warm run is traced...
    assert not re.search(r"pycountry", warm.stderr)  # ...and never reaches pycountry
    assert json.loads(warm.stdout)[0]["country_name"] == "Norway"


def test_declaring_a_country_as_iso_or_the_bundled_data_does_is_no_error(
    run: Any, tmp_path: Path
) -> None:
    # SE the old way (code, iso3, name, as the README once asked); VN as the bundled file has it
    path = written(
        tmp_path,
        'countries:\n  - {code: "SE", iso3: SWE, name: Sweden}\n  - {code: "VN", name: Viet Nam}\n',
    )
    assert run("validate", path).code == 0


def test_an_entry_adds_aliases_to_a_bundled_country(run: Any, tmp_path: Path) -> None:
    path = written(tmp_path, 'countries:\n  - code: "GB"\n    aliases: [Blighty]\n')
    shown = json.loads(run("show", "GB", "--data", path, "--json").out)["record"]
    assert shown["name"] == "United Kingdom"
    assert {"UK", "Blighty"} <= set(shown["aliases"])
    bundled = run("events", "--country", "uk", "--json").out
    assert run("events", "--country", "blighty", "--data", path, "--json").out == bundled


def test_an_entry_that_renames_a_bundled_country_names_both_places(
    run: Any, tmp_path: Path
) -> None:
    path = written(tmp_path, 'countries:\n  - code: "VN"\n    name: Vietnam\n')
    line = one_problem(run("validate", path))
    assert line.startswith(f"wpq: {path}:3:11: countries[0].name: ")
    assert "'Vietnam' here but 'Viet Nam'" in line
    bundled = BUNDLED_DIR / "countries.yaml"
    number = bundled.read_text().splitlines().index("    name: Viet Nam") + 1
    assert f"{bundled}:{number}:11" in line


def test_an_invalid_code_is_an_error_with_the_closest_valid_ones(run: Any, tmp_path: Path) -> None:
    path = written(tmp_path, USER.replace('country: "DE"', 'country: "DX"', 1))
    line = one_problem(run("validate", path))
    assert "organisations[1].country: unknown country 'DX'" in line
    assert "'DE' (Germany)" in line  # one letter away, and used by this data


# ---------------------------------------------------------------- 2. validate as it is used


def test_validate_checks_a_file_with_the_bundled_data_it_refers_to(
    run: Any, user_file: Path
) -> None:
    assert run("validate", str(user_file)).code == 0
    alone = run("validate", "--no-bundled", str(user_file))
    assert alone.code == 1
    assert "unknown organisation 'end-violence-fund'" in alone.err


def test_validate_reports_an_id_that_clashes_with_a_bundled_one(run: Any, tmp_path: Path) -> None:
    path = written(tmp_path, "organisations:\n  - {id: unicef, name: UNICEF, kind: un-agency}\n")
    line = one_problem(run("validate", path))
    assert "duplicate id 'unicef'" in line
    assert f"also defined at {BUNDLED_DIR / 'organisations.yaml'}:" in line
    assert run("validate", "--no-bundled", path).code == 0


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    by: norway-gov\n",
            "    by: Norway\n",
            "pledges[0].by: unknown organisation 'Norway'; "
            "did you mean 'norway-gov' (Government of Norway)?",
        ),
        (
            "    to: end-violence-fund\n",
            "    to: End Violence Fund\n",
            "pledges[0].to: unknown organisation 'End Violence Fund'; "
            "did you mean 'end-violence-fund' (Fund to End Violence Against Children)?",
        ),
        (
            "    made_at: oslo-forum-2024\n",
            "    made_at: oslo-forum\n",
            "pledges[0].made_at: unknown event 'oslo-forum'; "
            "did you mean 'oslo-forum-2024' (Oslo Forum on Helplines)?",
        ),
        (
            "    hosts: [norway-gov]\n",
            "    hosts: [Government of Norway]\n",
            "events[0].hosts[0]: unknown organisation 'Government of Norway'; "
            "did you mean 'norway-gov' (Government of Norway)?",
        ),
    ],
    ids=["by", "to", "made_at", "hosts"],
)
def test_a_reference_by_name_gets_the_id_meant(
    run: Any, tmp_path: Path, old: str, new: str, message: str
) -> None:
    line = one_problem(run("validate", written(tmp_path, USER.replace(old, new, 1))))
    assert message in line


def _patterns(info: Any) -> set[str]:
    """Every string pattern inside a msgspec type (through metadata, unions, lists)."""
    found = {info.pattern} if getattr(info, "pattern", None) else set()
    for inner in ("type", "item_type"):
        if hasattr(info, inner):
            found |= _patterns(getattr(info, inner))
    for option in getattr(info, "types", ()):
        found |= _patterns(option)
    return found


def test_every_id_field_is_a_known_reference() -> None:
    """A field that holds ids is in REFERENCE_FIELDS, so it is checked and suggested from."""
    import msgspec

    from wpq import model

    [slug] = _patterns(msgspec.inspect.type_info(model.Id))
    seen = set()
    for record_type in (*model.COLLECTIONS.values(), *references.REFERENCE_FIELDS):
        for field in msgspec.structs.fields(record_type):
            holds_ids = slug in _patterns(msgspec.inspect.type_info(field.type))
            # a record's own id; a programme country's region, one of its programme's own
            own = field.name == "id" or (record_type, field.name) == (
                model.ProgrammeCountry,
                "region",
            )
            if holds_ids and not own:
                seen.add((record_type.__name__, field.encode_name))
                assert references.reference_target(record_type, field.encode_name), field
    assert {("Pledge", "with"), ("Speaker", "organisation"), ("Quote", "source")} <= seen


def test_a_missing_source_gets_a_near_id_or_no_suggestion(run: Any, tmp_path: Path) -> None:
    typo = run(
        "validate",
        written(tmp_path, USER.replace("[nordic-report-2024]", "[nordc-report-2024]", 1)),
    )
    assert "did you mean 'nordic-report-2024' (Nordic helplines report)?" in one_problem(typo)
    # nothing like it: no bundled source that merely shares "-press-20"
    other = run(
        "validate", written(tmp_path, USER.replace("[nordic-report-2024]", "[nrk-press-2024]", 1))
    )
    line = one_problem(other)
    assert "unknown source 'nrk-press-2024'" in line
    assert "did you mean" not in line


def test_a_record_with_a_bad_field_still_has_its_references_checked(
    run: Any, tmp_path: Path
) -> None:
    text = USER.replace("    by: germany-gov\n", "    by: Germany\n").replace(
        "    currency: EUR\n    to: end-violence-fund\n    sources: [nordic-report-2024]",
        "    currency: EUR\n    to: end-violence-fund\n    sources: [nordic-reprot-2024]",
    )
    result = run("validate", written(tmp_path, text))
    assert result.code == 1
    lines = result.err.splitlines()
    assert len(lines) == 2
    assert "did you mean 'germany-gov'" in lines[0]
    assert "unknown source 'nordic-reprot-2024'" in lines[1]


# ---------------------------------------------------------------- 3. a template to start from


def test_new_writes_a_template_that_validates_as_written(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "records.yaml"
    result = run("new", str(path))
    assert (result.code, result.out) == (0, "")
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    assert run("validate", str(path)).code == 0
    assert run("validate", "--no-bundled", str(path)).code == 0
    document = yaml.safe_load(text)
    for collection in ("sources", "organisations", "events", "pledges"):
        assert document[collection], collection
    pledges = {p["id"]: p for p in document["pledges"]}
    assert any(p.get("part_of") in pledges for p in pledges.values())  # a tranche of a pledge
    summary = run("funding", "--data", str(path), "--no-bundled", "--summary", "--json").out
    measured = json.loads(summary)
    assert measured["pledged"] == [{"currency": "USD", "amount": 1_000_000}]  # counted once
    assert measured["paid"] == [{"currency": "USD", "amount": 250_000}]  # the tranche paid


def test_new_never_replaces_a_file(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "records.yaml"
    path.write_text("mine\n")
    result = run("new", str(path))
    assert (result.code, result.out) == (2, "")
    assert "already exists" in result.err
    assert path.read_text() == "mine\n"
    link = tmp_path / "link.yaml"
    link.symlink_to(tmp_path / "elsewhere.yaml")  # not even through a link to nowhere
    assert run("new", str(link)).code == 2
    assert not (tmp_path / "elsewhere.yaml").exists()


def test_new_dash_prints_the_template(run: Any) -> None:
    assert run("new", "-") == (0, data_template(), "")


def test_the_template_lists_the_kinds_from_the_model() -> None:
    text = data_template()
    for kinds in (ORG_KINDS, EVENT_KINDS, PLEDGE_KINDS):
        assert ", ".join(kinds) in text


def test_readme_shows_the_example_file() -> None:
    readme = (ROOT / "README.md").read_text()
    assert f"```yaml\n{EXAMPLE.read_text()}```\n" in readme


def test_the_example_file_validates_and_queries(run: Any) -> None:
    assert run("validate", str(EXAMPLE)).code == 0
    summary = run("funding", "--data", str(EXAMPLE), "--donor", "exfo", "--summary", "--json")
    measured = json.loads(summary.out)
    assert measured["pledged"] == [{"currency": "NOK", "amount": 3_000_000}]
    assert measured["paid"] == [{"currency": "NOK", "amount": 1_000_000}]
    events = json.loads(run("events", "--data", str(EXAMPLE), "--country", "NO", "--json").out)
    assert [e["country_name"] for e in events] == ["Norway"]


# ---------------------------------------------------------------- 4. vocabularies


VOCABULARIES = {
    "organisation kind": vocabulary.OrgKind,
    "event kind": vocabulary.EventKind,
    "pledge kind": vocabulary.PledgeKind,
    "stage": vocabulary.Stage,
    "evidence": vocabulary.Evidence,
    "qualifier": vocabulary.Qualifier,
}


def test_every_value_of_every_vocabulary_has_a_meaning() -> None:
    assert set(vocabulary.MEANINGS) == set(VOCABULARIES)
    for name, literal in VOCABULARIES.items():
        assert list(vocabulary.MEANINGS[name]) == list(get_args(literal)), name


def _enum_fields(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        found = [node] if "enum" in node else []
        return found + [f for value in node.values() for f in _enum_fields(value)]
    if isinstance(node, list):
        return [f for item in node for f in _enum_fields(item)]
    return []


def test_the_schema_describes_every_allowed_value() -> None:
    fields = _enum_fields(data_file_schema())
    assert len(fields) >= 8  # three kinds, evidence in five records, two qualifiers
    for field in fields:
        for value in field["enum"]:
            assert f"{value}: " in field.get("description", ""), field


def test_readme_data_table_lists_every_kind() -> None:
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("| collection | required fields") :]
    rows = {line.split("|")[1].strip(" `"): line for line in table.splitlines()[2:9]}
    for collection, kinds in (
        ("organisations", ORG_KINDS),
        ("events", EVENT_KINDS),
        ("pledges", PLEDGE_KINDS),
    ):
        assert all(f"`{kind}`" in rows[collection] for kind in kinds), collection
    assert all(f"`{v}`" in readme for v in get_args(vocabulary.Evidence))


def test_a_rejected_kind_lists_every_allowed_one(run: Any, tmp_path: Path) -> None:
    line = one_problem(
        run("validate", written(tmp_path, USER.replace("kind: forum", "kind: forun")))
    )
    assert "did you mean 'forum'?" in line
    assert "one of: " + ", ".join(EVENT_KINDS) in line


# ---------------------------------------------------------------- 5. every command


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        (["events"], ["oslo-forum-2024", "Norway"]),
        (["funding", "--donor", "norway"], ["norway-2m-2024", "norway-500k-2024"]),
        (["funding", "--summary", "--by", "donor"], ["norway-gov", "germany-gov"]),
        (["countries", "--programme", "nordic-helplines"], ["Norway", "Germany"]),
        (["pledges", "--pledger", "germany"], ["germany-1m-2024"]),
        (["figures", "--about", "helplines"], ["oslo-forum-helplines-2024"]),
        (["summary"], ["Government of Norway", "Nordic Helplines Programme"]),
        (["timeline", "--year", "2024"], ["oslo-forum-2024", "norway-2m-2024"]),
        (["show", "norway-gov"], ["norway-2m-2024", "oslo-forum-2024"]),
        (["show", "DE"], ["Germany", "DEU", "germany-gov"]),
        (["sources"], ["nordic-report-2024", "pledges/norway-2m-2024"]),
        (["search", "Oslo"], ["oslo-forum-2024"]),
    ],
    ids=lambda v: "-".join(v) if isinstance(v, list) else None,
)
def test_every_command_answers_with_the_users_records(
    run: Any, user_file: Path, args: list[str], wanted: list[str]
) -> None:
    result = run(*args, "--data", str(user_file), "--json")
    assert result.code == 0, result.err
    for text in wanted:
        assert text in result.out, text
    bundled = run(*args, "--json")  # and none of it without the file
    assert not any(text in bundled.out for text in wanted if "-" in text)


def test_export_holds_the_users_records(run: Any, user_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "wpq.db"
    assert run("export", "--sqlite", str(path), "--data", str(user_file)).code == 0
    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys = ON")
    assert db.execute("select name, iso3 from countries where code = 'NO'").fetchall() == [
        ("Norway", "NOR")
    ]
    assert db.execute("select country from events where id = 'oslo-forum-2024'").fetchall() == [
        ("NO",)
    ]
    assert db.execute("""select count(*) from pledges where "by" like '%-gov'""").fetchone() == (3,)
    assert db.execute("select value from figures where id = 'oslo-forum-helplines-2024'").fetchall()
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.close()


def test_completion_offers_the_users_records(user_file: Path) -> None:
    from tests.test_finish import complete

    assert "norway-gov" in complete("funding", "--data", str(user_file), "--donor", "nor")
    assert "Norway" in complete("events", "--data", str(user_file), "--country", "Nor")
    assert "nordic-helplines" in complete(
        "countries", "--data", str(user_file), "--programme", "nor"
    )


# The characters a text cannot consist of alone besides whitespace: controls, the soft hyphen,
# bidirectional marks and overrides, zero-width and invisible ones, the byte-order mark.
_INVISIBLE = {
    *map(chr, range(0x00, 0x20)),
    *map(chr, range(0x7F, 0xA0)),
    "\u00ad",
    "\u061c",
    "\u180e",
    *map(chr, range(0x200B, 0x2010)),
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2060, 0x2065)),
    *map(chr, range(0x2066, 0x206A)),
    "\ufeff",
}


def test_text_needs_one_character_that_is_neither_a_space_nor_invisible() -> None:
    """``VISIBLE_PATTERN`` (searched, as msgspec does) finds every character of the Basic
    Multilingual Plane that is not whitespace and not invisible, and no other."""
    from wpq.values import VISIBLE_PATTERN

    visible = re.compile(VISIBLE_PATTERN)
    wrong = [
        hex(code)
        for code in range(0x10000)
        if bool(visible.search(chr(code)))
        != (not chr(code).isspace() and chr(code) not in _INVISIBLE)
    ]
    assert wrong == []
    assert visible.search(" \u200b\u00a0x") and not visible.search(" \u200b\u00a0\t\ufeff")


def test_fields_holding_tuples_are_read_alike_from_every_record_type() -> None:
    """``model.tuple_fields`` (read from the annotations as written) names the fields that
    ``typing.get_type_hints`` says hold a tuple, for each record type and its unchecked
    twin that the cache decodes into."""
    import typing

    import msgspec

    from wpq import model
    from wpq.cache.trusted import trusted

    types = {t for t in vars(model).values() if isinstance(t, type) and issubclass(t, model.Record)}
    assert model.Pledge in types and model.Speaker in types
    for record_type in types:
        hints = typing.get_type_hints(record_type)
        holding = {n for n in hints if typing.get_origin(hints[n]) is tuple}
        assert model.tuple_fields(record_type) == holding, record_type
        if msgspec.structs.fields(record_type):
            assert model.tuple_fields(trusted(record_type)) == holding, record_type
    assert {"hosts", "speakers", "sources"} <= model.tuple_fields(model.Event)
