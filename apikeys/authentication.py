"""`Authorization: Api-Key <prefix>.<secret>` for the DRF views that organisations' machines
call. The request then acts for the key's organisation (`request.auth` is the key)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request
from rest_framework_api_key.permissions import KeyParser

from apikeys.models import OrganisationAPIKey

# "Last used" is written at most this often per key, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class KeyHolder:
    """`request.user` for a request made with an API key: not a person, acting for the
    key's organisation."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False
    is_superuser = False

    def __init__(self, api_key: OrganisationAPIKey) -> None:
        self.api_key = api_key
        self.organisation_id = api_key.organisation_id
        self.pk = f"api-key:{api_key.prefix}"
        self.email = ""

    def __str__(self) -> str:
        return f"API key {self.api_key.prefix}"

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return False


class OrganisationAPIKeyAuthentication(BaseAuthentication):
    keyword = "Api-Key"
    parser = KeyParser()

    def authenticate(self, request: Request) -> tuple[KeyHolder, OrganisationAPIKey] | None:
        key = self.parser.get_from_authorization(request._request)
        if key is None:
            return None
        key = key.strip()
        prefix, dot, _secret = key.partition(".")
        if not dot or not prefix:
            raise exceptions.AuthenticationFailed("The API key is malformed.")
        api_key = (
            OrganisationAPIKey.objects.select_related("organisation").filter(prefix=prefix).first()
        )
        if api_key is None or not api_key.is_valid(key):
            raise exceptions.AuthenticationFailed("The API key is not valid.")
        if api_key.revoked:
            raise exceptions.AuthenticationFailed("The API key has been revoked.")
        if api_key.has_expired:
            raise exceptions.AuthenticationFailed("The API key has expired.")
        now = timezone.now()
        if api_key.last_used_at is None or api_key.last_used_at < now - LAST_USED_RESOLUTION:
            OrganisationAPIKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
            api_key.last_used_at = now
        return KeyHolder(api_key), api_key

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
