"""The media library: licences, an image's rights expiry and its file size.

Images that exist get the first licence, "Free for editorial use with credit", which
is what the pressroom offered them on until now, and the size of their stored file.
"""

import django.db.models.deletion
from django.core.files.storage import default_storage
from django.db import migrations, models

import releases.models


def seed_licences(apps, schema_editor):
    Licence = apps.get_model("releases", "Licence")
    for name_en, name_da, url in LICENCES:
        Licence.objects.create(name=name_en, name_en=name_en, name_da=name_da, url=url)
    editorial = Licence.objects.order_by("pk").first()
    ReleaseImage = apps.get_model("releases", "ReleaseImage")
    ReleaseImage.objects.update(licence=editorial)
    for image in ReleaseImage.objects.only("image"):
        try:
            size = default_storage.size(image.image.name)
        except OSError:
            continue
        ReleaseImage.objects.filter(pk=image.pk).update(size=size)


LICENCES = [
    ("Free for editorial use with credit", "Fri til redaktionel brug med kreditering", ""),
    ("CC BY 4.0", "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    (
        "Restricted – no redistribution",
        "Begrænset – må ikke videregives",
        "",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0012_embargo"),
    ]

    operations = [
        migrations.CreateModel(
            name="Licence",
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
                        help_text="As readers see it, such as “Free for editorial use with credit”.",
                        max_length=150,
                        verbose_name="name",
                    ),
                ),
                (
                    "name_en",
                    models.CharField(
                        help_text="As readers see it, such as “Free for editorial use with credit”.",
                        max_length=150,
                        null=True,
                        verbose_name="name",
                    ),
                ),
                (
                    "name_da",
                    models.CharField(
                        help_text="As readers see it, such as “Free for editorial use with credit”.",
                        max_length=150,
                        null=True,
                        verbose_name="name",
                    ),
                ),
                (
                    "url",
                    models.URLField(
                        blank=True,
                        help_text="Where the full terms can be read, if anywhere.",
                        verbose_name="address",
                    ),
                ),
            ],
            options={
                "verbose_name": "licence",
                "verbose_name_plural": "licences",
                "ordering": ["pk"],
            },
        ),
        migrations.AddField(
            model_name="releaseimage",
            name="rights_expire_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Leave empty if the rights do not run out. From this moment the image is no longer shown or offered; its caption stays.",
                null=True,
                verbose_name="rights expire",
            ),
        ),
        migrations.AddField(
            model_name="releaseimage",
            name="size",
            field=models.PositiveBigIntegerField(
                default=0, editable=False, verbose_name="size in bytes"
            ),
        ),
        migrations.AddField(
            model_name="releaseimage",
            name="licence",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="images",
                to="releases.licence",
            ),
        ),
        migrations.RunPython(seed_licences, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="releaseimage",
            name="licence",
            field=models.ForeignKey(
                blank=True,
                default=releases.models.default_licence,
                help_text="The terms on which journalists may use the image.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="images",
                to="releases.licence",
                verbose_name="licence",
            ),
        ),
    ]
