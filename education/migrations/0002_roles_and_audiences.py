"""Grant the education permissions to the roles (content editors, supervisors, officers) and
create the four audiences articles are written for."""

from django.db import migrations

AUDIENCES = (
    ("importer", "Importers"),
    ("shipper", "Shippers and sellers"),
    ("marketplace", "Marketplaces"),
    ("carrier", "Carriers and express consignors"),
)


def forwards(apps, schema_editor):
    from accounts.roles import sync_roles

    sync_roles(apps)
    audience_model = apps.get_model("education", "Audience")
    for position, (slug, name) in enumerate(AUDIENCES, start=1):
        audience_model.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [
        ("education", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
