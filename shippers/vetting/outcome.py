"""What a vetting check returns, and what it screens.

A check reads the application and its organisation and returns an `Outcome`: a status
(a `VettingCheck.Status` value: passed, flagged for an officer, failed), a score where the
check has one, a one-line summary, an explanation an officer can follow and the evidence it
rests on (JSON). Checks write nothing; `shippers.vetting.services` stores their outcome. A
check that cannot reach what it needs raises, and the task retries it (then reports "error:
manual check needed"); one that can never run as things stand raises `CheckCannotRun`, which
is reported at once without retrying.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Outcome:
    status: str
    summary: str
    explanation: str = ""
    score: float | None = None
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Subject:
    """Something of the organisation's that is screened against the lists."""

    role: str  # "organisation", "trade name", "principal", "supply-chain partner"
    name: str
    entity_type: str
    country: str = ""
    date_of_birth: str = ""
    address: str = ""
    identifiers: tuple[str, ...] = ()


class CheckCannotRun(RuntimeError):
    """The check cannot run at all as things stand (not a passing failure): it is reported
    as an error for a manual check straight away, without retries. The message says why and
    what to do."""
