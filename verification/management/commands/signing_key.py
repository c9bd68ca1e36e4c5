from django.core.management.base import BaseCommand

from verification import keys


class Command(BaseCommand):
    help = "Print the public key releases are signed with, or (--new) a new private key."

    def add_arguments(self, parser):
        parser.add_argument(
            "--new", action="store_true", help="Print a new private key for RELEASE_SIGNING_KEY."
        )

    def handle(self, *args, new=False, **options):
        if new:
            self.stdout.write(keys.new_key_text())
            return
        self.stdout.write(f"key id {keys.key_id()}\n{keys.public_key_pem()}")
