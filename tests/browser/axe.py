"""axe-core (from node_modules, never downloaded) run inside a Playwright page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = frozenset({"critical", "serious"})


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Every axe violation of the page as it stands, with the impact and the nodes hit."""
    # Evaluated through the DevTools protocol, so the page's strict CSP (no inline script)
    # stays in force for the page's own scripts and is not loosened for the test.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;void 0")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return list(result["violations"])


def assert_no_serious_axe_violations(page: Any) -> None:
    """Fail with a readable list when axe finds a critical or serious violation on the page."""
    blocking = [v for v in axe_violations(page) if v.get("impact") in BLOCKING_IMPACTS]
    described = [
        f"{v['id']} ({v['impact']}) on {page.url}: {v['help']} -> "
        + "; ".join(", ".join(node["target"]) for node in v["nodes"][:3])
        for v in blocking
    ]
    assert described == [], "\n".join(described)
