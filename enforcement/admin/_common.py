"""What the officer pages share: the signed-in officer and the form errors of a service."""

from __future__ import annotations

from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from accounts.models import User
from core.workflow import ActorKind


def request_user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def actor_kind(user: User) -> ActorKind | None:
    if not user.has_perm("enforcement.work_cases"):
        return None
    return ActorKind.SUPERVISOR if user.has_role("supervisor") else ActorKind.OFFICER


def add_errors(form: django_forms.BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
