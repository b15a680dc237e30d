"""Names -> ids (``wpq.questions.names``): matching across collections, suggestions ranked from the
right collection, what organisations did (roles), several values of a filter."""

from __future__ import annotations

import pytest

from wpq.errors import UsageError
from wpq.model import Dataset
from wpq.questions import choices, matching, names, provenance
from wpq.questions.matching import Candidate


def test_an_exact_alias_in_a_later_group_beats_a_prefix_in_an_earlier_one() -> None:
    first = [Candidate("unicef-programme", "UNICEF Programme")]
    second = [Candidate("unicef", "UNICEF")]
    assert matching.match_first("unicef", [first, second], "thing").id == "unicef"


def test_at_the_same_step_the_earlier_group_wins() -> None:
    organisations = [Candidate("uk-gov", "Government of the UK", ("UK",))]
    countries = [Candidate("GB", "United Kingdom", ("UK",))]
    assert matching.match_first("uk", [organisations, countries], "thing").id == "uk-gov"
    assert matching.match_first("uk", [countries, organisations], "thing").id == "GB"


def test_a_prefix_that_fits_in_two_groups_lists_both() -> None:
    organisations = [Candidate("london-2014-signatories", "London 2014 signatories")]
    events = [Candidate("london-2014", "London summit 2014", date="2014-12-10")]
    with pytest.raises(UsageError, match="could mean any of 2") as error:
        matching.match_first("london", [organisations, events], "record")
    assert "london-2014-signatories (London 2014 signatories)" in str(error.value)
    assert "london-2014 (London summit 2014, 2014-12-10)" in str(error.value)


def test_several_that_a_word_could_mean_in_one_group_are_all_listed() -> None:
    group = [Candidate("dh-1", "Disrupting Harm 1"), Candidate("dh-2", "Disrupting Harm 2")]
    with pytest.raises(UsageError, match="could mean any of 2") as error:
        matching.match_first("disrupting", [group], "programme")
    assert "dh-1" in str(error.value) and "dh-2" in str(error.value)


def test_two_records_with_one_exact_name_are_ambiguous() -> None:
    group = [Candidate("a", "Same"), Candidate("b", "Other", ("same",))]
    with pytest.raises(UsageError, match="ambiguous: it names any of 2: a \\(Same\\); b"):
        matching.match_first("SAME", [group], "thing")


def test_suggestions_are_ranked_by_likeness_not_data_order(mini: Dataset) -> None:
    with pytest.raises(UsageError) as error:
        names.match_organisation(mini, "Goverment of Norwy")
    # the UK government comes first in the data, but Norway's is the nearer name
    assert str(error.value).startswith(
        "unknown organisation 'Goverment of Norwy'; did you mean norway-gov"
    )


def test_suggestions_put_the_role_first() -> None:
    nearer = Candidate("fund-a", "Global Child Fund")
    donor = Candidate("fund-b", "Global Child Funds")
    assert matching.closest("global child fund", [nearer, donor]).startswith("did you mean fund-a")
    ranked = matching.closest("global child fund", [nearer, donor], preferred={"fund-b"})
    assert ranked.startswith("did you mean fund-b")


def test_a_short_code_is_not_a_near_spelling_of_a_long_name() -> None:
    rwanda = Candidate("RW", "Rwanda", (), ("RW", "RWA"))
    assert matching.closest("nrway", [rwanda]) == ""


def test_when_nothing_is_near_the_members_of_the_role_are_listed(mini: Dataset) -> None:
    donors = names.organisation_roles(mini)["donor"]
    with pytest.raises(UsageError) as error:
        names.match_organisation(mini, "zzzz", "donor", role="donor")
    message = str(error.value)
    assert "the donors are" in message
    assert all(donor in message for donor in donors)
    assert "global-safety-alliance" not in message  # not a donor


def test_a_government_is_a_donor_through_its_ministry(mini: Dataset) -> None:
    roles = names.organisation_roles(mini)
    assert "home-office" in roles["donor"] and "uk-gov" in roles["donor"]
    assert "global-safety-alliance" in roles["pledger"]  # a co-signer (`with`)
    assert "global-safety-alliance" not in roles["donor"]
    assert {h for e in mini.events for h in e.hosts} == roles["host"]


@pytest.mark.parametrize(
    "given,expected",
    [
        (None, []),
        ("summit", ["summit"]),
        ("summit,forum", ["summit", "forum"]),
        (["summit", "forum, meeting"], ["summit", "forum", "meeting"]),
        (["summit", "summit"], ["summit"]),
    ],
)
def test_words_of_a_filter(given: object, expected: list[str]) -> None:
    assert names.words(given) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("given", ["", " , ", ["", ","]])
def test_a_filter_given_nothing_is_an_error(given: object) -> None:
    with pytest.raises(UsageError, match="kind needs a value"):
        names.words(given, "kind")  # type: ignore[arg-type]


def test_names_of_a_filter_keep_their_commas() -> None:
    office = "Prime Minister's Office, 10 Downing Street"
    assert names.each(office) == [office]
    assert names.each([office, "UK"]) == [office, "UK"]


# ---------------------------------------------------------------- records by name


def test_show_finds_a_record_by_alias_and_prefers_an_organisation(mini: Dataset) -> None:
    # "United Kingdom" is an alias of the UK government and the name of the country GB
    assert provenance.find_record(mini, "United Kingdom")[0] == "organisations"
    assert provenance.find_record(mini, "united kingdom", "countries")[0] == "countries"
    collection, record = provenance.find_record(mini, "Kenya")
    assert collection == "countries" and record.code == "KE"  # type: ignore[attr-defined]
    assert provenance.find_record(mini, "minip")[0] == "programmes"


def test_show_by_an_unknown_name_suggests_near_records(mini: Dataset) -> None:
    with pytest.raises(UsageError) as error:
        provenance.find_record(mini, "Norwy")
    assert "did you mean organisations/norway-gov" in str(error.value)
    with pytest.raises(UsageError, match="wpq search"):
        provenance.find_record(mini, "zzzzzz")


# ---------------------------------------------------------------- completion values


def test_completion_offers_role_members_first_then_everyone(mini: Dataset) -> None:
    donors = names.organisation_roles(mini)["donor"]
    assert set(choices.completion_values(mini, "donors")) == donors
    # no donor's name starts with "glo": then any organisation's, as the data writes it
    offered = choices.completion_values(mini, "donors", "glo")
    assert offered == ["Global Child Fund", "global-safety-alliance"]


def test_completion_gives_one_word_per_record(mini: Dataset) -> None:
    offered = choices.completion_values(mini, "organisations", "u")
    assert len(offered) == len(set(offered))
    uk = [o for o in offered if o in ("uk-gov", "UK", "United Kingdom")]
    assert uk == ["uk-gov"]
