"""Back up the database (pg_dump) and the uploaded files into a new folder."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pressroom import backup


class Command(BaseCommand):
    help = (
        "Write database.dump (pg_dump, custom format) and a copy of the uploaded files into a "
        "new folder: the argument, or var/backups/<UTC time>."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", nargs="?", help="A folder that does not exist yet.")

    def handle(self, *args, destination=None, **options):
        if destination is None:
            now = datetime.datetime.now(datetime.UTC)
            destination = Path(settings.VAR_DIR) / "backups" / now.strftime("%Y%m%dT%H%M%SZ")
        try:
            manifest = backup.backup(destination)
        except (backup.BackupError, FileExistsError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up database {manifest['database']} (PostgreSQL {manifest['postgresql']}) "
            f"and {manifest['media_files'] or 0} uploaded files to {destination}"
        )
