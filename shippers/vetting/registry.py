"""The vetting checks, found in a registry that apps fill when they start.

Shippers registers its own checks (`shippers.vetting.checks`) in `ShippersConfig.ready()`;
apps above shippers register theirs in their own `AppConfig.ready()` (enforcement the
compliance record, education the required training), so shippers imports none of them. A
vetting run creates one `VettingCheck` per registered check, in `order`; `kind` is what is
stored, so a kind once used must keep its name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shippers.vetting.outcome import Outcome

if TYPE_CHECKING:
    from shippers.models import Application


@dataclass(frozen=True)
class CheckSpec:
    kind: str  # stored in VettingCheck.kind, e.g. "compliance_record"
    label: str
    run: Callable[[Application], Outcome]
    severe_failure: bool = False  # a failure makes the run's risk high
    order: int = 100
    # The applicant can put a failure right by sending something (a document, a number, a
    # completed module): the recommendation asks for it.
    remediable: bool = False


_CHECKS: dict[str, CheckSpec] = {}


def register_check(spec: CheckSpec) -> None:
    """Add a check. Registering the same spec again does nothing; another check under a kind
    already taken is a programming error."""
    current = _CHECKS.get(spec.kind)
    if current is not None and current != spec:
        raise ValueError(f"A different vetting check is already registered as {spec.kind!r}.")
    if len(spec.kind) > 24:
        raise ValueError(f"Vetting check kind {spec.kind!r} is longer than 24 characters.")
    _CHECKS[spec.kind] = spec


def unregister_check(kind: str) -> None:
    """Remove a check (for tests that register a check of their own)."""
    _CHECKS.pop(kind, None)


def registered_checks() -> list[CheckSpec]:
    """Every registered check, in the order runs show them."""
    return sorted(_CHECKS.values(), key=lambda spec: (spec.order, spec.kind))


def check_spec(kind: str) -> CheckSpec | None:
    return _CHECKS.get(kind)


def kind_choices() -> list[tuple[str, str]]:
    """`VettingCheck.kind` choices: the registered checks' kinds and labels."""
    return [(spec.kind, spec.label) for spec in registered_checks()]
