"""The program's starting targeting rules (shipments/targeting/data/rules.yaml), version 1
of each, and the targeting state row. Rules that already exist are left alone."""

from django.db import migrations


def load_rules(apps, schema_editor):
    from shipments.targeting.catalogue import load_rule_file

    Rule = apps.get_model("shipments", "TargetingRule")
    Version = apps.get_model("shipments", "TargetingRuleVersion")
    State = apps.get_model("shipments", "TargetingState")
    for row in load_rule_file():
        rule, created = Rule.objects.get_or_create(code=row["code"])
        if not created:
            continue
        Version.objects.create(
            rule=rule,
            number=1,
            is_current=True,
            enabled=True,
            kind=row["kind"],
            name=row["name"],
            reason=row["reason"],
            weight=row["weight"],
            outcome=row["outcome"],
            shadow=row["shadow"],
            effective_from=row["effective_from"],
            effective_to=row["effective_to"],
            conditions=row["conditions"],
            citation=row["citation"],
            change_note="Starting rule of the program (data migration).",
        )
    state, _ = State.objects.get_or_create(pk=1)
    state.version += 1
    state.save()


class Migration(migrations.Migration):
    dependencies = [("shipments", "0050_targeting")]

    operations = [migrations.RunPython(load_rules, migrations.RunPython.noop)]
