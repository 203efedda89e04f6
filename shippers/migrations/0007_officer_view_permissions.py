from django.db import migrations


def grant_roles(apps, schema_editor):
    from accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    """Officers and supervisors read every part of an organisation's profile (identifiers,
    addresses, principals, contacts, partners, security answers, attestation)."""

    dependencies = [("shippers", "0006_questionnaire_made_current"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
