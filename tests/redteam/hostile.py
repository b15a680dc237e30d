"""A generator of hostile data files: each family of attack the red team tried, as cases.

A case is a file's bytes (or how to make a path that is not a plain file), the command to
run on it and what wpq must answer: the exit code, how many stderr lines and a fragment of
one. Every case is self-contained (it holds the records it refers to), so ``--no-bundled``
sees only its own problem. The corpus in ``tests/bad/`` is one more family.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

BAD = Path(__file__).resolve().parents[1] / "bad"

BASE = """\
sources:
  - id: src
    title: A report
    publisher: An NGO
countries:
  - code: "GB"
    iso3: GBR
    name: United Kingdom
organisations:
  - id: uk-government
    name: UK Government
    kind: government
    country: "GB"
    sources: [src]
"""

PLEDGE = {
    "id": "uk-50m",
    "by": "uk-government",
    "kind": "funding",
    "date": '"2014-12"',
    "summary": "Fifty million pounds.",
    "amount": "50000000",
    "currency": "GBP",
    "sources": "[src]",
}


def pledge(**fields: str) -> str:
    """A pledge record as YAML text, with ``fields`` replacing the defaults (None drops)."""
    merged = {**PLEDGE, **fields}
    lines = [f"{k}: {v}" for k, v in merged.items() if v is not None]
    return "  - " + "\n    ".join(lines) + "\n"


def with_pledges(*pledges: str) -> bytes:
    return (BASE + "pledges:\n" + "".join(pledges)).encode()


# Make a path that is not a plain file of bytes: (directory) -> path.
Maker = Callable[[Path], Path]


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes | Maker
    code: int = 1
    lines: int | None = 1
    fragment: str = ""
    argv: tuple[str, ...] = ("validate", "--no-bundled", "{path}")
    filename: str = "data.yaml"
    extra: dict[str, str] = field(default_factory=dict)

    def path(self, directory: Path) -> Path:
        if callable(self.data):
            return self.data(directory)
        path = directory / self.filename
        path.write_bytes(self.data)
        return path


# ---------------------------------------------------------------- families


def line_breaks() -> Iterator[Case]:
    """A patterned value (id, date, code, reference) with a line break at its end, written
    three ways: a quoted \\n, a ``|`` block and a ``>`` block. Each passed as valid."""
    styles = {"quoted": '"{v}\\n"', "block": "|\n      {v}\n", "folded": ">\n      {v}\n"}
    fields = {
        "id": "uk-50m",
        "date": "2014-12",
        "currency": "GBP",
        "by": "uk-government",
    }
    for style, template in styles.items():
        for name, value in fields.items():
            text = template.format(v=value).rstrip("\n")
            # a reference that cannot be an id is reported as unknown, with the id it meant
            wrong = "unknown organisation" if name == "by" else "invalid value"
            yield Case(
                f"{name}-{style}",
                with_pledges(pledge(**{name: text})),
                fragment=f"pledges[0].{name}: {wrong}",
            )
        yield Case(
            f"source-ref-{style}",
            # a list item, so a block's text sits deeper than its dash
            with_pledges(
                pledge(
                    sources="\n      - "
                    + template.format(v="src").rstrip("\n").replace("\n      ", "\n        ")
                )
            ),
            fragment="pledges[0].sources[0]: unknown source",
        )
        country = template.format(v="GB").rstrip("\n")
        yield Case(
            f"country-code-{style}",
            # the organisation's reference to GB would be a second problem: drop it
            BASE.replace('code: "GB"', f"code: {country}")
            .replace('    country: "GB"\n', "")
            .encode(),
            fragment="countries[0].code: invalid value",
        )


def numbers() -> Iterator[Case]:
    """Numbers past wpq's cap of 10^15 in every whole-number field, and past Python's."""
    for name, amount in {
        "2^63": 2**63,
        "2^64": 2**64,
        "cap+1": 10**15 + 1,
        "29-digits": 10**28 + 1,
    }.items():
        yield Case(f"amount-{name}", with_pledges(pledge(amount=str(amount))), fragment="10^15")
    yield Case("amount-negative", with_pledges(pledge(amount="-1")), fragment="0 or more")
    yield Case("period-2^63", with_pledges(pledge(period=str(2**63))), fragment="10^15")
    dispute = f"[{{field: amount, value: {2**63}, sources: [src]}}]"
    yield Case("dispute-2^63", with_pledges(pledge(disputes=dispute)), fragment="10^15")
    figure = "figures:\n  - {id: f1, statement: S, value: %s, unit: u, sources: [src]}\n"
    for value in (str(10**30), str(-(10**30))):
        yield Case(f"figure-{value[:3]}", (BASE + figure % value).encode(), fragment="10^15")
    event = (
        "events:\n  - {id: e1, name: E, kind: launch, start: '2015', sources: [src],"
        " participants: [{what: countries, count: %d}]}\n"
    )
    yield Case("participants-2^63", (BASE + event % 2**63).encode(), fragment="10^15")
    yield Case("amount-5000-digits", with_pledges(pledge(amount="9" * 5000)), fragment="too long")
    yield Case("float-1e400", (BASE + figure % "1.0e+400").encode(), fragment="too large")


def billion_laughs(levels: int = 9) -> bytes:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        previous, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    return ("\n".join(lines) + "\n").encode()


def yaml_traps() -> Iterator[Case]:
    """YAML's own attacks and accidents."""
    yield Case("billion-laughs", billion_laughs(), fragment="aliases expand")
    laugh_keys = b"a: &a [x, x, x, x, x, x, x, x]\n" + b"".join(
        f"k{i}: &{chr(98 + i)} [".encode() + b", ".join([f"*{chr(97 + i)}".encode()] * 8) + b"]\n"
        for i in range(8)
    )
    yield Case("laughs-in-eight-levels", laugh_keys, fragment="aliases expand")
    yield Case("merge-key", b"a: &x {b: 1}\nc:\n  <<: *x\n", fragment="merge keys")
    yield Case("python-tag", b'a: !!python/object/apply:os.system ["true"]\n', fragment="tag")
    yield Case("custom-tag", b"a: !secret x\n", fragment="is not allowed")
    yield Case("recursive-alias", b"a: &x [*x]\n", fragment="nests deeper than 64")
    yield Case("undefined-alias", b"a: *nope\n", fragment="undefined alias")
    yield Case("duplicate-anchor", b"a: &x 1\nb: &x 2\n", fragment="duplicate anchor")
    yield Case("two-documents", b"sources: []\n---\nsources: []\n", fragment="single document")
    yield Case("deep-flow", b"a: " + b"[" * 100_000, fragment="nests deeper than 64")
    yield Case("deep-block", b"- " * 30_000 + b"x\n", fragment="nests deeper than 64")
    yield Case("deep-alias", b"a: &x " + b"[" * 40 + b"]" * 40 + b"\nb: " + b"[" * 30 + b"*x"
               + b"]" * 30 + b"\n", fragment="nests deeper than 64")  # fmt: skip
    yield Case("nul", b"sources: \x00\n", fragment="U+0000")
    yield Case("not-utf8", b"sources:\n  - id: caf\xe9\n", fragment="not UTF-8")
    yield Case("utf16", "sources: []\n".encode("utf-16"), fragment="not UTF-8")
    yield Case("empty", b"", fragment="file is empty")
    yield Case("bom-only", b"\xef\xbb\xbf", fragment="file is empty")
    yield Case("comments-only", b"# nothing\n", fragment="only comments")
    yield Case("scalar-document", b"hello\n", fragment="expected a mapping")
    yield Case("tab-indent", b"sources:\n\t- id: x\n", fragment="YAML syntax error")
    yield Case("duplicate-key", b"sources: []\nsources: []\n", fragment="duplicate key")
    yield Case("collection-key", b"? [a]\n: 1\n", fragment="plain value")
    yield Case("null-key", b"~: 1\n", fragment="a collection with no name")
    yield Case(
        "megabyte-line",
        BASE.encode()
        + b"figures:\n"
        + b"  - {id: f1, statement: s, value: 1, unit: u, sources: [src], as_of: '20150'}\n"
        + b"  - {id: f2, value: 1, unit: u, sources: [src], statement: "
        + b"x" * 1_000_000
        + b"}\n",
        fragment="figures[0].as_of: invalid value",
    )


def terminal_injection() -> Iterator[Case]:
    """Escape sequences, bidirectional overrides and Rich markup in keys and file names:
    every message quotes them escaped."""
    hostile = "\x1b]0;pwned\x07\x1b[2J\u202eevil[reverse]"
    yield Case(
        "escape-in-a-key",
        (BASE + f'"{hostile.encode("unicode_escape").decode()}": []\n').encode(),
        fragment="unknown collection",
    )
    yield Case(
        "escape-in-a-file-name",
        b"sourcez: []\n",
        filename=f"[reverse]{hostile}.yaml".replace("/", ""),
        fragment="unknown collection 'sourcez'",
    )
    yield Case(
        "escape-in-a-value",
        with_pledges(pledge(currency='"\\e[31mGBP"')),
        fragment="invalid value",
    )


def _sparse(size: int) -> Maker:
    def make(directory: Path) -> Path:
        path = directory / "sparse.yaml"
        with open(path, "wb") as file:
            file.truncate(size)  # no disk used: a hole
        return path

    return make


def _device(name: str) -> Maker:
    return lambda directory: Path(name)


def _directory(directory: Path) -> Path:
    path = directory / "folder.yaml"
    path.mkdir()
    return path


def _socket(directory: Path) -> Path:
    path = directory / "s.yaml"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
    return path


def file_kinds() -> Iterator[Case]:
    """What is not a data file: too big, a device, a directory, a socket, nothing."""
    yield Case("over-the-limit", _sparse(101_000_000), fragment="WPQ_MAX_FILE_MB")
    yield Case(
        "over-a-lowered-limit",
        with_pledges(pledge()),
        extra={"WPQ_MAX_FILE_MB": "0.0001"},
        fragment="limit of 0.0001 MB",
    )
    for device in ("/dev/zero", "/dev/urandom", "/dev/null"):
        yield Case(
            device.replace("/", "-"), lambda d, device=device: Path(device), fragment="device"
        )
    yield Case("directory-with-a-yaml-name", _directory, fragment="directory")
    yield Case("socket", _socket, fragment="socket")
    yield Case("missing", lambda d: d / "missing.yaml", fragment="no such file")
    yield Case(
        "limit-not-a-number",
        with_pledges(pledge()),
        code=2,
        extra={"WPQ_MAX_FILE_MB": "lots"},
        fragment="WPQ_MAX_FILE_MB",
    )


def bad_corpus() -> Iterator[Case]:
    """``tests/bad/``: one defect per file, its first line says where."""
    for path in sorted(BAD.glob("*.yaml")):
        match = re.match(rb"# expect: (\d+): (.+)", path.read_bytes())
        assert match, path
        yield Case(f"bad-{path.stem}", path.read_bytes(), fragment=match[2].decode())


FAMILIES = {
    "line-breaks": line_breaks,
    "numbers": numbers,
    "yaml-traps": yaml_traps,
    "terminal-injection": terminal_injection,
    "file-kinds": file_kinds,
    "bad-corpus": bad_corpus,
}


def cases() -> list[Case]:
    found = [case for family in FAMILIES.values() for case in family()]
    names = [case.name for case in found]
    assert len(names) == len(set(names)), "case names must be unique"
    return found
