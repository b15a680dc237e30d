"""The vocabularies of the data: the values a kind, evidence or qualifier field allows, and
what each means.

The Literal types here are the one source of each: the model's fields take them, `wpq schema`
lists them with their meanings, and a rejected value's message names them. What each field
of a record means is in ``descriptions.py``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from msgspec import Meta

# One source for each vocabulary: the Literal types below; tuples derived from them;
# MEANINGS below says what each value means.
OrgKind = Literal[
    "government",
    "company",
    "un-agency",
    "fund",
    "alliance",
    "ngo",
    "law-enforcement",
    "academic",
    "religious",
    "intergovernmental",
    "group",
]
EventKind = Literal["summit", "congress", "forum", "launch", "meeting", "milestone"]
PledgeKind = Literal["funding", "commitment", "grant"]
# How far a pledge's money got, in order: each stage includes the ones before it.
Stage = Literal["announced", "committed", "paid"]
Evidence = Literal["stated", "inferred"]
Qualifier = Literal["over", "about", "nearly", "up to", "at least", "under"]

# Role of an organisation on the command line (``--role``, what ``--donor`` suggests) ->
# what that role is called in a message.
ROLES = {
    "donor": "donors",
    "pledger": "pledgers",
    "recipient": "recipients",
    "host": "hosts",
    "lead": "programme leads",
}
# What ``wpq funding --summary --by`` groups money by: ``donor`` is the organisation on the
# record (the Home Office), ``government`` the top of its ``part_of`` chain (the UK).
GROUPINGS = ("donor", "government", "recipient", "year", "programme")

ORG_KINDS: tuple[str, ...] = get_args(OrgKind)
EVENT_KINDS: tuple[str, ...] = get_args(EventKind)
PLEDGE_KINDS: tuple[str, ...] = get_args(PledgeKind)
STAGES: tuple[str, ...] = get_args(Stage)

# What each value of a vocabulary means, for `wpq schema` and the README; a test keeps the
# keys equal to the Literal types' values.
MEANINGS: dict[str, dict[str, str]] = {
    "organisation kind": {
        "government": "a national government or one of its ministries and agencies",
        "company": "a business",
        "un-agency": "a United Nations agency or office",
        "fund": "a pool of donors' money that makes grants",
        "alliance": "a membership alliance or partnership",
        "ngo": "a non-governmental organisation, charity or foundation",
        "law-enforcement": "a police or crime agency",
        "academic": "a university or research centre",
        "religious": "a religious body or interfaith group",
        "intergovernmental": "a body set up by several governments (the European Commission)",
        "group": "several organisations or countries acting together (a summit's signatories)",
    },
    "event kind": {
        "summit": "a WePROTECT global summit",
        "congress": "a world congress",
        "forum": "a multi-party forum",
        "launch": "the launch of an organisation, fund, strategy or project",
        "meeting": "a conference or meeting run by others",
        "milestone": "a dated step with no place or gathering",
    },
    "pledge kind": {
        "funding": "new money a donor pledges (needs amount and currency)",
        "commitment": "a promise to act, without money",
        "grant": "money a fund pays out of its pool (listed, never totalled)",
    },
    "stage": {
        "announced": "promised or announced in public (an offer, a pledge, a plan)",
        "committed": "an agreement or allocation is signed, or a fund has approved it",
        "paid": "a source says the money was transferred or spent",
    },
    "evidence": {
        "stated": "a source says so",
        "inferred": "a reading of the sources that none states (needs a note)",
    },
    "qualifier": {
        "over": "more than the value",
        "about": "roughly the value",
        "nearly": "a little less than the value",
        "up to": "at most the value",
        "at least": "the value or more",
        "under": "less than the value",
    },
}


def _one_of(vocabulary: str, values: Any) -> Meta:
    """A field's description listing every value its Literal type allows, with meanings."""
    meanings = MEANINGS[vocabulary]
    listed = "; ".join(f"{v}: {meanings[v]}" for v in get_args(values))
    return Meta(description=f"The {vocabulary}, one of: {listed}.")


OrgKindField = Annotated[OrgKind, _one_of("organisation kind", OrgKind)]
EventKindField = Annotated[EventKind, _one_of("event kind", EventKind)]
PledgeKindField = Annotated[PledgeKind, _one_of("pledge kind", PledgeKind)]
EvidenceField = Annotated[Evidence, _one_of("evidence", Evidence)]
StageField = Annotated[Stage, _one_of("stage", Stage)]
QualifierField = Annotated[Qualifier, _one_of("qualifier", Qualifier)]


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text`` for matching."""
    import unicodedata  # a C module: imported where names are matched, not by every query

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def name_key(text: str) -> str:
    """What two ways of writing a name must share to be the same name: ``fold`` with every
    run of spaces made one ("United  kingdom" is "United Kingdom")."""
    return " ".join(fold(text).split())
