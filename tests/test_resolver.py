"""The one rule for names (``questions/matching.py``, ``questions/names.py``), over the
bundled data: every id, name and alias finds its own record and no other; a prefix or a part
of a name is never taken; the rows of issue 19's table."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wpq.errors import UsageError
from wpq.loader import load_dataset
from wpq.model import Dataset
from wpq.questions import listings, names, provenance
from wpq.questions.matching import Candidate, key
from wpq.vocabulary import EVENT_KINDS, ORG_KINDS, PLEDGE_KINDS, ROLES

DS = load_dataset(bundled=True, check_codes=True)

# What each option resolves a name with -> the candidates whose names it takes.
Resolver = Callable[[Dataset, str], "str | None"]
OPTIONS: dict[str, tuple[Resolver, Callable[[Dataset], list[Candidate]]]] = {
    "organisation": (names.match_organisation, names.government_candidates),
    "programme": (names.match_programme, names.programme_candidates),
    "event": (names.match_event, names.event_candidates),
    "country": (names.match_country, names.country_candidates),
    "region": (names.match_region, names.region_candidates),
}


def every_name(ds: Dataset) -> Iterator[tuple[str, str, str]]:
    """(option, name, the id it must find) for every id, name, alias and code of the data;
    a name two candidates share is left to ``test_a_shared_name_is_ambiguous``."""
    for option, (_, candidates) in OPTIONS.items():
        pool = candidates(ds)
        owners: dict[str, set[str]] = {}
        for candidate in pool:
            for form in candidate.forms():
                owners.setdefault(key(form), set()).add(candidate.id)
        for candidate in pool:
            for form in dict.fromkeys(candidate.forms()):
                if owners[key(form)] == {candidate.id}:
                    yield option, form, candidate.id


NAMES = list(every_name(DS))


def test_every_kind_of_record_and_name_is_covered() -> None:
    assert len(NAMES) > 600
    for option, (_, candidates) in OPTIONS.items():
        covered = {found for o, _, found in NAMES if o == option}
        assert covered == {c.id for c in candidates(DS)}, option


@pytest.mark.parametrize(("option", "text", "expected"), NAMES)
def test_every_bundled_name_finds_its_own_record(option: str, text: str, expected: str) -> None:
    resolve = OPTIONS[option][0]
    assert resolve(DS, text) == expected
    assert resolve(DS, text.swapcase()) == expected  # case aside
    assert resolve(DS, f"  {text} ") == expected  # spacing aside


def test_a_shared_name_is_ambiguous_and_lists_both() -> None:
    # the African Union's alias and Australia's ISO code, which names its government
    with pytest.raises(UsageError, match="'AU' is ambiguous") as error:
        names.match_organisation(DS, "AU")
    assert "african-union-commission" in str(error.value)
    assert "australia-government" in str(error.value)
    assert names.match_country(DS, "AU") == "AU"  # as a country, Australia


@pytest.mark.parametrize("kinds,what", [(EVENT_KINDS, "k"), (PLEDGE_KINDS, "k"), (ORG_KINDS, "k")])
def test_every_kind_is_taken_whole_and_never_in_part(kinds: tuple[str, ...], what: str) -> None:
    for kind in kinds:
        assert names.match_kind(kind.upper(), kinds, what) == kind
        with pytest.raises(UsageError, match="could mean"):
            names.match_kind(kind[:-1], kinds, what)


def test_every_role_is_taken_whole() -> None:
    for role in ROLES:
        assert names.match_kind(role, tuple(ROLES), "role") == role
        with pytest.raises(UsageError):
            names.match_kind(role[:3], tuple(ROLES), "role")


def test_show_finds_every_named_record_by_each_of_its_names() -> None:
    for group in provenance.record_candidates(DS):
        owners: dict[str, set[str]] = {}
        for candidate in group:
            for form in candidate.forms():
                owners.setdefault(key(form), set()).add(candidate.id)
        for candidate in group:
            collection, _, wanted = candidate.id.partition("/")
            for form in candidate.forms():
                if owners[key(form)] != {candidate.id}:
                    continue
                try:
                    found, record = provenance.find_record(DS, form, collection)
                except UsageError as error:  # only a name an id of another collection has
                    assert "several collections" in str(error), (form, error)
                    continue
                assert (found, getattr(record, "id", getattr(record, "code", ""))) == (
                    collection,
                    wanted,
                ), form


# ---------------------------------------------------------------- never another record


def _parts(pool: list[Candidate]) -> st.SearchStrategy[tuple[str, str]]:
    """A candidate's id, and a prefix or a piece of one of its names."""

    @st.composite
    def part(draw: Any) -> tuple[str, str]:
        candidate = draw(st.sampled_from(pool))
        form = draw(st.sampled_from(candidate.words()))
        start = draw(st.integers(0, max(0, len(form) - 1)))
        end = draw(st.integers(start + 1, len(form)))
        return candidate.id, form[start:end] if draw(st.booleans()) else form[:end]

    return part()


@pytest.mark.parametrize("option", sorted(OPTIONS))
def test_a_prefix_or_part_finds_its_exact_record_or_says_so(option: str) -> None:
    resolve, candidates = OPTIONS[option]
    pool = candidates(DS)

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_parts(pool))
    def check(drawn: tuple[str, str]) -> None:
        _, text = drawn
        exact = {c.id for c in pool if any(key(f) == key(text) for f in c.forms())}
        try:
            found = resolve(DS, text)
        except UsageError as error:
            assert len(exact) != 1, (text, str(error))  # an exact name is never refused
            assert (
                "could mean" in str(error)
                or "unknown" in str(error)
                or "ambiguous" in str(error)
                or "needs a name" in str(error)
            )
            return
        if found is None or found not in {c.id for c in pool}:
            # a country no record uses (an empty answer): the words are an ISO country's
            assert option in ("organisation", "country") and not exact, text
            return
        assert exact == {found}, (text, found)  # never another record than the one named

    check()


# ---------------------------------------------------------------- the rows of issue 19


def test_ireland_is_a_real_country_with_no_record_not_the_uk() -> None:
    assert listings.filter_events(DS, country="Ireland") == []
    assert names.match_country(DS, "Ireland") == "IE"
    name, record = provenance.find_record(DS, "Ireland")
    assert (name, record.code) == ("countries", "IE")  # type: ignore[attr-defined]
    assert provenance.show(DS, "Ireland")["note"].startswith("no record uses Ireland (IE)")


def test_dominica_is_not_the_dominican_republic() -> None:
    from wpq.questions.directory import filter_programmes

    assert names.match_country(DS, "Dominica") == "DM"
    assert filter_programmes(DS, country="Dominica") == []
    assert filter_programmes(DS, country="Dominican Republic")


def test_abu_dhabi_lists_every_event_it_could_mean_with_names_and_dates() -> None:
    with pytest.raises(UsageError) as error:
        listings.filter_pledges(DS, event="Abu Dhabi")
    message = str(error.value)
    for event in ("abu-dhabi-2015", "abu-dhabi-interfaith-2018", "abu-dhabi-2024"):
        start = next(e.start for e in DS.events if e.id == event)
        assert event in message and start in message
    assert "#WeProtect Children Online Global Summit, Abu Dhabi" in message


def test_global_summit_lists_all_five_summits() -> None:
    with pytest.raises(UsageError, match="could mean any of 5: ") as error:
        names.match_event(DS, "Global Summit")
    for event in ("london-2014", "abu-dhabi-2015", "addis-ababa-2019", "brussels-2022"):
        assert event in str(error.value)


def test_several_years_mean_any_of_them() -> None:
    both = {e.id for e in listings.filter_events(DS, year=[2015, 2016])}
    one = {e.id for e in listings.filter_events(DS, year=2015)}
    other = {e.id for e in listings.filter_events(DS, year=2016)}
    assert both == one | other and one and other


def test_a_countrys_name_names_its_government_not_its_ministries() -> None:
    assert names.match_organisation(DS, "Japan") == "japan-government"
    assert names.match_organisation(DS, "JPN") == "japan-government"
    assert names.match_organisation(DS, "United Kingdom") == "uk-government"
    # a country with no government in the data: an empty answer, not another organisation
    assert names.organisations_named(DS, "Ireland", "donor", "donor") == set()
    # initials the data lacks are an unknown name, not a country (BT is Bhutan's code)
    with pytest.raises(UsageError, match="unknown donor 'BT'"):
        names.organisations_named(DS, "BT", "donor", "donor")


@pytest.mark.parametrize(
    ("option", "text", "first"),
    [
        ("country", "Irland", "IE (Ireland)"),  # ISO's names first, never Finland
        ("country", "Icelnd", "IS (Iceland)"),
        ("event", "Abu Dabi", "abu-dhabi-2015 ("),  # a word spelt nearly as one of the name's
        ("organisation", "Hume Office", "home-office (Home Office)"),
    ],
)
def test_a_misspelt_name_is_answered_with_the_nearest(option: str, text: str, first: str) -> None:
    with pytest.raises(UsageError) as error:
        OPTIONS[option][0](DS, text)
    message = str(error.value)
    assert message.startswith(f"unknown {option} '{text}'; did you mean {first}")
    assert "Finland" not in message
