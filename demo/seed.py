"""The demo content seeded after the demo accounts, app by app, in order.

Each step creates what is missing and says what it found or made (one line each), so that
`seed_demo` can run again safely. A new app adds its demo data by adding a step here.
"""

from __future__ import annotations

from collections.abc import Callable

from demo.shippers import seed_demo_organisations
from partners.demo import seed_partners_demo
from shipments.demo import seed_shipments_demo

DemoStep = Callable[[], list[str]]

DEMO_STEPS: tuple[tuple[str, DemoStep], ...] = (
    ("organisations and an application to review", seed_demo_organisations),
    ("shipments over recent days, with holds and findings", seed_shipments_demo),
    ("a partner administration under an MRA and its trusted-trader list", seed_partners_demo),
)


def seed_demo_content() -> list[str]:
    lines: list[str] = []
    for _title, step in DEMO_STEPS:
        lines.extend(step())
    return lines
