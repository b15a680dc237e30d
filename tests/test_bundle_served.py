"""A bundle as its readers use it: its Data Package validated by ``frictionless``, its
database served by ``datasette`` on 127.0.0.1 and asked over HTTP, and, where a headless
Chromium is installed, a pledge's page drawn by a browser.

datasette and frictionless are test dependencies (the ``test`` extra): wpq never imports
them. The server is started on a free port of the loopback address and stopped by the test.
"""

from __future__ import annotations

import collections
import html
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI_DIR

from wpq.export.bundle import PUBLISHED, export_bundle
from wpq.export.datasette_metadata import FACETS
from wpq.loader import load_dataset
from wpq.model import Dataset
from wpq.questions.citations import LICENCE_URL

frictionless = pytest.importorskip("frictionless")
pytest.importorskip("datasette")

PLEDGE = "uk-40m-fund-2016"
CHROMIUM = next(
    (p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if os.access(p, os.X_OK)),
    None,
)


@pytest.fixture(scope="module")
def bundle(bundled: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("served") / "bundle"
    export_bundle(bundled, directory)
    return directory


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """datasette serving a bundle on 127.0.0.1, asked with ``get``."""

    def __init__(self, bundle: Path, log: Path) -> None:
        self.port = free_port()
        self.log = log
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "datasette",
                    "serve",
                    str(bundle / "wpq.db"),
                    "--metadata",
                    str(bundle / "metadata.json"),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        self.base = f"http://127.0.0.1:{self.port}"

    def wait(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                self.get("/-/versions.json")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        self.stop()
        pytest.fail(f"datasette did not start: {self.log.read_text(errors='replace')[-2000:]}")

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.base + path, timeout=30) as response:
            assert response.status == 200, path
            return str(response.read().decode("utf-8"))

    def json(self, path: str) -> Any:
        return json.loads(self.get(path))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    started = Server(bundle, tmp_path_factory.mktemp("datasette") / "log.txt")
    try:
        started.wait()
        yield started
    finally:
        started.stop()
    assert started.process.returncode is not None


def count(bundle: Path, table: str) -> int:
    import sqlite3

    with sqlite3.connect(bundle / "wpq.db") as db:
        return int(db.execute(f"select count(*) from {table}").fetchone()[0])


# ---------------------------------------------------------------- the Data Package


def validate(package: Path) -> Any:
    return frictionless.validate(str(package))


def errors(report: Any) -> list[str]:
    return [f"{task.name}: {e.message}" for task in report.tasks for e in task.errors]


def test_the_data_package_validates(bundle: Path) -> None:
    report = validate(bundle / "datapackage.json")
    assert errors(report) == [] and report.valid
    assert len(report.tasks) == len(PUBLISHED)


def test_a_bundle_of_user_data_alone_validates(tmp_path: Path) -> None:
    ds = load_dataset([MINI_DIR], bundled=False)
    export_bundle(ds, tmp_path / "mine", bundled=False, user_data=True)
    report = validate(tmp_path / "mine" / "datapackage.json")
    assert errors(report) == [] and report.valid


@pytest.mark.parametrize(
    ("old", "new"), [(",home-office,", ",nobody,"), (",uk-50m-2014,", ",no-such-pledge,")]
)
def test_validation_catches_a_broken_reference(
    bundle: Path, tmp_path: Path, old: str, new: str
) -> None:
    """The validator checks the keys the package declares: a pledge by nobody fails, and a
    tranche of no pledge (a key into its own table)."""
    copy = tmp_path / "copy"
    shutil.copytree(bundle, copy)
    pledges = copy / "data" / "pledges.csv"
    text = pledges.read_text(encoding="utf-8")
    assert old in text
    pledges.write_text(text.replace(old, new, 1), encoding="utf-8")
    report = validate(copy / "datapackage.json")
    assert not report.valid
    assert any(new.strip(",") in e and "foreign key" in e for e in errors(report))


# ---------------------------------------------------------------- datasette over HTTP


def test_datasette_serves_every_table_with_all_its_rows(server: Server, bundle: Path) -> None:
    database = server.json("/wpq.json")
    served = {t["name"] for t in database["tables"] if not t["hidden"]} | {
        v["name"] for v in database["views"]
    }
    assert served == set(PUBLISHED)
    for table in PUBLISHED:
        page = server.json(f"/wpq/{table}.json?_size=1")
        assert page["filtered_table_rows_count"] == count(bundle, table), table


def test_a_table_opens_with_its_facets_and_counts_them(server: Server, bundled: Dataset) -> None:
    page = server.json("/wpq/pledges.json?_size=0")
    assert list(page["facet_results"]) == list(FACETS["pledges"])
    stages = {r["value"]: r["count"] for r in page["facet_results"]["stage"]["results"]}
    assert stages == dict(collections.Counter(p.stage for p in bundled.pledges))
    asked = server.json("/wpq/counted_money.json?_size=0&_facet=measure")
    measures = {r["value"] for r in asked["facet_results"]["measure"]["results"]}
    assert measures == {"pledged", "committed", "paid"}


def test_a_pledge_links_to_its_donor(server: Server) -> None:
    page = server.get(f"/wpq/pledges?id={PLEDGE}")
    assert '<a href="/wpq/organisations/home-office">Home Office</a>' in page
    [row] = server.json(f"/wpq/pledges.json?id={PLEDGE}&_labels=on&_shape=array")
    assert row["by"] == {"value": "home-office", "label": "Home Office"}
    donor = server.get("/wpq/organisations/home-office")
    assert "pledges" in donor  # the donor's page links back to what refers to it


def test_full_text_search_finds_records(server: Server, bundled: Dataset) -> None:
    found = server.json("/wpq/events.json?_search=bogota&_shape=array")
    assert {e["id"] for e in found} == {e.id for e in bundled.events if "Bogotá" in (e.city or "")}
    assert found
    query = urllib.parse.quote("violence against children")
    pledges = server.json(f"/wpq/pledges.json?_search={query}&_shape=array&_size=max")
    assert PLEDGE in {p["id"] for p in pledges}


def test_a_canned_query_answers_as_wpq_does(server: Server, run: Any) -> None:
    rows = server.json("/wpq/pledged_and_paid_by_donor.json?_shape=array")
    result = run("funding", "--summary", "--by", "donor")
    assert result.code == 0
    lines = [line.split("\t") for line in result.out.splitlines()]
    header, expected = lines[0], lines[1:]
    assert sorted([str(row[c]) for c in header] for row in rows) == sorted(expected)


def test_the_licence_and_descriptions_are_served(server: Server) -> None:
    metadata = server.json("/-/metadata.json")
    assert (metadata["license"], metadata["license_url"]) == ("CC BY 4.0", LICENCE_URL)
    index = server.get("/")
    assert f'<a href="{LICENCE_URL}">CC BY 4.0</a>' in index
    pledges = server.get("/wpq/pledges")
    described = html.escape("The organisation that made the pledge (for money: the donor).")
    assert f'data-column-description="{described}"' in pledges


# ---------------------------------------------------------------- a browser


@pytest.mark.skipif(CHROMIUM is None, reason="no headless Chromium installed")
def test_a_pledges_page_renders_in_a_browser(server: Server, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    url = f"{server.base}/wpq/pledges/{PLEDGE}"
    browser = [CHROMIUM, "--headless", "--disable-gpu", "--hide-scrollbars"]
    if os.geteuid() == 0:
        browser.append("--no-sandbox")  # Chromium refuses to run its sandbox as root
    browser += [f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,900"]
    shot = tmp_path / "pledge.png"
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(
        [*browser, f"--screenshot={shot}", url], env=env, capture_output=True, timeout=120
    )
    dom = subprocess.run(
        [*browser, "--dump-dom", url], env=env, capture_output=True, text=True, timeout=120
    ).stdout
    assert f"pledges: {PLEDGE}" in dom and "CC BY 4.0" in dom
    width, height, pixels = png(shot.read_bytes())
    assert (width, height) == (1280, 900)
    assert len(set(pixels)) > 20, "the page is blank"  # text, links, the header bar


def png(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the raw (filtered) pixel bytes of a PNG: enough to tell a drawn page
    from a blank one without an imaging library."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, width, height, chunks = 8, 0, 0, []
    while position < len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    return width, height, zlib.decompress(b"".join(chunks))
