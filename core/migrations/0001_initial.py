"""The pressroom profile, moved here from the pressroom app with its table and its rows.

The table was created by the pressroom app's first migration. This one takes it
over in Django's state without touching the database, then renames it, and
moves the profile's content type along so that permissions given on it and its
admin history stay. Last, the profile's name becomes its title, and the
organisation's name is taken from it: the name without a leading “News from” or
“Nyheder fra”, so that sentences such as “releases from …” read right.
"""

import re

from django.db import migrations, models

_NEWS_FROM = re.compile(r"^\s*(news from|nyheder fra)\s+", re.IGNORECASE)


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


def organisation_from_title(apps, schema_editor):
    Profile = apps.get_model("core", "PressroomProfile")
    for profile in Profile.objects.using(schema_editor.connection.alias):
        for suffix in ("", "_en", "_da"):
            title = getattr(profile, f"title{suffix}")
            if title:
                setattr(profile, f"organisation{suffix}", _NEWS_FROM.sub("", title))
        profile.save()


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
        migrations.RenameField(model_name="pressroomprofile", old_name="name", new_name="title"),
        migrations.RenameField(
            model_name="pressroomprofile", old_name="name_en", new_name="title_en"
        ),
        migrations.RenameField(
            model_name="pressroomprofile", old_name="name_da", new_name="title_da"
        ),
        migrations.AlterField(
            model_name="pressroomprofile",
            name="title",
            field=models.CharField(
                help_text="Shown at the top of every page and email and in browser tabs, for example “News from the Ministry of Foreign Affairs of Denmark”.",
                max_length=200,
                verbose_name="title",
            ),
        ),
        migrations.AlterField(
            model_name="pressroomprofile",
            name="title_da",
            field=models.CharField(
                help_text="Shown at the top of every page and email and in browser tabs, for example “News from the Ministry of Foreign Affairs of Denmark”.",
                max_length=200,
                null=True,
                verbose_name="title",
            ),
        ),
        migrations.AlterField(
            model_name="pressroomprofile",
            name="title_en",
            field=models.CharField(
                help_text="Shown at the top of every page and email and in browser tabs, for example “News from the Ministry of Foreign Affairs of Denmark”.",
                max_length=200,
                null=True,
                verbose_name="title",
            ),
        ),
        migrations.AddField(
            model_name="pressroomprofile",
            name="organisation",
            field=models.CharField(
                default="",
                help_text="The organisation's name as it reads in a sentence such as “releases from …”, for example “the Ministry of Foreign Affairs of Denmark” or “Udenrigsministeriet”. Emails are sent in this name.",
                max_length=200,
                verbose_name="organisation",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="pressroomprofile",
            name="organisation_da",
            field=models.CharField(
                help_text="The organisation's name as it reads in a sentence such as “releases from …”, for example “the Ministry of Foreign Affairs of Denmark” or “Udenrigsministeriet”. Emails are sent in this name.",
                max_length=200,
                null=True,
                verbose_name="organisation",
            ),
        ),
        migrations.AddField(
            model_name="pressroomprofile",
            name="organisation_en",
            field=models.CharField(
                help_text="The organisation's name as it reads in a sentence such as “releases from …”, for example “the Ministry of Foreign Affairs of Denmark” or “Udenrigsministeriet”. Emails are sent in this name.",
                max_length=200,
                null=True,
                verbose_name="organisation",
            ),
        ),
        migrations.AlterField(
            model_name="pressroomprofile",
            name="logo",
            field=models.ImageField(
                blank=True,
                help_text="Shown beside the title in the header. SVG is not accepted; use PNG.",
                upload_to="profile/",
                verbose_name="logo",
            ),
        ),
        migrations.RunPython(organisation_from_title, migrations.RunPython.noop),
    ]
