"""Object-level access for training records: a certificate and a quiz result are seen by
their owner and by officers and supervisors (they check them during vetting), nobody else;
content editors write the training but do not read who took it.

Checked with ``user.has_perm("education.view_certificate", completion)``.
"""

from __future__ import annotations

from typing import Any

import rules

from accounts.roles import staff_kind


@rules.predicate
def is_record_owner(user: Any, record: Any) -> bool:
    return bool(user.is_authenticated and record is not None and record.user_id == user.pk)


@rules.predicate
def is_vetting_staff(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and staff_kind(user) is not None)


rules.add_perm("education.view_certificate", is_record_owner | is_vetting_staff)
rules.add_perm("education.view_attempt", is_record_owner)
