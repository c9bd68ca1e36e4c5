"""Load the demo pressroom: profile, accounts, releases and missions. Idempotent."""

from django.core.management.base import BaseCommand
from django.db import transaction

from pressroom import demo


class Command(BaseCommand):
    help = "Load the demo content and demo accounts; existing rows are left as they are."

    @transaction.atomic
    def handle(self, *args, **options):
        created = demo.load()
        self.stdout.write(f"Demo content loaded ({created} new rows).")
