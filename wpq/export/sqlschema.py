"""The SQLite schema of a dataset: a table per collection, link tables for lists and entries.

``sqlite.py`` writes it; each record's scalar fields go under their data-file names.
"""

from __future__ import annotations

import re

from ..model import COLLECTIONS

# Every foreign key is checked at COMMIT, so records may refer to ones inserted later
# (pledges.part_of, programmes <-> pledges).
_REF = "DEFERRABLE INITIALLY DEFERRED"
_COLLECTION = "collection TEXT NOT NULL CHECK (collection IN ({}))"

# Columns without a type (pledges.period, figures.value, record_disputes.value) keep each
# value as stored: an integer, a real or text.
SCHEMA = f"""
CREATE TABLE sources (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    publisher TEXT NOT NULL,
    author TEXT,
    url TEXT,
    published TEXT,
    original_publisher TEXT,
    original_published TEXT,
    original_url TEXT,
    note TEXT
);
CREATE TABLE organisations (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    short_name TEXT,
    kind TEXT NOT NULL,
    country TEXT REFERENCES countries (code) {_REF},
    part_of TEXT REFERENCES organisations (id) {_REF},
    note TEXT
);
CREATE TABLE countries (
    code TEXT PRIMARY KEY NOT NULL,
    iso3 TEXT NOT NULL,
    name TEXT NOT NULL
);
CREATE TABLE events (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    start TEXT NOT NULL,
    "end" TEXT,
    city TEXT,
    country TEXT REFERENCES countries (code) {_REF},
    venue TEXT,
    summary TEXT,
    evidence TEXT NOT NULL,
    note TEXT
);
CREATE TABLE pledges (
    id TEXT PRIMARY KEY NOT NULL,
    "by" TEXT NOT NULL REFERENCES organisations (id) {_REF},
    kind TEXT NOT NULL,
    date TEXT NOT NULL,
    summary TEXT NOT NULL,
    made_at TEXT REFERENCES events (id) {_REF},
    amount INTEGER,
    currency TEXT,
    "to" TEXT REFERENCES organisations (id) {_REF},
    programme TEXT REFERENCES programmes (id) {_REF},
    part_of TEXT REFERENCES pledges (id) {_REF},
    period,
    stage TEXT NOT NULL,
    stage_date TEXT,
    stage_evidence TEXT NOT NULL,
    stage_note TEXT,
    evidence TEXT NOT NULL,
    note TEXT
);
CREATE TABLE programmes (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    lead TEXT NOT NULL REFERENCES organisations (id) {_REF},
    start TEXT,
    "end" TEXT,
    summary TEXT,
    evidence TEXT NOT NULL,
    note TEXT
);
CREATE TABLE figures (
    id TEXT PRIMARY KEY NOT NULL,
    statement TEXT NOT NULL,
    value NOT NULL,
    unit TEXT NOT NULL,
    qualifier TEXT,
    value_text TEXT,
    period TEXT,
    as_of TEXT,
    measured_by TEXT REFERENCES organisations (id) {_REF},
    reported_by TEXT REFERENCES organisations (id) {_REF},
    reported_at TEXT REFERENCES events (id) {_REF},
    evidence TEXT NOT NULL,
    note TEXT
);
CREATE TABLE rates (
    id TEXT PRIMARY KEY NOT NULL,
    currency TEXT NOT NULL,
    per TEXT NOT NULL,
    year INTEGER NOT NULL,
    rate REAL NOT NULL,
    note TEXT
);

CREATE TABLE record_sources (
    {_COLLECTION.format(", ".join(f"'{name}'" for name in COLLECTIONS))},
    record_id TEXT NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources (id) {_REF},
    position INTEGER NOT NULL,
    PRIMARY KEY (collection, record_id, position)
);
CREATE TABLE record_aliases (
    {_COLLECTION.format("'organisations', 'countries', 'events', 'programmes'")},
    record_id TEXT NOT NULL,
    alias TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (collection, record_id, position)
);
CREATE TABLE record_quotes (
    {_COLLECTION.format("'events', 'pledges'")},
    record_id TEXT NOT NULL,
    text TEXT NOT NULL,
    "by" TEXT NOT NULL,
    role TEXT,
    source_id TEXT NOT NULL REFERENCES sources (id) {_REF},
    position INTEGER NOT NULL,
    PRIMARY KEY (collection, record_id, position)
);
CREATE TABLE record_disputes (
    {_COLLECTION.format("'events', 'pledges'")},
    record_id TEXT NOT NULL,
    field TEXT NOT NULL,
    value NOT NULL,
    note TEXT,
    position INTEGER NOT NULL,
    PRIMARY KEY (collection, record_id, position)
);
CREATE TABLE dispute_sources (
    collection TEXT NOT NULL,
    record_id TEXT NOT NULL,
    dispute_position INTEGER NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources (id) {_REF},
    position INTEGER NOT NULL,
    PRIMARY KEY (collection, record_id, dispute_position, position),
    FOREIGN KEY (collection, record_id, dispute_position)
        REFERENCES record_disputes (collection, record_id, position) {_REF}
);

CREATE TABLE event_hosts (
    event_id TEXT NOT NULL REFERENCES events (id) {_REF},
    organisation_id TEXT NOT NULL REFERENCES organisations (id) {_REF},
    position INTEGER NOT NULL,
    PRIMARY KEY (event_id, position)
);
CREATE TABLE event_organisers (
    event_id TEXT NOT NULL REFERENCES events (id) {_REF},
    organisation_id TEXT NOT NULL REFERENCES organisations (id) {_REF},
    position INTEGER NOT NULL,
    PRIMARY KEY (event_id, position)
);
CREATE TABLE event_participants (
    event_id TEXT NOT NULL REFERENCES events (id) {_REF},
    what TEXT NOT NULL,
    count INTEGER NOT NULL,
    qualifier TEXT,
    source_id TEXT REFERENCES sources (id) {_REF},
    note TEXT,
    position INTEGER NOT NULL,
    PRIMARY KEY (event_id, position)
);
CREATE TABLE event_speakers (
    event_id TEXT NOT NULL REFERENCES events (id) {_REF},
    name TEXT NOT NULL,
    role TEXT,
    organisation_id TEXT REFERENCES organisations (id) {_REF},
    source_id TEXT REFERENCES sources (id) {_REF},
    position INTEGER NOT NULL,
    PRIMARY KEY (event_id, position)
);
CREATE TABLE event_outcomes (
    event_id TEXT NOT NULL REFERENCES events (id) {_REF},
    outcome TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (event_id, position)
);

CREATE TABLE pledge_with (
    pledge_id TEXT NOT NULL REFERENCES pledges (id) {_REF},
    organisation_id TEXT NOT NULL REFERENCES organisations (id) {_REF},
    position INTEGER NOT NULL,
    PRIMARY KEY (pledge_id, position)
);

CREATE TABLE pledge_stage_sources (
    pledge_id TEXT NOT NULL REFERENCES pledges (id) {_REF},
    source_id TEXT NOT NULL REFERENCES sources (id) {_REF},
    position INTEGER NOT NULL,
    PRIMARY KEY (pledge_id, position)
);

CREATE TABLE pledge_signatories (
    pledge_id TEXT NOT NULL REFERENCES pledges (id) {_REF},
    organisation_id TEXT NOT NULL REFERENCES organisations (id) {_REF},
    position INTEGER NOT NULL,
    PRIMARY KEY (pledge_id, position)
);

CREATE TABLE programme_partners (
    programme_id TEXT NOT NULL REFERENCES programmes (id) {_REF},
    organisation_id TEXT NOT NULL REFERENCES organisations (id) {_REF},
    position INTEGER NOT NULL,
    PRIMARY KEY (programme_id, position)
);
CREATE TABLE programme_regions (
    programme_id TEXT NOT NULL REFERENCES programmes (id) {_REF},
    region_id TEXT NOT NULL,
    name TEXT NOT NULL,
    note TEXT,
    position INTEGER NOT NULL,
    PRIMARY KEY (programme_id, region_id)
);
CREATE TABLE programme_countries (
    programme_id TEXT NOT NULL REFERENCES programmes (id) {_REF},
    country_code TEXT NOT NULL REFERENCES countries (code) {_REF},
    region_id TEXT,
    region_name TEXT,
    notes TEXT,
    evidence TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (programme_id, country_code),
    FOREIGN KEY (programme_id, region_id)
        REFERENCES programme_regions (programme_id, region_id) {_REF}
);
CREATE TABLE programme_country_sources (
    programme_id TEXT NOT NULL,
    country_code TEXT NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources (id) {_REF},
    position INTEGER NOT NULL,
    PRIMARY KEY (programme_id, country_code, position),
    FOREIGN KEY (programme_id, country_code)
        REFERENCES programme_countries (programme_id, country_code) {_REF}
);
CREATE TABLE programme_funded_by (
    programme_id TEXT NOT NULL REFERENCES programmes (id) {_REF},
    pledge_id TEXT NOT NULL REFERENCES pledges (id) {_REF},
    position INTEGER NOT NULL,
    PRIMARY KEY (programme_id, position)
);

-- wpq funding's rows: each money record with its own share of each measure, so that
-- SUM(pledged), SUM(committed) or SUM(paid) per currency is wpq's total (never SUM(amount):
-- a tranche's amount is part of its pledge's). A grant's money is granted, never added.
CREATE TABLE funding (
    id TEXT PRIMARY KEY NOT NULL REFERENCES pledges (id) {_REF},
    date TEXT NOT NULL,
    donor TEXT NOT NULL REFERENCES organisations (id) {_REF},
    donor_name TEXT,
    "to" TEXT REFERENCES organisations (id) {_REF},
    to_name TEXT,
    programme TEXT REFERENCES programmes (id) {_REF},
    kind TEXT NOT NULL,
    stage TEXT NOT NULL,
    stage_date TEXT,
    amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    period,
    part_of TEXT REFERENCES pledges (id) {_REF},
    pledged INTEGER NOT NULL,
    committed INTEGER NOT NULL,
    paid INTEGER NOT NULL,
    granted INTEGER NOT NULL
);

CREATE TABLE figure_conflicts (
    figure_id TEXT NOT NULL REFERENCES figures (id) {_REF},
    other_figure_id TEXT NOT NULL REFERENCES figures (id) {_REF},
    position INTEGER NOT NULL,
    PRIMARY KEY (figure_id, position)
);

CREATE TABLE metadata (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
-- Counted money, one row per amount a measure counts: pledged money on the day of its
-- pledge, committed and paid money on the day it reached its stage (or its pledge's day
-- where no source dates the stage), with that day's year. SUM(amount) per measure and
-- currency is wpq's total.
CREATE VIEW counted_money AS
SELECT pledge_id, measure, stage, date, CAST(substr(date, 1, 4) AS INTEGER) AS year, donor,
       recipient, programme, currency, amount
FROM (
    SELECT id AS pledge_id, 'pledged' AS measure, stage, date, donor, "to" AS recipient,
           programme, currency, pledged AS amount
      FROM funding WHERE pledged != 0
    UNION ALL
    SELECT id, 'committed', stage, coalesce(stage_date, date), donor, "to", programme,
           currency, committed
      FROM funding WHERE committed != 0
    UNION ALL
    SELECT id, 'paid', stage, coalesce(stage_date, date), donor, "to", programme, currency,
           paid
      FROM funding WHERE paid != 0
);
"""

# Every table, in the order created; ``export_sqlite`` counts rows in this order.
TABLES: tuple[str, ...] = tuple(re.findall(r"^CREATE TABLE (\w+)", SCHEMA, re.M))
