"""Commands that show who and what the data knows, for finding one's way: organisations
and programmes. ``cli.py`` registers them; like every command, they only parse options,
ask ``directory`` and hand the rows to ``output``.
"""

# No `from __future__ import annotations`: Typer reads these annotations as objects.
from ..questions import directory
from .filters import CountryOpt, LeadOpt, Names, OrgKindOpt, RoleOpt
from .options import Options, listing
from .output import emit, load


@listing
def organisations(
    opts: Options,
    kind: Names = OrgKindOpt,
    role: Names = RoleOpt,
    country: Names = CountryOpt,
) -> None:
    """Organisations, with what each did: pledged (alone or with others), received, hosted, leads.

    A donor pledged or granted money (a government also through its ministries); --role
    donor lists the organisations wpq funding --donor finds money for.

    Example: wpq organisations --role donor
    """
    ds = load(opts)
    found = directory.filter_organisations(ds, kind=kind, role=role, country=country)
    rows = [directory.organisation_row(ds, org) for org in found]
    emit(opts, ds, rows, "organisations")


@listing
def programmes(
    opts: Options,
    country: Names = CountryOpt,
    lead: Names = LeadOpt,
) -> None:
    """Programmes, with their lead, years and how many countries and regions they reach.

    Example: wpq programmes --country Philippines
    """
    ds = load(opts)
    found = directory.filter_programmes(ds, country=country, lead=lead)
    rows = [directory.programme_row(ds, p) for p in found]
    emit(opts, ds, rows, "programmes")
