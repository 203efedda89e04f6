"""Officers and supervisors read and search the audit log."""

from django.db import migrations


def grant(apps, schema_editor):
    from accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles"), ("core", "0002_append_only")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
