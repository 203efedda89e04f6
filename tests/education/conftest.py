"""Fixtures for education tests."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache

from tests.accounts.factories import UserFactory


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def _staff(role: str) -> Any:
    user = UserFactory(roles=[role])
    TOTP.activate(user, generate_totp_secret())  # staff need a second factor for the admin
    return user


@pytest.fixture
def editor() -> Any:
    return _staff("content_editor")


@pytest.fixture
def second_editor() -> Any:
    return _staff("content_editor")


@pytest.fixture
def supervisor() -> Any:
    return _staff("supervisor")


@pytest.fixture
def shipper() -> Any:
    return UserFactory(roles=["shipper"])


@pytest.fixture
def library(db: Any) -> Any:
    """The real starter library from education/content/."""
    from education.loader import load_content

    return load_content()
