"""Fixtures and small factories shared by every test, with named personas."""

import datetime
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from core import caching
from core.models import PressroomProfile
from pressroom import roles
from releases.models import Release, ReleaseKind, Status

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # The manifest storage needs collectstatic; tests read static files from the apps.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.SITE_URL = "http://testserver"
    caching.clear()


@pytest.fixture
def profile(db):
    return PressroomProfile.objects.create(
        pk=1,
        title_en="News from the Ministry of Foreign Affairs of Denmark",
        title_da="Nyheder fra Udenrigsministeriet",
        organisation_en="the Ministry of Foreign Affairs of Denmark",
        organisation_da="Udenrigsministeriet",
        about_en="In our pressroom you can read all our latest releases.",
        about_da="I vores presserum kan du læse alle vores seneste nyheder.",
        address="Asiatisk Plads 2\n1448 København K",
    )


def make_user(username, role=None, **fields):
    user = get_user_model().objects.create_user(
        username=username,
        password="correct horse battery staple",
        is_staff=role is not None,
        **fields,
    )
    if role:
        roles.sync_role_permissions()
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def editor(db):
    return make_user("erika", roles.EDITOR)


@pytest.fixture
def second_editor(db):
    return make_user("edvard", roles.EDITOR)


@pytest.fixture
def press_officer(db):
    return make_user("olga", roles.PRESS_OFFICER)


@pytest.fixture
def outsider(db):
    return make_user("oscar")


def make_release(
    title="Denmark hands over command",
    *,
    title_da=None,
    status=Status.PUBLISHED,
    published_at=None,
    kind=ReleaseKind.PRESS_RELEASE,
    **fields,
):
    n = next(_counter)
    if status in (Status.PUBLISHED, Status.SCHEDULED, Status.WITHDRAWN) and published_at is None:
        published_at = timezone.now() - datetime.timedelta(hours=n)
    values = {
        "title_en": title,
        "slug_en": f"{n}-release-en" if title else "",
        "lead_en": f"Lead of {title}" if title else "",
        "body_en": f"Body of {title}" if title else "",
    }
    if title_da:
        values.update(
            title_da=title_da,
            slug_da=f"{n}-release-da",
            lead_da=f"Indledning {n}",
            body_da=f"Brødtekst {n}",
        )
    values.update(fields)
    return Release.objects.create(status=status, published_at=published_at, kind=kind, **values)


def reset_cache():
    """Create the shared cache table and empty it (rate limits and login counts live there)."""
    call_command("createcachetable", verbosity=0)
    cache.clear()


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1 that the mail backend sends to; yields its sink."""
    from tests.test_subscriptions import running_smtp

    with running_smtp(settings) as sink:
        yield sink
