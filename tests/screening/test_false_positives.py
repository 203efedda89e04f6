"""False positives: an officer clears a listed party for an organisation; the pair stays cleared
until the listed entry changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from screening.models import FalsePositive, ListVersion
from screening.selectors import ScreeningQuery, match_json, screen
from screening.services import false_positive_mark, list_import, suppressed_pairs
from shippers.models import Organisation
from tests.accounts.factories import UserFactory
from tests.shippers.factories import owner_with_organisation

pytestmark = pytest.mark.django_db
NOTE = "Different person: the principal was born in 1988 in Leeds and holds a GB passport."


@pytest.fixture
def officer() -> User:
    return UserFactory(roles=["officer"])


@pytest.fixture
def organisation() -> Organisation:
    _owner, organisation = owner_with_organisation()
    return organisation


@pytest.fixture
def first_version(ofac_paths: list[Path]) -> ListVersion:
    return list_import(fmt="ofac", paths=ofac_paths).version


def _mark(
    officer: User, organisation: Organisation, source_id: str, **kwargs: str
) -> FalsePositive:
    return false_positive_mark(
        actor=officer,
        organisation_id=organisation.pk,
        list_code=kwargs.pop("list_code", "SDN"),
        source_id=source_id,
        note=kwargs.pop("note", NOTE),
        **kwargs,
    )


def _screened_key(name: str) -> tuple[str, str, str]:
    """(list, source_id, fingerprint) of the best match, as vetting compares them."""
    best = match_json(screen(ScreeningQuery(name=name, entity_type="individual"))[0], 0.75)
    return best["list"], best["source_id"], best["fingerprint"]


def test_officer_marks_a_false_positive(
    officer: User, organisation: Organisation, first_version: ListVersion
) -> None:
    party = first_version.entries.get(source_id="7002")

    cleared = _mark(officer, organisation, "7002", note=f"  {NOTE}\n", matched_query="S Petrov")

    cleared.refresh_from_db()
    assert cleared.organisation_id == organisation.pk
    assert (cleared.list_code, cleared.source_id) == ("SDN", "7002")
    assert cleared.entry_fingerprint == party.fingerprint
    assert cleared.note == NOTE
    assert cleared.matched_query == "S Petrov"
    assert cleared.marked_by == officer
    assert suppressed_pairs(organisation_id=organisation.pk) == {("SDN", "7002", party.fingerprint)}


def test_the_cleared_pair_is_what_screening_reports(
    officer: User, organisation: Organisation, first_version: ListVersion
) -> None:
    key = _screened_key("Sergey Petrov")
    assert key[:2] == ("SDN", "7002")

    _mark(officer, organisation, "7002")

    assert key in suppressed_pairs(organisation_id=organisation.pk)


def test_a_changed_entry_is_no_longer_suppressed(
    officer: User,
    organisation: Organisation,
    first_version: ListVersion,
    ofac_v2_paths: list[Path],
    rescreenings: list[int],
) -> None:
    _mark(officer, organisation, "7002")  # changed in the next release
    _mark(officer, organisation, "36")  # the same in the next release
    before = _screened_key("Sergey Petrov")

    second = list_import(fmt="ofac", paths=ofac_v2_paths).version

    after = _screened_key("Sergey Petrov")
    assert after[:2] == before[:2] == ("SDN", "7002")
    assert after[2] != before[2]
    assert after[2] == second.entries.get(source_id="7002").fingerprint
    pairs = suppressed_pairs(organisation_id=organisation.pk)
    assert before in pairs
    assert after not in pairs  # raised again: the listed entry changed
    unchanged = second.entries.get(source_id="36")
    assert ("SDN", "36", unchanged.fingerprint) in pairs  # still cleared


def test_marking_again_after_a_change_records_the_new_content(
    officer: User,
    organisation: Organisation,
    first_version: ListVersion,
    ofac_v2_paths: list[Path],
    rescreenings: list[int],
) -> None:
    _mark(officer, organisation, "7002")
    second = list_import(fmt="ofac", paths=ofac_v2_paths).version

    again = _mark(officer, organisation, "7002")

    assert again.entry_fingerprint == second.entries.get(source_id="7002").fingerprint
    assert ("SDN", "7002", again.entry_fingerprint) in suppressed_pairs(
        organisation_id=organisation.pk
    )


def test_suppressions_belong_to_one_organisation(
    officer: User, organisation: Organisation, first_version: ListVersion
) -> None:
    _owner, other = owner_with_organisation(legal_name="Other Parcels Ltd")

    _mark(officer, organisation, "7002")

    assert suppressed_pairs(organisation_id=other.pk) == set()
    assert len(suppressed_pairs(organisation_id=organisation.pk)) == 1


@pytest.mark.parametrize("role", ["shipper", "partner", "content_editor"])
def test_only_officers_may_mark(
    role: str, organisation: Organisation, first_version: ListVersion
) -> None:
    user = UserFactory(roles=[role])

    with pytest.raises(PermissionDenied):
        _mark(user, organisation, "7002")

    assert not FalsePositive.objects.exists()


def test_a_supervisor_may_mark(organisation: Organisation, first_version: ListVersion) -> None:
    supervisor = UserFactory(roles=["supervisor"])

    assert _mark(supervisor, organisation, "7002").marked_by == supervisor


@pytest.mark.parametrize("note", ["", "   \n\t"])
def test_a_note_is_required(
    note: str, officer: User, organisation: Organisation, first_version: ListVersion
) -> None:
    with pytest.raises(ValidationError) as raised:
        _mark(officer, organisation, "7002", note=note)

    assert "note" in raised.value.message_dict
    assert not FalsePositive.objects.exists()


def test_the_party_must_be_on_an_active_list(
    officer: User,
    organisation: Organisation,
    first_version: ListVersion,
    ofac_v2_paths: list[Path],
    rescreenings: list[int],
) -> None:
    list_import(fmt="ofac", paths=ofac_v2_paths)  # delists 7010

    for list_code, source_id in (("SDN", "7010"), ("SDN", "99999"), ("UN", "7002")):
        with pytest.raises(ValidationError, match="not on an active list"):
            _mark(officer, organisation, source_id, list_code=list_code)

    assert not FalsePositive.objects.exists()


def test_nothing_can_be_marked_before_a_list_is_imported(
    officer: User, organisation: Organisation
) -> None:
    with pytest.raises(ValidationError, match="not on an active list"):
        _mark(officer, organisation, "7002")
    assert suppressed_pairs(organisation_id=organisation.pk) == set()
