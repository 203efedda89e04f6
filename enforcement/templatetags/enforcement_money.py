"""One way to write money on every enforcement page, notice and e-mail: "USD 91,875.00".

The format is the project's one (`core.templatetags.money.format_money`); enforcement pages
only show "-" where a case has no amount yet."""

from __future__ import annotations

from typing import Any

from django import template

from core.templatetags.money import format_money as _format_money

register = template.Library()


def format_money(amount: Any, currency: str = "USD") -> str:
    """`amount` in `currency` with thousands separators and cents; "-" when there is none."""
    return _format_money(amount, currency or "USD") or "-"


@register.filter(name="money")
def money_filter(amount: Any, currency: str = "USD") -> str:
    return format_money(amount, currency)
