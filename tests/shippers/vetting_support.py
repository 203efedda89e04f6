"""What the vetting tests of several apps share: an imported OFAC list, a submitted
application vetted eagerly, the kinds of the registered checks, and registering a check for
one test. Import the fixtures into the test module that uses them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from screening.services import list_import
from shippers import services
from shippers.models import Application, VettingCheck, VettingRun
from shippers.vetting.registry import CheckSpec, check_spec, register_check, unregister_check
from tests.accounts.factories import UserFactory
from tests.shippers.factories import complete_application, owner_with_organisation

OFAC = Path(__file__).resolve().parent.parent / "screening" / "fixtures" / "ofac"


class Kind:
    """The stored kinds of the checks registered by shippers, enforcement and education."""

    IDENTIFIERS = "identifiers"
    SCREENING = "screening"
    SANCTIONED_COUNTRIES = "sanctioned_countries"
    LINKED_IDENTITIES = "linked_identities"
    SECURITY_PROFILE = "security_profile"
    DOCUMENTS = "documents"
    TRAINING = "training"
    COMPLIANCE_RECORD = "compliance_record"


@pytest.fixture
def ofac_list(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        return list_import(fmt="ofac", paths=[OFAC / "sdn.csv"])


@pytest.fixture
def submit(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Factory: a complete application, submitted; vetting runs (eagerly) after commit."""

    def make(prepare: Any = None, **organisation_fields: Any) -> Application:
        user, organisation = owner_with_organisation(**organisation_fields)
        application = complete_application(user, organisation)
        if prepare is not None:
            prepare(application)
        with django_capture_on_commit_callbacks(execute=True):
            services.application_submit(actor=user, application=application)
        application.refresh_from_db()
        return application

    return make


def officer():  # type: ignore[no-untyped-def]
    return UserFactory(roles=["officer"])


def run_of(application: Application) -> VettingRun:
    return application.vetting_runs.order_by("-pk").first()  # type: ignore[return-value]


def check_of(application: Application, kind: str) -> VettingCheck:
    return run_of(application).checks.get(kind=kind)


@contextmanager
def registered(spec: CheckSpec) -> Iterator[CheckSpec]:
    """`spec` is registered (in place of the check of its kind, if any) inside the block."""
    previous = check_spec(spec.kind)
    unregister_check(spec.kind)
    register_check(spec)
    try:
        yield spec
    finally:
        unregister_check(spec.kind)
        if previous is not None:
            register_check(previous)
