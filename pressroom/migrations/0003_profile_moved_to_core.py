"""The pressroom profile now lives in the core app, table and rows included."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("pressroom", "0002_roles"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PressroomProfile")],
        ),
    ]
