"""Officers and supervisors receive the targeting permissions (shipments/roles.py)."""

from django.db import migrations


def grant(apps, schema_editor):
    from accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("shipments", "0051_targeting_rules"), ("accounts", "0003_audit_log_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
