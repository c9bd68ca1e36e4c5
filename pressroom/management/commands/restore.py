"""Restore a backup made by ``manage.py backup`` into an empty database and the media folder."""

from django.core.management.base import BaseCommand, CommandError

from pressroom import backup


class Command(BaseCommand):
    help = (
        "Restore a folder written by `manage.py backup`: the database into an empty database "
        "(this site's, or --database-url), the uploaded files into MEDIA_ROOT."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="The backup's folder.")
        parser.add_argument(
            "--database-url",
            help="Restore into this empty database (postgres://…) instead of the site's own.",
        )

    def handle(self, *args, source, database_url=None, **options):
        target = backup.Target.from_url(database_url) if database_url else None
        try:
            files = backup.restore(source, target)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored the database and {files} uploaded files from {source}")
