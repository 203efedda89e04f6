"""What screening announces to the apps above it.

`list_version_activated` is sent when an imported list version becomes the active one
(sender=ListVersion, version_id, list_id). It is sent inside the import's transaction, so a
receiver that starts work elsewhere (a task) defers it with `transaction.on_commit`; shippers
re-screens its organisations against what the version added or changed.
"""

from __future__ import annotations

from django.dispatch import Signal

list_version_activated = Signal()
