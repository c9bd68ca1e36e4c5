"""Dates named alike (``<name>_on`` beside ``<name>_precision``), vocabularies labelled "type"."""

from django.db import migrations, models

RENAMES = [
    ("mission", "established", "established_on"),
    ("mission", "ended", "ended_on"),
    ("legalbasis", "date", "dated_on"),
    ("legalbasis", "date_precision", "dated_precision"),
    ("commandperiod", "start", "started_on"),
    ("commandperiod", "start_precision", "started_precision"),
    ("commandperiod", "end", "ended_on"),
    ("commandperiod", "end_precision", "ended_precision"),
    ("contribution", "start", "started_on"),
    ("contribution", "start_precision", "started_precision"),
    ("contribution", "end", "ended_on"),
    ("contribution", "end_precision", "ended_precision"),
    ("figure", "as_of", "dated_on"),
    ("figure", "as_of_precision", "dated_precision"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("missions", "0002_mission_details_and_contributions"),
    ]

    # The checks that name the dates are dropped before the renames and made again after
    # them, so that the migration also runs backwards.
    operations = [
        migrations.RemoveConstraint(
            model_name="commandperiod",
            name="commandperiod_end_not_before_start",
        ),
        migrations.RemoveConstraint(
            model_name="contribution",
            name="contribution_end_not_before_start",
        ),
        migrations.RemoveConstraint(
            model_name="mission",
            name="mission_ended_not_before_established",
        ),
        *(
            migrations.RenameField(model_name, old_name, new_name)
            for model_name, old_name, new_name in RENAMES
        ),
        migrations.AlterModelOptions(
            name="commandperiod",
            options={
                "ordering": ["started_on", "pk"],
                "verbose_name": "command period",
                "verbose_name_plural": "command periods",
            },
        ),
        migrations.AlterModelOptions(
            name="contribution",
            options={
                "ordering": [models.OrderBy(models.F("started_on"), nulls_last=True), "kind", "pk"],
                "verbose_name": "contribution",
                "verbose_name_plural": "contributions",
            },
        ),
        migrations.AlterModelOptions(
            name="figure",
            options={
                "ordering": [models.OrderBy(models.F("dated_on"), nulls_first=True), "pk"],
                "verbose_name": "figure",
                "verbose_name_plural": "figures",
            },
        ),
        migrations.AlterModelOptions(
            name="legalbasis",
            options={
                "ordering": [models.OrderBy(models.F("dated_on"), nulls_last=True), "pk"],
                "verbose_name": "legal basis",
                "verbose_name_plural": "legal bases",
            },
        ),
        migrations.AlterField(
            model_name="figure",
            name="kind",
            field=models.CharField(
                choices=[
                    ("initial", "Initial"),
                    ("planned", "Planned"),
                    ("ceiling", "Ceiling"),
                    ("actual", "Actual"),
                ],
                default="actual",
                help_text="Initial, planned, a ceiling (the most the mandate allows) or the actual number.",
                max_length=20,
                verbose_name="type of figure",
            ),
        ),
        migrations.AlterField(
            model_name="legalbasis",
            name="kind",
            field=models.CharField(
                choices=[
                    ("un-resolution", "UN Security Council resolution"),
                    ("alliance-decision", "Alliance decision"),
                    ("host-nation-request", "Host-nation request"),
                    ("folketing-decision", "Folketing decision"),
                    ("other", "Other"),
                ],
                help_text="What sort of decision.",
                max_length=30,
                verbose_name="type",
            ),
        ),
        migrations.AlterField(
            model_name="mission",
            name="kind",
            field=models.CharField(
                blank=True,
                choices=[
                    ("training", "Training and capacity building"),
                    ("peacekeeping", "Peacekeeping"),
                    ("surveillance", "Surveillance"),
                    ("maritime", "Maritime security"),
                    ("stabilisation", "Stabilisation"),
                    ("combat", "Combat"),
                ],
                help_text="Leave empty when no single type describes it.",
                max_length=20,
                verbose_name="type of mission",
            ),
        ),
        migrations.AddConstraint(
            model_name="commandperiod",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("ended_on__isnull", True),
                    ("started_on__isnull", True),
                    ("ended_on__gte", models.F("started_on")),
                    _connector="OR",
                ),
                name="commandperiod_ended_not_before_started",
            ),
        ),
        migrations.AddConstraint(
            model_name="contribution",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("ended_on__isnull", True),
                    ("started_on__isnull", True),
                    ("ended_on__gte", models.F("started_on")),
                    _connector="OR",
                ),
                name="contribution_ended_not_before_started",
            ),
        ),
        migrations.AddConstraint(
            model_name="mission",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("ended_on__isnull", True),
                    ("established_on__isnull", True),
                    ("ended_on__gte", models.F("established_on")),
                    _connector="OR",
                ),
                name="mission_ended_not_before_established",
            ),
        ),
    ]
