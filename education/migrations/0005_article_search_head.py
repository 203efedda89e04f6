import django.contrib.postgres.search
from django.db import migrations, models

import education.models

# Title and section headings A, summary B: the small vector guidance search ranks by first.
FILL = """
UPDATE education_article SET search_head =
    setweight(to_tsvector('english', coalesce(title, '')), 'A')
    || setweight(to_tsvector('english', coalesce(summary, '')), 'B')
    || setweight(to_tsvector('english', coalesce((
        SELECT string_agg(entry ->> 'text', ' ')
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(toc) = 'array' THEN toc ELSE '[]' END)
            AS entry), '')), 'A')
"""


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL)


class Migration(migrations.Migration):
    dependencies = [
        ("education", "0004_delete_articleevent"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_head",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False,
                help_text="Title, summary and section headings only: a cheap first ranking.",
                null=True,
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="article",
            index=education.models.PortableGinIndex(
                condition=models.Q(status="published"),
                fields=["search_vector"],
                name="education_article_pub_search",
            ),
        ),
    ]
