# The licences move from releases to core, so that missions' images can have one too.
# Only Django's record of the model moves: the table stays "releases_licence", made by
# releases' migration 0013 and left in place by releases' 0015.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_autosaved_form'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Licence',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(help_text='As readers see it, such as “Free for editorial use with credit”.', max_length=150, verbose_name='name')),
                        ('name_en', models.CharField(help_text='As readers see it, such as “Free for editorial use with credit”.', max_length=150, null=True, verbose_name='name')),
                        ('name_da', models.CharField(help_text='As readers see it, such as “Free for editorial use with credit”.', max_length=150, null=True, verbose_name='name')),
                        ('url', models.URLField(blank=True, help_text='Where the full terms can be read, if anywhere.', verbose_name='address')),
                    ],
                    options={
                        'verbose_name': 'licence',
                        'verbose_name_plural': 'licences',
                        'db_table': 'releases_licence',
                        'ordering': ['pk'],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
