"""Whatever a data file holds, loading it gives a Dataset or a DataError: nothing else.

Fed (a) YAML documents built from nested values, some shaped like wpq's records, then
mutated, and (b) arbitrary bytes. Every problem must also stay one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wpq.errors import DataError
from wpq.loader import load_dataset
from wpq.model import COLLECTIONS, Dataset

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

FIELD_NAMES = sorted(
    {f.encode_name for record in COLLECTIONS.values() for f in msgspec.structs.fields(record)}
)
# values that matter to wpq: ids, codes, dates (real and not), amounts, YAML 1.1 words
SPECIAL = st.sampled_from(
    [
        "src",
        "uk-government",
        "london-2014",
        "GB",
        "NO",
        "gbp",
        "GBP",
        "XYZ",
        "2015",
        "2015-02-30",
        "2015-13",
        "2014-12-10",
        "funding",
        "summit",
        "government",
        "inferred",
        "yes",
        "",
        0,
        -1,
        2015,
        50_000_000,
        2**70,
        1.5,
        True,
        None,
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | SPECIAL
)
KEYS = st.sampled_from(FIELD_NAMES) | st.text(max_size=8) | st.integers(-3, 3) | st.none()


def nested(keys: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(
        SCALARS,
        lambda children: (
            st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5)
        ),
        max_leaves=25,
    )


RECORD = st.dictionaries(st.sampled_from(FIELD_NAMES), nested(KEYS) | SPECIAL, max_size=8)
SHAPED = st.dictionaries(
    st.sampled_from([*COLLECTIONS, "hostz", "event"]),
    st.lists(RECORD, max_size=4) | nested(KEYS),
    max_size=4,
)
# A small valid dataset, which ``near_valid`` perturbs a field or two at a time, so that
# records convert and the cross-record checks (references, dates, tranches, cycles) run.
VALID: dict[str, list[dict[str, Any]]] = {
    "sources": [{"id": "src", "title": "A report", "publisher": "An NGO"}],
    "countries": [{"code": "GB", "iso3": "GBR", "name": "United Kingdom"}],
    "organisations": [
        {"id": "uk-government", "name": "UK", "kind": "government", "country": "GB"},
        {
            "id": "home-office",
            "name": "Home Office",
            "kind": "government",
            "part_of": "uk-government",
        },
    ],
    "events": [
        {
            "id": "london-2014",
            "name": "London summit",
            "kind": "summit",
            "start": "2014-12-10",
            "end": "2014-12-11",
            "city": "London",
            "country": "GB",
            "hosts": ["uk-government"],
            "speakers": [{"name": "A Minister", "organisation": "home-office"}],
            "sources": ["src"],
        }
    ],
    "pledges": [
        {
            "id": "uk-50m",
            "by": "uk-government",
            "kind": "funding",
            "date": "2014-12",
            "summary": "Fifty million.",
            "made_at": "london-2014",
            "amount": 50_000_000,
            "currency": "GBP",
            "sources": ["src"],
        },
        {
            "id": "uk-10m",
            "by": "home-office",
            "kind": "funding",
            "date": "2015",
            "summary": "A tranche.",
            "amount": 10_000_000,
            "currency": "GBP",
            "part_of": "uk-50m",
            "programme": "global",
            "sources": ["src"],
        },
    ],
    "programmes": [
        {
            "id": "global",
            "name": "Global programme",
            "lead": "uk-government",
            "regions": [{"id": "europe", "name": "Europe"}],
            "countries": [{"country": "GB", "region": "europe"}],
            "funded_by": ["uk-10m"],
            "sources": ["src"],
        }
    ],
    "figures": [
        {"id": "f1", "statement": "Reports.", "value": 10, "unit": "reports", "sources": ["src"]}
    ],
}


@st.composite
def near_valid(draw: st.DrawFn) -> dict[str, Any]:
    document = {name: [dict(r) for r in records] for name, records in VALID.items()}
    for _ in range(draw(st.integers(0, 3))):
        collection = draw(st.sampled_from(sorted(document)))
        records = document[collection]
        index = draw(st.integers(0, len(records) - 1))
        if draw(st.integers(0, 9)) == 0:  # copy a record: a duplicate id
            records.append(dict(records[index]))
            continue
        record = records[index]
        field = draw(st.sampled_from(sorted(record)) | st.sampled_from(FIELD_NAMES))
        if field in record and draw(st.booleans()):
            del record[field]
        else:
            record[field] = draw(SPECIAL | nested(KEYS))
    return document


DOCUMENTS = near_valid() | SHAPED | nested(KEYS)
SIGNIFICANT = st.sampled_from([*":-[]{}&*!|>'\"#%@,?\n\t ", "<<", "&a", "*a", "---"])


@st.composite
def mutated_yaml(draw: st.DrawFn) -> bytes:
    text = yaml.safe_dump(draw(DOCUMENTS), allow_unicode=draw(st.booleans()), sort_keys=False)
    for _ in range(draw(st.sampled_from([0, 0, 1, 2, 4]))):
        if not text:
            break
        at = draw(st.integers(0, len(text)))
        how = draw(st.sampled_from(["insert", "delete", "duplicate-line", "swap-lines"]))
        if how == "insert":
            text = text[:at] + draw(SIGNIFICANT | st.text(max_size=3)) + text[at:]
        elif how == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 8)) :]
        else:
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if how == "duplicate-line":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text.encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module")
def data_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "data.yaml"


def load_only_dataset_or_data_error(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        result = load_dataset([path], bundled=False)
    except DataError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.path == str(path)
            assert "\n" not in str(problem), str(problem)
        return
    assert isinstance(result, Dataset)


@SETTINGS
@given(data=mutated_yaml())
def test_generated_yaml(data_file: Path, data: bytes) -> None:
    load_only_dataset_or_data_error(data_file, data)


@SETTINGS
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes(data_file: Path, data: bytes) -> None:
    load_only_dataset_or_data_error(data_file, data)


@SETTINGS
@given(prefix=mutated_yaml(), noise=st.binary(max_size=64), at=st.integers(0, 10_000))
def test_yaml_with_stray_bytes(data_file: Path, prefix: bytes, noise: bytes, at: int) -> None:
    at = min(at, len(prefix))
    load_only_dataset_or_data_error(data_file, prefix[:at] + noise + prefix[at:])
