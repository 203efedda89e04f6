"""One way to write money on every enforcement page, notice and e-mail: "USD 91,875.00"."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


def format_money(amount: Any, currency: str = "USD") -> str:
    """`amount` in `currency` with thousands separators and cents; "-" when there is none."""
    if amount is None or amount == "":
        return "-"
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    return f"{currency or 'USD'} {value:,.2f}"


@register.filter(name="money")
def money_filter(amount: Any, currency: str = "USD") -> str:
    return format_money(amount, currency)
