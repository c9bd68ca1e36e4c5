"""The demo pressroom, from the seed pages: profile, accounts, then each app's content.

Every step creates what is missing and leaves existing rows alone, so running
it again changes nothing, and an editor's changes to demo rows survive.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.models import PressroomProfile
from pressroom import roles

# (role shown to the newcomer, username, password). Demo only: the run command
# prints them; a production site never runs load_demo.
DEMO_ACCOUNTS = [
    ("Editor", "editor", "demo-editor-2026"),
    ("Second editor", "editor2", "demo-editor2-2026"),
    ("Press officer", "officer", "demo-officer-2026"),
]

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
    return created
