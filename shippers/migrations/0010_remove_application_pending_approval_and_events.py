from django.db import migrations


class Migration(migrations.Migration):
    """The JSON field and the per-application event table are gone: their contents are in
    `ApprovalProposal` and `core.AuditEvent` (0009)."""

    dependencies = [("shippers", "0009_move_to_audit_log")]

    operations = [
        migrations.RemoveField(model_name="application", name="pending_approval"),
        migrations.DeleteModel(name="ApplicationEvent"),
    ]
