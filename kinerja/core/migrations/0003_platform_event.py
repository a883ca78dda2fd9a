"""Audit rows of no government (a platform administrator's own account) move to their own
table, so that every audit row of a government has it: the key the table is distributed by on
Citus, which refuses a row without one (decision 0018)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


FIELDS = ("actor_id", "at", "action", "content_type_id", "object_id", "object_repr", "before")
FIELDS += ("after", "note")


def move_platform_rows(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    PlatformEvent = apps.get_model("core", "PlatformEvent")
    rows = AuditEvent.objects.filter(government__isnull=True).order_by("id")
    PlatformEvent.objects.bulk_create(
        PlatformEvent(**{name: getattr(row, name) for name in FIELDS}) for row in rows
    )
    # auto_now_add set `at` to now: the moved rows keep their time.
    for row, moved in zip(rows, PlatformEvent.objects.order_by("id")):
        PlatformEvent.objects.filter(pk=moved.pk).update(at=row.at)
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0010_notice_skp"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_audit_government_latest"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PlatformEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(auto_now_add=True, db_index=True)),
                ("action", models.CharField(max_length=80)),
                ("object_id", models.CharField(max_length=64)),
                ("object_repr", models.CharField(max_length=300)),
                ("before", models.JSONField(blank=True, null=True)),
                ("after", models.JSONField(blank=True, null=True)),
                ("note", models.TextField(blank=True)),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
            ],
            options={
                "verbose_name": "catatan audit platform",
                "verbose_name_plural": "catatan audit platform",
                "ordering": ["-at", "-id"],
                "abstract": False,
            },
        ),
        migrations.RunPython(move_platform_rows, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="government",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.government",
            ),
        ),
    ]
