"""`{% load money %}{{ amount|money:"USD" }}` -> "USD 91,875.00": one way to show an amount
of money on every page (currency code, thousands separators, two decimals)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


def format_money(amount: Any, currency: str = "USD") -> str:
    """The amount with its currency code, grouped by thousands, to the cent; "" for none."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return str(amount)
    sign = "-" if value < 0 else ""
    return f"{currency} {sign}{abs(value):,.2f}".strip()


@register.filter(name="money")
def money(amount: Any, currency: str = "USD") -> str:
    return format_money(amount, currency or "USD")
