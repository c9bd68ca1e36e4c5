"""The demo pressroom, from the seed pages: profile, accounts, then each app's content.

Every step creates what is missing and leaves existing rows alone, so running
it again changes nothing, and an editor's changes to demo rows survive.
"""

from base64 import b32encode

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import PressroomProfile
from pressroom import roles

# (role shown to the newcomer, username, password). Demo only: the run command
# prints them; a production site never runs load_demo.
DEMO_ACCOUNTS = [
    ("Editor", "editor", "demo-editor-2026"),
    ("Second editor", "editor2", "demo-editor2-2026"),
    ("Press officer", "officer", "demo-officer-2026"),
]

# Editors sign in with a second factor. The demo editors' authenticator keys are
# fixed and printed by the run command (as are a few recovery codes), so that a
# newcomer can add them to an authenticator app. Demo only, like the passwords.
DEMO_TOTP_KEYS = {
    "editor": "ce22e389224a9c7f5c9bc039f18cbf118175c6a8",
    "editor2": "b1b670a0d3744febbb48058230133b59f557b4ab",
}
DEMO_RECOVERY_CODES = 3

_ROLE_OF = {"editor": roles.EDITOR, "editor2": roles.EDITOR, "officer": roles.PRESS_OFFICER}
_NAMES = {"editor": ("Ea", "Editor"), "editor2": ("Emil", "Editor"), "officer": ("Otto", "Officer")}

PROFILE = {
    "title_en": "News from the Ministry of Foreign Affairs of Denmark",
    "title_da": "Nyheder fra Udenrigsministeriet",
    "organisation_en": "the Ministry of Foreign Affairs of Denmark",
    "organisation_da": "Udenrigsministeriet",
    "about_en": "In our pressroom you can read all our latest releases, find our press "
    "contacts, images, documents and other relevant information about us.",
    "about_da": "I vores presserum kan du læse alle vores seneste nyheder og finde vores "
    "pressekontakter, billeder, dokumenter og anden relevant information om os.",
    "address": "Asiatisk Plads 2\n1448 København K",
    "phone": "+45 33 92 00 00",
    "email": "um@um.dk",
}


def load():
    """Create what is missing of the demo content; return how many rows were created."""
    from missions import demo as missions_demo
    from releases import demo as releases_demo

    created = 0
    _profile, made = PressroomProfile.objects.get_or_create(pk=1, defaults=PROFILE)
    created += made
    created += load_accounts()
    created += missions_demo.load()
    created += releases_demo.load()
    return created


def load_accounts():
    roles.sync_role_permissions()
    User = get_user_model()
    created = 0
    for _role, username, password in DEMO_ACCOUNTS:
        first, last = _NAMES[username]
        user, made = User.objects.get_or_create(
            username=username,
            defaults={
                "is_staff": True,
                "first_name": first,
                "last_name": last,
                "email": f"{username}@pressroom.invalid",
            },
        )
        if made:
            user.set_password(password)
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=_ROLE_OF[username]))
            created += 1
        if username in DEMO_TOTP_KEYS:
            TOTPDevice.objects.get_or_create(
                user=user, name="default", defaults={"key": DEMO_TOTP_KEYS[username]}
            )
    return created


def demo_key(username):
    """A demo editor's authenticator key as apps take it: base32, in groups of four."""
    key = b32encode(bytes.fromhex(DEMO_TOTP_KEYS[username])).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def demo_recovery_codes(username):
    """Unused recovery codes of a demo editor, topped up to a few (each works once)."""
    user = get_user_model().objects.get(username=username)
    device, _created = StaticDevice.objects.get_or_create(user=user, name="backup")
    for _missing in range(DEMO_RECOVERY_CODES - device.token_set.count()):
        device.token_set.create(token=StaticToken.random_token())
    return list(device.token_set.values_list("token", flat=True))
