from __future__ import annotations

import uuid

from shipments.ids import uuid7, uuid7_strings


def test_ids_are_version_7_uuids_ordered_by_time() -> None:
    first = uuid7()
    texts = uuid7_strings(3)
    assert first.version == 7
    assert first.variant == uuid.RFC_4122
    parsed = [uuid.UUID(text) for text in texts]
    assert [str(value) for value in parsed] == texts
    assert all(value.version == 7 for value in parsed)
    assert len(set(texts)) == 3
    assert str(first)[:8] <= texts[0][:8]
