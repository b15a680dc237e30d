"""Who and what the data knows: organisations with what each did (pledged, received,
hosted, leads), and the programmes with where they run. Rows for ``wpq organisations``
and ``wpq programmes``; filters take several values as the other listings do.
"""

from __future__ import annotations

from ..model import ORG_KINDS, Dataset, Organisation, Programme
from .names import (
    ROLES,
    Names,
    country_names,
    each,
    match_country,
    match_kind,
    organisation_names,
    organisation_roles,
    organisations_named,
    words,
)
from .rows import Row, record_row

ORGANISATION_COLUMNS = ("id", "name", "kind", "country_name", "roles", "pledge_count")


PROGRAMME_COLUMNS = ("id", "name", "lead_name", "start", "end", "country_count", "region_count")


def filter_organisations(
    ds: Dataset, *, kind: Names = None, role: Names = None, country: Names = None
) -> list[Organisation]:
    """Organisations of any of the kinds, playing any of the roles (``ROLES``: donor,
    pledger, recipient, host, lead), based in any of the countries given; in data order."""
    kinds = {
        match_kind(k, ORG_KINDS, "organisation kind") for k in words(kind, "organisation kind")
    }
    roles = organisation_roles(ds)
    playing: set[str] | None = None
    for name in words(role, "role"):
        playing = (playing or set()) | roles[match_kind(name, tuple(ROLES), "role")]
    codes = {match_country(ds, c) for c in each(country)}
    return [
        org
        for org in ds.organisations
        if (not kinds or org.kind in kinds)
        and (playing is None or org.id in playing)
        and (not codes or org.country in codes)
    ]


def organisation_row(ds: Dataset, org: Organisation) -> Row:
    """An organisation with what it did: ``roles``, the ``pledges`` it made (alone or with
    others), the pledges it ``received``, the events it ``hosted``, the programmes it ``leads``."""
    roles = organisation_roles(ds)
    row = record_row(org)
    row["country_name"] = country_names(ds).get(org.country or "")
    row["part_of_name"] = organisation_names(ds).get(org.part_of or "")
    row["roles"] = [role for role in ROLES if org.id in roles[role]]
    row["pledges"] = [p.id for p in ds.pledges if org.id in (p.by, *p.with_)]
    row["pledge_count"] = len(row["pledges"])
    row["received"] = [p.id for p in ds.pledges if p.to == org.id]
    row["hosted"] = [e.id for e in ds.events if org.id in e.hosts]
    row["leads"] = [p.id for p in ds.programmes if p.lead == org.id]
    return row


def short_names(ds: Dataset) -> dict[str, str]:
    """Each organisation's short name (``UK Government``, ``DFID``), by id, for those with one."""
    return ds.memo(
        "short names", lambda: {o.id: o.short_name for o in ds.organisations if o.short_name}
    )


def filter_programmes(ds: Dataset, *, country: Names = None, lead: Names = None) -> list[Programme]:
    """Programmes running in any of the countries, led by any of the organisations given."""
    codes = {match_country(ds, c) for c in each(country)}
    leads = organisations_named(ds, lead, "lead", "lead")
    return [
        p
        for p in ds.programmes
        if (not codes or codes.intersection(c.country for c in p.countries))
        and (leads is None or p.lead in leads)
    ]


def region_count(programme: Programme) -> int:
    """The regions a programme's countries fall in (or that it declares, when none is given)."""
    return len({c.region for c in programme.countries if c.region}) or len(programme.regions)


def programme_row(ds: Dataset, programme: Programme) -> Row:
    """A programme as a row: every field, plus ``lead_name``, ``partner_names`` and counts."""
    names = organisation_names(ds)
    row = record_row(programme)
    row["lead_name"] = names.get(programme.lead)
    row["partner_names"] = [names.get(p, p) for p in programme.partners]
    row["country_count"] = len(programme.countries)
    row["region_count"] = region_count(programme)
    return row
