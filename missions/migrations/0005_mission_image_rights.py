# A mission's lead image gets a licence and an optional end to its rights, as release
# images have. Missions that have an image take the pressroom's default licence (the
# oldest) and have the size of their image recorded; the admin offers the default to new
# ones.

import django.db.models.deletion
from django.core.files.storage import default_storage
from django.db import migrations, models



def licence_and_size_of_existing_images(apps, schema_editor):
    Licence = apps.get_model("core", "Licence")
    Mission = apps.get_model("missions", "Mission")
    missions = Mission.objects.exclude(image="")
    default = Licence.objects.order_by("pk").first()
    if default is None and missions.exists():
        # As core.models.default_licence makes it when editors have left none.
        default = Licence.objects.create(
            name="Free for editorial use with credit",
            name_en="Free for editorial use with credit",
            name_da="Fri til redaktionel brug med kreditering",
        )
    for mission in missions:
        try:
            mission.image_size = default_storage.size(mission.image.name)
        except OSError:
            mission.image_size = 0
        mission.image_licence = default
        mission.save(update_fields=["image_size", "image_licence"])


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_licence'),
        ('missions', '0004_image_pipeline'),
    ]

    operations = [
        migrations.AddField(
            model_name='mission',
            name='image_licence',
            field=models.ForeignKey(blank=True, null=True, help_text='The terms on which journalists may use the image.', on_delete=django.db.models.deletion.PROTECT, related_name='missions', to='core.licence', verbose_name='image licence'),
        ),
        migrations.AddField(
            model_name='mission',
            name='image_rights_expire_at',
            field=models.DateTimeField(blank=True, help_text='Leave empty if the rights do not run out. From this moment the image is no longer shown or offered; its caption stays.', null=True, verbose_name='image rights expire'),
        ),
        migrations.AddField(
            model_name='mission',
            name='image_size',
            field=models.PositiveBigIntegerField(default=0, editable=False, verbose_name='image size in bytes'),
        ),
        migrations.AddField(
            model_name='mission',
            name='image_expiry_notice_sent_at',
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name='mission',
            index=models.Index(condition=models.Q(('image_rights_expire_at__isnull', False)), fields=['image_rights_expire_at'], name='mission_image_rights_expiry'),
        ),
        migrations.RunPython(licence_and_size_of_existing_images, migrations.RunPython.noop),
    ]
