import uuid

import django.db.models.deletion
from django.db import migrations, models


def one_lineage_each(apps, schema_editor):
    """Every existing indicator starts its own lineage (a shared default would join them)."""
    Indicator = apps.get_model("planning", "Indicator")
    rows = list(Indicator.objects.only("pk"))
    for row in rows:
        row.lineage = uuid.uuid4()
    Indicator.objects.bulk_update(rows, ["lineage"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_government_current_year_government_reporting_year"),
        ("planning", "0005_yearpublication"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="carried_from",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="carried_to",
                to="planning.indicator",
                verbose_name="dilanjutkan dari",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="lineage",
            field=models.UUIDField(editable=False, null=True, verbose_name="garis indikator"),
        ),
        migrations.RunPython(one_lineage_each, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="indicator",
            name="lineage",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, verbose_name="garis indikator"
            ),
        ),
        migrations.AddIndex(
            model_name="indicator",
            index=models.Index(
                fields=["government", "lineage"], name="planning_in_governm_e91fda_idx"
            ),
        ),
    ]
