# The licences move to core (see core's migration 0003): the image's field now names
# core.Licence, and releases forgets its own record of the model. The table, its rows and
# the image's foreign key stay as they are. Editors' permissions and the admin's history
# follow the model: its content type is relabelled rather than made anew.

import django.db.models.deletion
from django.db import migrations, models

import core.models


def relabel_content_type(apps, schema_editor, old="releases", new="core"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label=new, model="licence").exists():
        ContentType.objects.using(db).filter(app_label=old, model="licence").update(
            app_label=new
        )


def relabel_back(apps, schema_editor):
    relabel_content_type(apps, schema_editor, old="core", new="releases")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0003_licence'),
        ('releases', '0014_image_rights_expiry'),
    ]

    # Missions' images point at the table this app's 0013 made: on a new database it must
    # be there first. Said here, as missions may not know of releases.
    run_before = [
        ('missions', '0005_mission_image_rights'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='releaseimage',
                    name='licence',
                    field=models.ForeignKey(blank=True, default=core.models.default_licence, help_text='The terms on which journalists may use the image.', on_delete=django.db.models.deletion.PROTECT, related_name='images', to='core.licence', verbose_name='licence'),
                ),
                migrations.DeleteModel(
                    name='Licence',
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_content_type, relabel_back),
    ]
