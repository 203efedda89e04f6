from django.db import migrations


def grant_roles(apps, schema_editor):
    from accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    """Officers and supervisors see vetting runs and work their results."""

    dependencies = [("shippers", "0004_vetting"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
