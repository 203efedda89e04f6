"""Stored e-mails are sealed at rest and purged once delivered (reset and confirmation links
must not be readable by staff)."""

from django.db import migrations, models


def seal_existing(apps, schema_editor):
    from core.sealing import seal

    email_model = apps.get_model("accounts", "OutboundEmail")
    for email in email_model.objects.all().iterator():
        email.sealed_message = (
            "" if email.status == "sent" else seal(email.payload, purpose="outbound-email")
        )
        email.save(update_fields=["sealed_message"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_audit_log_roles")]

    operations = [
        migrations.AddField(
            model_name="outboundemail",
            name="sealed_message",
            field=models.TextField(
                blank=True, help_text="The encrypted message; emptied when it has been delivered."
            ),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.RemoveField(model_name="outboundemail", name="payload"),
    ]
