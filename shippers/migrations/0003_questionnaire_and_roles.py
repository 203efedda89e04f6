"""Load version 1 of the security questionnaire from shippers/data and grant the roles
their shipper permissions."""

from django.db import migrations


def load_questionnaire(apps, schema_editor):
    from shippers.reference_data import load_security_questionnaire

    Questionnaire = apps.get_model("shippers", "SecurityQuestionnaire")
    Question = apps.get_model("shippers", "SecurityQuestion")
    data = load_security_questionnaire()
    if Questionnaire.objects.filter(version=data.version).exists():
        return
    questionnaire = Questionnaire.objects.create(
        version=data.version,
        title=data.title,
        source=data.source,
        minimum_must_score=data.minimum_must_score,
        is_current=not Questionnaire.objects.filter(is_current=True).exists(),
    )
    order = 0
    for area in data.areas:
        for question in area.questions:
            order += 1
            Question.objects.create(
                questionnaire=questionnaire,
                area_code=area.code,
                area_name=area.name,
                code=question.code,
                text=question.text,
                help=question.help,
                requirement=str(question.requirement),
                weight=question.weight,
                allow_not_applicable=question.allow_not_applicable,
                order=order,
            )


def grant_roles(apps, schema_editor):
    from accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("shippers", "0002_applications"),
        ("accounts", "0002_roles"),
    ]

    operations = [
        migrations.RunPython(load_questionnaire, migrations.RunPython.noop),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
