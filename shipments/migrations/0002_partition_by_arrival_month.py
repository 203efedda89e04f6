"""On PostgreSQL, the shipment tables become partitioned by month of estimated arrival
(see shipments/partitions.py); on other databases they stay plain tables."""

from django.db import migrations
from django.utils import timezone

from shipments.partitions import (
    PARTITIONED_TABLES,
    add_months,
    convert_to_partitioned,
    create_partitions,
    month_start,
)


def partition(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in PARTITIONED_TABLES:
            convert_to_partitioned(cursor, table)
    create_partitions(first_month=add_months(month_start(timezone.localdate()), -1), months=5)


class Migration(migrations.Migration):
    dependencies = [("shipments", "0001_initial")]

    operations = [migrations.RunPython(partition, migrations.RunPython.noop, elidable=False)]
