"""The case events live in the audit log now (0004); the old table goes, and the roles lose
the permissions of what no longer exists or no longer changes."""

from django.db import migrations


def grant_roles(apps, schema_editor):
    from accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0004_case_events_to_audit_log")]

    operations = [
        migrations.DeleteModel(name="CaseEvent"),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
