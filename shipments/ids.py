"""Time-ordered UUIDs (version 7, RFC 9562) for shipments and batches: made in the web
process without a database round trip, and new rows land at the right edge of the
indexes instead of at random places."""

from __future__ import annotations

import os
import time
import uuid


def uuid7() -> uuid.UUID:
    return _uuid7(time.time_ns() // 1_000_000, int.from_bytes(os.urandom(10), "big"))


def uuid7_strings(count: int) -> list[str]:
    """`count` new ids as text, with one call for randomness."""
    milliseconds = time.time_ns() // 1_000_000
    entropy = os.urandom(10 * count)
    texts = []
    for start in range(0, 10 * count, 10):
        h = f"{_value(milliseconds, int.from_bytes(entropy[start : start + 10], 'big')):032x}"
        texts.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return texts


def _uuid7(milliseconds: int, random_bits: int) -> uuid.UUID:
    return uuid.UUID(int=_value(milliseconds, random_bits))


def _value(milliseconds: int, random_bits: int) -> int:
    value = (milliseconds & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version
    value |= ((random_bits >> 62) & 0xFFF) << 64  # rand_a (12 bits)
    value |= 0b10 << 62  # variant
    value |= random_bits & ((1 << 62) - 1)  # rand_b (62 bits)
    return value
