"""``{% load education_tags %}{% required_training_panel user_ids business_type %}`` shows an
applicant which required training modules are still missing (a USWDS summary box)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from education.selectors import required_training_status

register = template.Library()


@register.inclusion_tag("education/includes/required_training_panel.html")
def required_training_panel(user_ids: Iterable[int], business_type: str) -> dict[str, Any]:
    return {"status": required_training_status(user_ids=user_ids, business_type=business_type)}
