"""Mitigation guidelines become immutable versions: who recorded a version and when (the
columns that said who last edited a row, which no longer happens)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enforcement", "0002_statutory_figures_guidelines_and_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("mitigationguideline", "updated_at", "recorded_at"),
        migrations.AlterField(
            model_name="mitigationguideline",
            name="recorded_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.RenameField("mitigationguideline", "updated_by", "recorded_by"),
        migrations.AlterField(
            model_name="mitigationguideline",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
