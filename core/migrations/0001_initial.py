"""The pressroom profile, moved here from the pressroom app with its table and its rows.

The table was created by the pressroom app's first migration. This one takes it
over in Django's state without touching the database, then renames it, and
moves the profile's content type along so that permissions given on it and its
admin history stay.
"""

from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    if not types.filter(app_label="core", model="pressroomprofile").exists():
        types.filter(app_label="pressroom", model="pressroomprofile").update(app_label="core")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    if not types.filter(app_label="pressroom", model="pressroomprofile").exists():
        types.filter(app_label="core", model="pressroomprofile").update(app_label="pressroom")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("pressroom", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PressroomProfile",
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
                            "name",
                            models.CharField(
                                help_text="Shown at the top of every page and in emails, for example “News from the Ministry of Foreign Affairs of Denmark”.",
                                max_length=200,
                                verbose_name="name",
                            ),
                        ),
                        (
                            "name_en",
                            models.CharField(
                                help_text="Shown at the top of every page and in emails, for example “News from the Ministry of Foreign Affairs of Denmark”.",
                                max_length=200,
                                null=True,
                                verbose_name="name",
                            ),
                        ),
                        (
                            "name_da",
                            models.CharField(
                                help_text="Shown at the top of every page and in emails, for example “News from the Ministry of Foreign Affairs of Denmark”.",
                                max_length=200,
                                null=True,
                                verbose_name="name",
                            ),
                        ),
                        (
                            "about",
                            models.TextField(
                                blank=True,
                                help_text="A few sentences about the pressroom, shown on the home and about pages.",
                                verbose_name="about text",
                            ),
                        ),
                        (
                            "about_en",
                            models.TextField(
                                blank=True,
                                help_text="A few sentences about the pressroom, shown on the home and about pages.",
                                null=True,
                                verbose_name="about text",
                            ),
                        ),
                        (
                            "about_da",
                            models.TextField(
                                blank=True,
                                help_text="A few sentences about the pressroom, shown on the home and about pages.",
                                null=True,
                                verbose_name="about text",
                            ),
                        ),
                        (
                            "address",
                            models.TextField(
                                blank=True,
                                help_text="One line per address line.",
                                verbose_name="postal address",
                            ),
                        ),
                        (
                            "phone",
                            models.CharField(
                                blank=True,
                                help_text="The press office's main phone number.",
                                max_length=40,
                                verbose_name="phone",
                            ),
                        ),
                        (
                            "email",
                            models.EmailField(
                                blank=True,
                                help_text="The press office's main email address.",
                                max_length=254,
                                verbose_name="email",
                            ),
                        ),
                        (
                            "logo",
                            models.ImageField(
                                blank=True,
                                help_text="Shown beside the name in the header. SVG is not accepted; use PNG.",
                                upload_to="profile/",
                                verbose_name="logo",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "pressroom profile",
                        "verbose_name_plural": "pressroom profile",
                        "db_table": "pressroom_pressroomprofile",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("pk", 1)), name="pressroom_profile_singleton"
                            )
                        ],
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name="pressroomprofile", table=None),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
