"""Labels, not codes, in the portal's pages: `{% load portal %}` then `{{ code|country }}`,
`{{ identifier|identifier }}`, `{{ code|document_type }}`, `{{ code|hs_chapter }}`."""

from __future__ import annotations

from typing import Any

from django import template

from core.reference.countries import country_name
from shippers.formatting import document_type_name, format_identifier, hs_chapter_label

register = template.Library()


@register.filter(name="country")
def country(code: str) -> str:
    return country_name(code)


@register.filter(name="identifier")
def identifier(item: Any) -> str:
    return format_identifier(item.kind, item.value)


@register.filter(name="document_type")
def document_type(code: str) -> str:
    return document_type_name(code)


@register.filter(name="hs_chapter")
def hs_chapter(code: str) -> str:
    return hs_chapter_label(code)
