"""Puts the real client address where the audit log and the limiters find it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from core.client import client_address, client_address_var


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = client_address_var.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            client_address_var.reset(token)
