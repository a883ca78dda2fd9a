"""The programme ↔ objective link becomes a model of its own with the government key, like
every tenant row, so that on Citus it is distributed with its programme (decision 0018). The
table, its columns and its links stay; only `government_id` is added, filled from the
programme."""

import django.db.models.deletion
from django.db import migrations, models


def fill_government(apps, schema_editor):
    Link = apps.get_model("planning", "ProgrammeObjective")
    Programme = apps.get_model("planning", "Programme")
    governments = Programme.objects.values_list("government_id", flat=True).distinct()
    for government_id in governments:
        Link.objects.filter(programme__government_id=government_id).update(
            government_id=government_id
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("planning", "0007_polarity_band_label"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ProgrammeObjective",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "objective",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to="planning.objective",
                            ),
                        ),
                        (
                            "programme",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to="planning.programme",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "planning_programme_objectives",
                        "unique_together": {("programme", "objective")},
                        "verbose_name": "sasaran program",
                        "verbose_name_plural": "sasaran program",
                    },
                ),
                migrations.AlterField(
                    model_name="programme",
                    name="objectives",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="programmes",
                        through="planning.ProgrammeObjective",
                        to="planning.objective",
                        verbose_name="sasaran yang didukung",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="programmeobjective",
            name="government",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.government",
            ),
        ),
        migrations.RunPython(fill_government, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="programmeobjective",
            name="government",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.government",
            ),
        ),
    ]
