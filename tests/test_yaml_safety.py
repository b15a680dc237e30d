"""YAML's traps, each handled: text stays text, duplicate keys and object tags are refused,
aliases cannot explode, and bad files or paths get one clear line, never a traceback."""

from __future__ import annotations

import re
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from wpq.cli import main
from wpq.errors import DataError
from wpq.load import text as textfile
from wpq.load.yamlfile import FileProblem, parse_file, read_text
from wpq.loader import load_dataset


@pytest.fixture(autouse=True)
def _no_env_data(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WPQ_DATA", "WPQ_DEBUG"):
        monkeypatch.delenv(name, raising=False)


def parse(tmp_path: Path, text: str | bytes) -> Any:
    path = tmp_path / "data.yaml"
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return parse_file(path)


def problems(tmp_path: Path, text: str | bytes) -> list[str]:
    """The problem lines of loading ``text`` as a user data file."""
    path = tmp_path / "data.yaml"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    with pytest.raises(DataError) as info:
        load_dataset([path], bundled=False)
    return [line.replace(f"{path}:", "", 1) for line in info.value.lines()]


# ---------------------------------------------------------------- text stays text


@pytest.mark.parametrize(
    "word", ["NO", "No", "no", "yes", "Yes", "YES", "on", "On", "off", "y", "n"]
)
def test_yaml_11_booleans_stay_text(tmp_path: Path, word: str) -> None:
    assert parse(tmp_path, f"a: {word}\n") == {"a": word}


@pytest.mark.parametrize("value", ["2015-02-30", "2015-11-16", "2015-11", "2014-12-10T10:00:00Z"])
def test_bare_dates_stay_text(tmp_path: Path, value: str) -> None:
    assert parse(tmp_path, f"a: {value}\n") == {"a": value}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1_000", "1_000"),
        ("0x1F", "0x1F"),
        ("1:20", "1:20"),
        (".inf", ".inf"),
        ("~", None),
        ("null", None),
        ("true", True),
        ("false", False),
        ("42", 42),
        ("-7", -7),
        ("2.5", 2.5),
        ('"42"', "42"),
        ("!!str 42", "42"),
    ],
)
def test_scalars_follow_wpq_rules(tmp_path: Path, text: str, value: Any) -> None:
    assert parse(tmp_path, f"a: {text}\n") == {"a": value}


def test_norway_stays_norway(tmp_path: Path) -> None:
    path = tmp_path / "no.yaml"
    path.write_text(
        """countries:
  - code: NO
    iso3: NOR
    name: Norway
organisations:
  - id: norway
    name: yes
    kind: government
    country: NO
"""
    )
    dataset = load_dataset([path], bundled=False)
    assert dataset.countries[0].code == "NO"
    assert dataset.organisations[0].country == "NO"
    assert dataset.organisations[0].name == "yes"


def test_bare_date_in_a_record_is_text(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("sources:\n  - id: s\n    title: T\n    publisher: P\n    published: 2015-11\n")
    assert load_dataset([path], bundled=False).sources[0].published == "2015-11"


# ---------------------------------------------------------------- duplicate keys


def test_duplicate_key_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileProblem) as info:
        parse(tmp_path, "a: 1\nb: 2\na: 3\n")
    assert (info.value.line, info.value.column) == (3, 1)
    assert str(info.value) == "duplicate key 'a'"
    assert "first at line 1" in info.value.hint


def test_duplicate_keys_are_all_reported_with_the_rest(tmp_path: Path) -> None:
    lines = problems(
        tmp_path,
        """sources:
  - id: s
    title: T
    title: U
    publisher: P
    publisher: Q
figures:
  - id: f
""",
    )
    assert [line.split(": ", 1)[0] for line in lines] == ["4:5", "6:5", "8:5", "8:5", "8:5", "8:5"]
    assert "duplicate key 'title' (first at line 3; keep one of them)" in lines[0]


# ---------------------------------------------------------------- tags


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object/new:os.system",
        "!!python/object:os.system",
        "!!python/name:os.system",
    ],
)
def test_python_tags_are_refused_and_never_run(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    text = f'a: {tag} ["touch {marker}"]\n'
    if tag.startswith("!!python/name"):
        text = f"a: {tag} ''\n"
    with pytest.raises(FileProblem) as info:
        parse(tmp_path, text)
    assert "is not allowed" in str(info.value)
    assert not marker.exists()


def test_os_system_tag_through_the_cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text(f'sources: !!python/object/apply:os.system ["touch {marker}"]\n')
    status = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert (status, out) == (1, "")
    assert err == (
        f"wpq: {path}:1:10: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not "
        "allowed (data files hold only plain text, numbers, lists and mappings)\n"
    )
    assert not marker.exists()


@pytest.mark.parametrize("tag", ["!!binary aGk=", "!!set {a}", "!!omap [a: 1]", "!custom x"])
def test_other_tags_are_refused(tmp_path: Path, tag: str) -> None:
    with pytest.raises(FileProblem, match="is not allowed"):
        parse(tmp_path, f"a: {tag}\n")


def test_merge_keys_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FileProblem, match="merge keys"):
        parse(tmp_path, "a: &x {b: 1}\nc:\n  <<: *x\n")


# ---------------------------------------------------------------- aliases and nesting


def billion_laughs(levels: int = 9) -> str:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        previous, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_fails_in_bounded_memory(tmp_path: Path) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(FileProblem) as info:
            parse(tmp_path, billion_laughs())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "aliases expand to far more values than the file holds" in str(info.value)
    assert "billion laughs" in info.value.hint
    assert peak < 20_000_000  # 10**10 strings would need far more


def test_billion_laughs_through_the_cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "lol.yaml"
    path.write_text(billion_laughs())
    assert main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"wpq: {path}:") and "aliases expand" in err


def test_modest_aliases_are_fine(tmp_path: Path) -> None:
    assert parse(tmp_path, "a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileProblem, match="nests deeper than 64 levels"):
        parse(tmp_path, "a: &x [*x]\n")


DEEP = {
    "unclosed": "a: " + "[" * 100_000,
    "flow-list": "a: " + "[" * 30_000 + "]" * 30_000,
    "flow-map": "a: " + "{b: " * 30_000 + "}" * 30_000,
    "block": "- " * 30_000 + "x\n",
    "indented": "".join(" " * i + "a:\n" for i in range(1_200)) + " " * 1_200 + "b\n",
    "just-over": "a: " + "[" * 64 + "]" * 64 + "\n",
}


@pytest.mark.parametrize("name", list(DEEP))
def test_deep_nesting_is_one_line_at_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """One message for one problem: wpq stops building at level 65, as the parser's events
    arrive, before libyaml's own limit (1,000 levels in 0.2.6 and later; none before) and
    without recursion, so no libyaml, old or new, decides what the user sees."""
    path = tmp_path / "deep.yaml"
    path.write_text(DEEP[name])
    assert main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, lines
    match = re.fullmatch(rf"wpq: {re.escape(str(path))}:(\d+):(\d+): (.*)", lines[0])
    assert match, lines[0]
    assert "nests deeper than 64 levels" in match[3]
    # a place inside the nesting: where level 65 opens
    line, column = int(match[1]), int(match[2])
    lines_of_text = DEEP[name].splitlines()
    assert 1 <= line <= len(lines_of_text)
    assert 1 <= column <= len(lines_of_text[line - 1]) + 1


def test_nesting_at_the_limit_is_accepted(tmp_path: Path) -> None:
    assert parse(tmp_path, "a: " + "[" * 63 + "]" * 63 + "\n") is not None


# ---------------------------------------------------------------- bytes and paths


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    assert parse(tmp_path, b"\xef\xbb\xbfa: NO\n") == {"a": "NO"}


def test_not_utf8_names_line_and_column(tmp_path: Path) -> None:
    assert problems(tmp_path, b"sources:\n  - id: caf\xe9\n") == [
        "2:12: not UTF-8 text: byte 0xe9 cannot be decoded (save the file as UTF-8)"
    ]


def test_utf16_is_not_utf8(tmp_path: Path) -> None:
    lines = problems(tmp_path, "sources: []\n".encode("utf-16"))
    assert lines == ["1:1: not UTF-8 text: byte 0xff cannot be decoded (save the file as UTF-8)"]


@pytest.mark.parametrize("text", [b"", b"\n\n  \n", b"\xef\xbb\xbf"])
def test_empty_file_is_an_error(tmp_path: Path, text: bytes) -> None:
    assert problems(tmp_path, text) == ["1:1: file is empty (expected a mapping of collections)"]


def test_comments_only_file(tmp_path: Path) -> None:
    assert problems(tmp_path, "# nothing yet\n") == [
        "1:1: file holds no YAML document, only comments (expected a mapping of collections)"
    ]


def test_empty_mapping_is_an_empty_dataset(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("{}\n")
    assert load_dataset([path], bundled=False).sources == ()


def test_control_character(tmp_path: Path) -> None:
    assert problems(tmp_path, "a: é\nb: x\x07y\n") == [
        "2:5: character U+0007 is not allowed in YAML (remove control characters from the file)"
    ]


def test_huge_number_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    assert problems(tmp_path, "a: " + "9" * 5000 + "\n") == [
        "1:4: number of 5000 digits is too long (quote it as text)"
    ]


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text("sources: []\n")

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(textfile, "open", refuse, raising=False)  # as root, chmod is no bar
    with pytest.raises(DataError) as info:
        load_dataset([path], bundled=False)
    assert info.value.lines() == [f"{path}: cannot read: Permission denied"]


def test_unreadable_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Path) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", refuse)
    with pytest.raises(DataError) as info:
        load_dataset([tmp_path], bundled=False)
    assert info.value.lines() == [f"{tmp_path}: cannot read: Permission denied"]


def test_read_text_of_a_directory(tmp_path: Path) -> None:
    with pytest.raises(FileProblem, match="is a directory"):
        read_text(tmp_path)


def write(name: str, data: bytes | None) -> Any:
    """A maker of a path in a directory: a file holding ``data``, or (None) a subdirectory."""

    def make(directory: Path) -> Path:
        path = directory / name
        if data is None:
            path.mkdir()
        else:
            path.write_bytes(data)
        return path

    return make


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda d: d / "missing.yaml", "{p}: no such file or directory"),
        (write("empty", None), "{p}: directory holds no .yaml or .yml"),
        (write("e.yaml", b""), "{p}:1:1: file is empty"),
        (write("b.yaml", b"a: \xff"), "{p}:1:4: not UTF-8"),
        (
            write("s.yaml", b"a: [b\nc: d\n"),
            "{p}:2:2: YAML syntax error: while parsing a flow sequence (line 1)",
        ),
    ],
    ids=["missing", "empty-directory", "empty-file", "not-utf8", "syntax"],
)
def test_cli_gives_one_line_never_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, make: Any, expected: str
) -> None:
    path = make(tmp_path)
    for argv in (["validate", str(path)], ["events", "--no-bundled", "--data", str(path)]):
        status = main(argv)
        out, err = capsys.readouterr()
        assert (status, out) == (1, "")
        assert err.startswith("wpq: " + expected.format(p=path)), err
        assert err.count("\n") == 1
        assert "Traceback" not in err


def test_overflowing_float_is_a_problem(tmp_path: Path) -> None:
    assert problems(tmp_path, "a: 1.0e+400\n") == ["1:4: number 1.0e+400 is too large"]
