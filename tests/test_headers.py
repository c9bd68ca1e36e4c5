"""Security headers: CSP and Permissions-Policy everywhere, private staff and personal pages."""

import contextlib
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from missions.models import Mission, Organisation
from releases.models import ReleaseKind, Status
from subscriptions import tokens
from tests.conftest import make_release, make_subscriber, sign_in
from tests.test_foundation import PRODUCTION


def policy(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    return {
        name: sources
        for name, *sources in (part.split() for part in header.split(";") if part.strip())
    }


def assert_strict(response, url):
    directives = policy(response)
    assert directives["default-src"] == ["'self'"], url
    assert directives["script-src"][0] == "'self'", url
    assert all(s == "'self'" or s.startswith("'nonce-") for s in directives["script-src"]), url
    assert directives["style-src"] == ["'self'"], url
    assert directives["object-src"] == ["'none'"], url
    assert directives["base-uri"] == ["'none'"], url
    assert directives["frame-ancestors"] == ["'none'"], url
    assert "unsafe" not in response["Content-Security-Policy"], url
    permissions = response["Permissions-Policy"]
    assert "camera=()" in permissions and "geolocation=()" in permissions, url
    assert "publickey-credentials-get=(self)" in permissions, url


@pytest.fixture
def content(profile, editor):
    release = make_release("NATO handover", title_da="NATO-overdragelse")
    make_release(
        "Press meeting",
        kind=ReleaseKind.PRESS_INVITATION,
        event_start=release.published_at,
        event_location="Asiatisk Plads 2",
    )
    draft = make_release("Draft plans", status=Status.DRAFT)
    nato = Organisation.objects.create(acronym="NATO", name_en="NATO", name_da="NATO")
    mission = Mission.objects.create(
        slug="nmi", acronym="NMI", name_en="NATO Mission Iraq", organisation=nato
    )
    subscriber = make_subscriber()
    link = draft.preview_links.create(note="Reporter")
    return {
        "release": release,
        "draft": draft,
        "mission": mission,
        "manage": reverse("subscriptions:manage", args=[tokens.make_token(subscriber, "manage")]),
        "preview": link.get_absolute_url(),
    }


def public_urls(content):
    urls = ["/robots.txt", "/sitemap.xml", "/healthz", "/en/no-such-page/"]
    for language in ("en", "da"):
        with translation.override(language):
            urls += [
                reverse("home"),
                reverse("about"),
                reverse("releases:list"),
                reverse("releases:search") + "?q=NATO",
                reverse("releases:rss"),
                reverse("releases:atom"),
                reverse("releases:contacts"),
                reverse("library:list"),
                content["release"].get_absolute_url(),
                reverse("missions:list"),
                content["mission"].get_absolute_url(),
                reverse("subscriptions:subscribe"),
                reverse("subscriptions:send-link"),
                reverse("verification:verify"),
                content["preview"],
            ]
    return urls


def admin_urls(content):
    urls = ["/admin/", reverse("two_factor:profile"), reverse("two_factor:backup_tokens")]
    for model in admin.site._registry:
        opts = model._meta
        for name in ("changelist", "add"):
            with contextlib.suppress(NoReverseMatch):
                urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}"))
    urls += [
        reverse("admin:releases_release_change", args=[content["release"].pk]),
        reverse("admin:releases_release_change", args=[content["draft"].pk]),
        reverse("admin:missions_mission_change", args=[content["mission"].pk]),
    ]
    return urls


def test_every_public_page_has_a_strict_policy_without_a_nonce(client, content):
    # Twice: the second answer of a cached page comes from the page cache.
    for url in public_urls(content) * 2:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert_strict(response, url)
        # Public pages may be cached whole, so none may carry a per-response nonce.
        assert "nonce-" not in response["Content-Security-Policy"], url


def test_every_admin_page_has_a_strict_policy(client, content):
    superuser = get_user_model().objects.create_superuser("ada", password="x" * 20)
    sign_in(client, superuser)
    for url in admin_urls(content):
        response = client.get(url)
        # The one profile cannot be added twice: that refusal carries the headers too.
        assert response.status_code in (200, 403), url
        assert_strict(response, url)


def test_the_sign_in_pages_have_a_strict_policy(client, content):
    for url in [reverse("two_factor:login"), "/admin/login/"]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert_strict(response, url)


def test_the_editors_import_map_carries_the_nonce_of_its_response(client, content, editor):
    sign_in(client, editor)
    url = reverse("admin:releases_release_change", args=[content["draft"].pk])
    nonces = []
    for _request in range(2):
        response = client.get(url)
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]
        page = response.content.decode()
        assert f'<script type="importmap" nonce="{nonce}">' in page
        # No other inline script is on the page: every other one has a src.
        inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
        assert inline == [f' type="importmap" nonce="{nonce}"'], inline
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_no_template_holds_an_inline_script_or_style():
    inline = re.compile(
        r"<script(?![^>]*\b(?:src=|type=\"application/ld\+json\"))[^>]*>|<style\b|\sstyle=\"|\son[a-z]+=\""
    )
    found = []
    for path in (settings.BASE_DIR / "templates").rglob("*.html"):
        if "emails" in path.parts:
            continue  # email clients, not browsers under this policy, read these
        text = path.read_text()
        found += [f"{path.name}: {match}" for match in inline.findall(text)]
    assert found == []


def cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def test_staff_and_personal_pages_are_never_stored(client, content, editor):
    response = client.get(content["manage"])
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)
    assert {"private", "no-store"} <= cache_control(client.get(content["preview"]))

    sign_in(client, editor)
    for url in [
        content["draft"].get_absolute_url(),  # the staff preview at its public address
        content["release"].get_absolute_url(),
        reverse("home"),
        "/admin/",
        reverse("admin:releases_release_change", args=[content["draft"].pk]),
        reverse("two_factor:backup_tokens"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= cache_control(response), url


def test_public_pages_stay_cacheable_for_readers(client, content):
    response = client.get(content["release"].get_absolute_url())
    assert "private" not in cache_control(response)
    assert "Cookie" not in response.get("Vary", "")


def shown_settings(**env):
    environment = {**os.environ, "DEBUG": "false", **PRODUCTION, **env}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--verbosity",
            "0",
            "-c",
            "from django.conf import settings as s; "
            "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)",
        ],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()


def test_hsts_covers_subdomains_and_preload_only_when_asked():
    assert shown_settings() == ["31536000", "False", "False"]
    asked = {"SECURE_HSTS_INCLUDE_SUBDOMAINS": "true", "SECURE_HSTS_PRELOAD": "true"}
    assert shown_settings(**asked) == ["31536000", "True", "True"]
    assert shown_settings(SITE_URL="http://127.0.0.1:8000", ALLOWED_HOSTS="127.0.0.1") == [
        "0",
        "False",
        "False",
    ]
