"""What the officer pages share: the signed-in officer and the form errors of a service."""

from __future__ import annotations

from django import forms as django_forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from accounts.models import User
from core.workflow import ActorKind
from enforcement.services._common import officer_kind


def request_user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def actor_kind(user: User) -> ActorKind | None:
    """The services' rule (`officer_kind`), or None for someone who does not work cases."""
    try:
        return officer_kind(user)
    except PermissionDenied:
        return None


def add_errors(form: django_forms.BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
