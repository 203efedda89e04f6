"""FalsePositive keeps its organisation as a plain id (screening sits below shippers).

The column `organisation_id` and its rows stay as they are; only the foreign-key constraint
to shippers_organisation is dropped, so no data moves."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0002_roles"),
        ("shippers", "0007_officer_view_permissions"),
    ]

    operations = [
        # Drops the constraint (and nothing else) in the database.
        migrations.AlterField(
            model_name="falsepositive",
            name="organisation",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=models.DO_NOTHING,
                related_name="+",
                to="shippers.organisation",
            ),
        ),
        # The same column, now an integer field in Django's view.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(
                    model_name="falsepositive", name="screening_f_organis_2cc78d_idx"
                ),
                migrations.RemoveField(model_name="falsepositive", name="organisation"),
                migrations.AddField(
                    model_name="falsepositive",
                    name="organisation_id",
                    field=models.BigIntegerField(db_index=True),
                ),
                migrations.AddIndex(
                    model_name="falsepositive",
                    index=models.Index(
                        fields=["organisation_id", "list_code", "source_id"],
                        name="screening_f_organis_2cc78d_idx",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
