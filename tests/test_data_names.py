"""Names in data files: a country by its ISO 3166-1 name is taken as its code, and no two
records share an id, name or alias (``load/countries.py``, ``load/clashes.py``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

FILE = """\
sources:
  - id: my-src
    title: A report
    publisher: Me
organisations:
  - id: iceland-gov
    name: Government of Iceland
    kind: government
    country: {iceland}
events:
  - id: vienna-2020
    name: Vienna meeting
    kind: meeting
    start: "2020"
    city: Vienna
    country: {austria}
    sources: [my-src]
programmes:
  - id: my-programme
    name: My programme
    lead: iceland-gov
    countries:
      - country: {ireland}
    sources: [my-src]
"""


def written(tmp_path: Path, **countries: str) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(FILE.format(**countries))
    return path


def test_iso_names_in_a_data_file_are_their_codes(run: Any, tmp_path: Path) -> None:
    path = written(tmp_path, iceland="Iceland", austria="austria", ireland="IRELAND")
    result = run("validate", str(path))
    assert result.code == 0, result.err
    data = ("--data", str(path))
    [event] = json.loads(run("events", *data, "--country", "AT", "--json").out)
    assert (event["id"], event["country"], event["country_name"]) == (
        "vienna-2020",
        "AT",
        "Austria",
    )
    [org] = json.loads(run("organisations", *data, "--country", "Iceland", "--json").out)
    assert org["country"] == "IS"
    [programme] = json.loads(run("programmes", *data, "--country", "IE", "--json").out)
    assert programme["id"] == "my-programme"
    # the same file written with codes gives the same records
    coded = written(tmp_path, iceland='"IS"', austria='"AT"', ireland='"IE"')
    assert run("show", "vienna-2020", "--data", str(coded), "--json").out == run(
        "show", "vienna-2020", *data, "--json"
    ).out.replace(str(path), str(coded))


def test_a_misspelt_country_is_suggested_from_iso_first(run: Any, tmp_path: Path) -> None:
    path = written(tmp_path, iceland="Icelnd", austria="Austria", ireland="Ireland")
    result = run("validate", str(path))
    assert result.code == 1
    [line] = result.err.splitlines()
    assert "unknown country 'Icelnd'; did you mean 'IS' (Iceland)?" in line
    assert "Finland" not in line


def test_a_name_is_never_a_part_of_a_country_name(run: Any, tmp_path: Path) -> None:
    # "Northern Ireland" is in the UK's long name, but names no country
    path = written(tmp_path, iceland="Iceland", austria="Northern Ireland", ireland="Ireland")
    assert "unknown country 'Northern Ireland'" in run("validate", str(path)).err


@pytest.mark.parametrize(
    ("added", "message"),
    [
        (
            "  - id: ukcis\n    name: UKCIS\n    kind: group\n    aliases: [UK]\n",
            "the alias 'UK' already names organisation 'uk-government'",
        ),
        (
            "  - id: home-office-2\n    name: HOME  OFFICE\n    kind: government\n",
            "the name 'HOME  OFFICE' already names organisation 'home-office'",
        ),
        (
            "  - id: my-group\n    name: My group\n    kind: group\n    aliases: [dfid]\n",
            "the alias 'dfid' already names organisation 'dfid'",
        ),
    ],
)
def test_a_name_another_record_has_is_a_data_error_naming_both_places(
    run: Any, tmp_path: Path, added: str, message: str
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("organisations:\n" + added)
    result = run("validate", str(path))
    assert (result.code, result.out) == (1, "")
    [line] = result.err.splitlines()
    assert line.startswith(f"wpq: {path}:") and message in line
    assert "organisations.yaml:" in line  # where the other record has it
    # and the queries it would have broken refuse the data, as for a duplicate id
    assert run("funding", "--donor", "UK", "--data", str(path)).code == 1
