"""Embargo for accredited journalists: the journalists, their personal links, the openings."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0011_search_parts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Journalist",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="Shown on every release page they open early.",
                        max_length=200,
                        verbose_name="name",
                    ),
                ),
                (
                    "outlet",
                    models.CharField(
                        help_text="The newspaper, agency or station.",
                        max_length=200,
                        verbose_name="outlet",
                    ),
                ),
                (
                    "email",
                    models.EmailField(
                        help_text="Their personal embargo links are sent here.",
                        max_length=254,
                        unique=True,
                        verbose_name="email",
                    ),
                ),
                (
                    "accredited_until",
                    models.DateField(
                        help_text="The last day of the accreditation. After it, their links show nothing.",
                        verbose_name="accredited until",
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[("en", "English"), ("da", "Danish")],
                        default="en",
                        help_text="The language of the emails they get, and of the page their link opens.",
                        max_length=2,
                        verbose_name="language",
                    ),
                ),
            ],
            options={
                "verbose_name": "journalist",
                "verbose_name_plural": "journalists",
                "ordering": ["name", "pk"],
            },
        ),
        migrations.CreateModel(
            name="JournalistGroup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="Such as “Defence correspondents” or “Nordic agencies”.",
                        max_length=100,
                        unique=True,
                        verbose_name="name",
                    ),
                ),
            ],
            options={
                "verbose_name": "journalist group",
                "verbose_name_plural": "journalist groups",
                "ordering": ["name"],
            },
        ),
        migrations.AddField(
            model_name="previewlink",
            name="emailed_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="emailed"
            ),
        ),
        migrations.CreateModel(
            name="EmbargoOpen",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now, verbose_name="opened"
                    ),
                ),
                (
                    "link",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="opens",
                        to="releases.previewlink",
                        verbose_name="link",
                    ),
                ),
            ],
            options={
                "verbose_name": "embargo link opening",
                "verbose_name_plural": "embargo link openings",
                "ordering": ["-at", "-pk"],
            },
        ),
        migrations.AddField(
            model_name="previewlink",
            name="journalist",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="embargo_links",
                to="releases.journalist",
                verbose_name="journalist",
            ),
        ),
        migrations.AddConstraint(
            model_name="previewlink",
            constraint=models.UniqueConstraint(
                condition=models.Q(("journalist__isnull", False), ("revoked", False)),
                fields=("release", "journalist"),
                name="one_working_embargo_link_per_journalist",
            ),
        ),
        migrations.AddField(
            model_name="journalist",
            name="groups",
            field=models.ManyToManyField(
                blank=True,
                help_text="Early access can be given to a whole group at once.",
                related_name="journalists",
                to="releases.journalistgroup",
                verbose_name="groups",
            ),
        ),
    ]
