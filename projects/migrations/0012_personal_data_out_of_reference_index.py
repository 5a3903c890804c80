"""Registrations, workers, support applications and team invitations now set
wagtail_reference_index_ignore: remove the rows the reference index already holds for them, so that
editors' usage pages list no people."""

from django.db import migrations

PERSONAL_MODELS = ["registration", "worker", "supportapplication", "teaminvitation"]


def forget_personal_rows(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    types = ContentType.objects.filter(app_label="projects", model__in=PERSONAL_MODELS)
    ReferenceIndex.objects.filter(base_content_type__in=types).delete()
    ReferenceIndex.objects.filter(content_type__in=types).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0011_support_application_submission_key"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
    ]

    operations = [migrations.RunPython(forget_personal_rows, migrations.RunPython.noop, elidable=True)]
