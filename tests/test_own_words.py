"""Summaries, statements and notes are in our own words: no excerpt of a source is copied
outside ``quotes``.

The excerpts under test are the quoted excerpts of the research notes the data was built
from (the fact sheets' excerpt columns, and the sentences of the two seed pages), kept in
``tests/fixtures/excerpts.txt`` so that the test runs in any clone. The notes live beside
the repository, not in it; when they change, refresh the fixture with

    python tests/test_own_words.py --update [NOTES]

where NOTES is the folder holding ``facts/*.md`` and ``seeds/*.txt`` (default: the
``WPQ_SHARED_DIR`` environment variable, else ``../shared`` beside the repository).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import msgspec
from conftest import every_record, walk

from wpq.model import Dataset

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "excerpts.txt"

# Fields written in our own words; names, aliases, titles and roles may be verbatim.
PROSE = ("summary", "statement", "outcomes", "note", "notes", "value_text", "what")
CELL = re.compile(r"(?<!\\)\|")
QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
CUT = re.compile(r"\[…\]|\[sic\]|…|\.\.\.")
MIN_WORDS = 8


def words(text: str) -> str:
    """``text`` as lower-case words: quotes, dashes, punctuation and spacing don't matter."""
    for curly, plain in {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\\": "",
    }.items():
        text = text.replace(curly, plain)
    return " ".join(re.sub(r"[^\w£$%']+", " ", text.lower()).split())


# ---------------------------------------------------------------- reading the notes (--update)


def fact_sheet_excerpts(sheets: list[Path]) -> list[tuple[str, str]]:
    """(file:line, words) for each quoted run of 8+ words in an excerpt column of a fact sheet."""
    found = []
    for path in sheets:
        columns: list[int] | None = None
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.startswith("|"):
                columns = None
                continue
            cells = [c.strip() for c in CELL.split(line.strip().strip("|"))]
            if columns is None:
                columns = [i for i, c in enumerate(cells) if "excerpt" in c.lower()]
                continue
            for i in columns:
                for quoted_text in QUOTED.findall(cells[i] if i < len(cells) else ""):
                    for piece in CUT.split(quoted_text):  # a cut […] joins two separate runs
                        if len(words(piece).split()) >= MIN_WORDS:
                            found.append((f"{path.name}:{number}", words(piece)))
    return found


def seed_sentences(seeds: list[Path]) -> list[tuple[str, str]]:
    found = []
    for path in seeds:
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", path.read_text(encoding="utf-8")):
            if len(words(sentence).split()) >= MIN_WORDS:
                found.append((path.name, words(sentence)))
    return found


def fixture_text(notes: Path) -> str:
    sheets = sorted((notes / "facts").glob("*.md"))
    seeds = sorted((notes / "seeds").glob("*.txt"))
    if not sheets or not seeds:
        raise SystemExit(f"no facts/*.md and seeds/*.txt under {notes}")
    seen: set[str] = set()
    lines = [
        "# Excerpts of the research notes, as lower-case words (tests/test_own_words.py).",
        "# origin<TAB>words; origin is a fact sheet and line, or a seed page.",
        "# Written by: python tests/test_own_words.py --update [NOTES]",
    ]
    for origin, text in fact_sheet_excerpts(sheets) + seed_sentences(seeds):
        if text not in seen:
            seen.add(text)
            lines.append(f"{origin}\t{text}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- the tests


def excerpts(kind: str) -> list[tuple[str, str]]:
    """(origin, words) from the fixture: ``sheets`` (fact sheet excerpts) or ``seeds``."""
    found = []
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            origin, text = line.split("\t")
            if (".md:" in origin) == (kind == "sheets"):
                found.append((origin, text))
    return found


def prose(ds: Dataset) -> list[tuple[str, str]]:
    """(where, words) for every field written in our own words, quotes left out."""
    found = []
    for name, key, record in every_record(ds):
        for path, mapping in walk(msgspec.to_builtins(record), skip=frozenset({"quotes"})):
            for field in PROSE:
                value = mapping.get(field)
                for text in value if isinstance(value, (list, tuple)) else [value]:
                    if isinstance(text, str):
                        found.append((f"{name}/{key}{path}.{field}", words(text)))
    return found


def quoted(ds: Dataset) -> list[tuple[str, str]]:
    return [
        (f"{name}/{key}", words(quote.text))
        for name, key, record in every_record(ds)
        for quote in getattr(record, "quotes", ())
    ]


def copies(found: list[tuple[str, str]], targets: list[tuple[str, str]]) -> list[str]:
    return [
        f"{origin} copied in {where}: {excerpt!r}"
        for origin, excerpt in found
        for where, text in targets
        if f" {excerpt} " in f" {text} "
    ]


def test_the_fixture_holds_the_excerpts_and_the_quotes_that_reuse_them(bundled: Dataset) -> None:
    sheets, seeds = excerpts("sheets"), excerpts("seeds")
    assert len(sheets) >= 100 and len(seeds) >= 20
    assert all(len(text.split()) >= MIN_WORDS and text == words(text) for _, text in sheets + seeds)
    # Quotes are the one place for verbatim words, so some must match: the matcher works.
    assert copies(sheets, quoted(bundled))
    assert copies(seeds, quoted(bundled))


def test_no_fact_sheet_excerpt_is_copied_outside_quotes(bundled: Dataset) -> None:
    assert copies(excerpts("sheets"), prose(bundled)) == []


def test_no_seed_sentence_is_copied_outside_quotes(bundled: Dataset) -> None:
    assert copies(excerpts("seeds"), prose(bundled)) == []


def test_a_copied_excerpt_is_caught_wherever_it_sits() -> None:
    origin, excerpt = excerpts("sheets")[0]
    sentence = f"As the sheet puts it, {excerpt.upper()}, and more."
    assert copies([(origin, excerpt)], [("figures/x.note", words(sentence))])
    assert not copies([(origin, excerpt)], [("figures/x.note", words(excerpt)[:-1])])


if __name__ == "__main__" and sys.argv[1:2] == ["--update"]:
    default = os.environ.get("WPQ_SHARED_DIR", str(ROOT.parent / "shared"))
    notes = Path(sys.argv[2] if len(sys.argv) > 2 else default)
    FIXTURE.write_text(fixture_text(notes), encoding="utf-8")
    print(f"wrote {FIXTURE.relative_to(ROOT)} from {notes}")
