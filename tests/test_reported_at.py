"""A figure names the event it was made public at (``reported_at``), so a report and its
figures find each other (issue 23 item 10): ``wpq show EVENT`` lists the figures under what
refers to it, and ``figures --about`` finds them by the event's id, name or alias.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from tests.conftest import MINI
from wpq.export.sqlite import export_sqlite
from wpq.model import Dataset
from wpq.questions.listings import figure_rows

GTA_2021_FIGURES = {  # figures the 2021 assessment published whose own words don't name it
    "gta-2021-any-harm-share",
    "tech-companies-grooming-detection-2021",
    "dark-web-accounts-top-sites-2021",
    "self-generated-material-rise-2019-2020",
}


def test_about_finds_a_figure_by_the_name_of_its_event(bundled: Dataset) -> None:
    found = {r["id"]: r for r in figure_rows(bundled, about="Global Threat Assessment 2021")}
    assert len(found) >= 10 and set(found) >= GTA_2021_FIGURES
    assert {r["reported_at"] for r in found.values()} == {"gta-2021"}
    assert found["gta-2021-any-harm-share"]["reported_at_name"].startswith(
        "Global Threat Assessment 2021"
    )
    # by the event's id and by an alias too, case and accents ignored
    assert {r["id"] for r in figure_rows(bundled, about="GTA-2021")} >= GTA_2021_FIGURES
    by_alias = {r["id"] for r in figure_rows(bundled, about="ROME congress 2017")}
    assert "children-share-of-internet-users-2017" in by_alias


def test_about_still_matches_the_figures_own_words(mini: Dataset) -> None:
    assert [r["id"] for r in figure_rows(mini, about="INTERNET users")] == ["children-online-share"]
    assert [r["id"] for r in figure_rows(mini, about="oslo forum")] == ["victims-per-day-a"]
    assert figure_rows(mini, about="london summit") == []  # no figure was made public there


def test_show_lists_an_events_figures_under_what_refers_to_it(run: Any) -> None:
    result = run("show", "gta-2021", "--json")
    assert result.code == 0, result.err
    referring = json.loads(result.out)["referenced_by"]
    figures = {r["id"] for r in referring if r["field"] == "reported_at"}
    assert len(figures) >= 10 and figures >= GTA_2021_FIGURES
    assert {r["collection"] for r in referring if r["field"] == "reported_at"} == {"figures"}


def test_figures_json_names_the_event(run: Any) -> None:
    result = run("figures", "--about", "oslo", "--json", *MINI)
    (row,) = json.loads(result.out)
    assert (row["reported_at"], row["reported_at_name"]) == ("oslo-2015", "Oslo Forum")


def test_a_table_of_one_events_figures_names_it_once(run: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("WPQ_FORMAT", "table")
    result = run("figures", "--about", "Global Threat Assessment 2021 released", "--color", "never")
    assert result.code == 0, result.err
    title, header = result.out.splitlines()[:2]
    assert title.endswith("Global Threat Assessment 2021 released")  # in the title, once
    assert "REPORTED AT" not in header.upper()


def test_an_unknown_event_is_a_data_error_at_its_line(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "sources:\n"
        "  - id: my-source\n"
        "    title: A report\n"
        "    publisher: Someone\n"
        "figures:\n"
        "  - id: my-figure\n"
        "    statement: A figure.\n"
        "    value: 1\n"
        "    unit: things\n"
        "    reported_at: no-such-event\n"
        "    sources: [my-source]\n"
    )
    result = run("validate", str(path), "--no-bundled")
    assert (result.code, result.out) == (1, "")
    (line,) = result.err.splitlines()
    assert f"{path}:10:" in line and "reported_at" in line and "no-such-event" in line


def test_the_sqlite_export_keeps_the_event(mini: Dataset, tmp_path: Path) -> None:
    export_sqlite(mini, tmp_path / "wpq.db")
    db = sqlite3.connect(tmp_path / "wpq.db")
    rows = db.execute("select id, reported_at from figures where reported_at is not null")
    assert rows.fetchall() == [("victims-per-day-a", "oslo-2015")]
    joined = db.execute(
        "select e.name from figures f join events e on e.id = f.reported_at"
    ).fetchall()
    assert joined == [("Oslo Forum",)]
