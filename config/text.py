"""Text comparison helpers shared by the apps."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower case without accents, punctuation or repeated spaces: for comparing names and
    street lines as people type them ("Müller-Lüdenscheid  GmbH" -> "muller ludenscheid gmbh")."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", " ", plain.lower()).strip()
