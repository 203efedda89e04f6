"""Webhook signing secrets are kept sealed (`core.sealing`): the columns are renamed, widened
to hold a Fernet token, and the secrets already stored are sealed in place."""

from django.db import migrations, models

from core.sealing import seal, unseal

PURPOSE = "partners.webhook-secret"  # WebhookEndpoint's sealing purpose, frozen here
PLAIN_PREFIX = "whsec_"


def seal_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    endpoint_model = apps.get_model("partners", "WebhookEndpoint")
    for endpoint in endpoint_model.objects.all().iterator():
        changed = []
        for field in ("sealed_secret", "sealed_previous_secret"):
            value = getattr(endpoint, field)
            if value.startswith(PLAIN_PREFIX):
                setattr(endpoint, field, seal(value, purpose=PURPOSE))
                changed.append(field)
        if changed:
            endpoint.save(update_fields=changed)


def unseal_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    endpoint_model = apps.get_model("partners", "WebhookEndpoint")
    for endpoint in endpoint_model.objects.all().iterator():
        for field in ("sealed_secret", "sealed_previous_secret"):
            value = getattr(endpoint, field)
            if value and not value.startswith(PLAIN_PREFIX):
                setattr(endpoint, field, unseal(value, purpose=PURPOSE))
        endpoint.save(update_fields=["sealed_secret", "sealed_previous_secret"])


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [
        migrations.RenameField("webhookendpoint", "secret", "sealed_secret"),
        migrations.RenameField("webhookendpoint", "previous_secret", "sealed_previous_secret"),
        migrations.AlterField(
            model_name="webhookendpoint",
            name="sealed_secret",
            field=models.TextField(editable=False),
        ),
        migrations.AlterField(
            model_name="webhookendpoint",
            name="sealed_previous_secret",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(seal_existing, unseal_existing),
    ]
