import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """The four-eyes approval waiting for a supervisor becomes a table (it was a JSON field
    on the application)."""

    dependencies = [
        ("shippers", "0007_officer_view_permissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ApprovalProposal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("proposed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "tier",
                    models.PositiveSmallIntegerField(
                        choices=[(1, "Tier 1 (certified)"), (2, "Tier 2 (validated)")]
                    ),
                ),
                ("valid_to", models.DateField()),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("proposed", "Awaiting a supervisor"),
                            ("confirmed", "Confirmed"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="proposed",
                        max_length=10,
                    ),
                ),
                ("confirmed_at", models.DateTimeField(blank=True, null=True)),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True)),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="approval_proposals",
                        to="shippers.application",
                    ),
                ),
                (
                    "confirmed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "proposed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ("-proposed_at", "-pk"),
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status", "proposed")),
                        fields=("application",),
                        name="one_waiting_approval_per_application",
                    )
                ],
            },
        ),
    ]
