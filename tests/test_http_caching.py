"""HTTP validators and cache headers: 304s for unchanged pages, nothing personal kept by others."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from core import caching
from releases.models import PreviewLink, Release, Status
from subscriptions import tokens
from subscriptions.models import CONSENT_VERSION, Subscriber, SubscriberStatus
from tests.conftest import make_release

PUBLIC = "public, max-age=5, s-maxage=5, stale-while-revalidate=4"


@pytest.fixture
def embargoed():
    return make_release(
        "Embargoed handover",
        title_da="Embargo overdragelse",
        status=Status.SCHEDULED,
        published_at=timezone.now() + datetime.timedelta(hours=2),
    )


def test_an_unchanged_page_answers_304_with_its_etag_without_rendering(
    client, profile, assert_page_queries
):
    make_release("Already out")
    first = client.get("/en/releases/")
    assert first.status_code == 200
    assert first["Cache-Control"] == PUBLIC
    etag = first["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert first["Last-Modified"].endswith(" GMT")
    caching.clear()  # as if another web process answered: only the shared entry is read
    with assert_page_queries(1):  # the release version, nothing rendered
        again = client.get("/en/releases/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == PUBLIC
    since = client.get("/en/releases/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_a_publication_changes_the_etag_and_the_page_answers_200(
    client, profile, press_officer, editor
):
    make_release("Already out")
    etag = client.get("/en/").headers["ETag"]
    release = make_release("Fresh news", status=Status.DRAFT)
    release.submit(by=press_officer)
    release.publish(by=editor)
    response = client.get("/en/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "Fresh news" in response.content.decode()


def test_a_page_rendered_again_unchanged_keeps_its_etag(client, profile):
    release = make_release("Already out")
    first = client.get(release.get_absolute_url())
    Release.objects.filter(pk=make_release("Unrelated").pk).update(status=Status.DRAFT)
    caching.clear()
    again = client.get(release.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_the_page_being_rendered_is_served_from_its_previous_copy_by_others(client, profile):
    make_release("Already out")
    first = client.get("/en/")
    make_release("Fresh news")
    # Another process holds the render lock for this address.
    caching.store().add(caching._lock_key("/en/"), 1, timeout=5)
    during = client.get("/en/")
    assert during.content == first.content
    assert during["Cache-Control"] == "no-cache"
    caching.store().delete(caching._lock_key("/en/"))
    after = client.get("/en/")
    assert "Fresh news" in after.content.decode()
    assert after["Cache-Control"] == PUBLIC


def test_public_pages_that_are_not_kept_still_carry_validators(client, profile):
    response = client.get("/en/missions/")
    assert response.status_code == 200
    assert response["Cache-Control"] == PUBLIC
    again = client.get("/en/missions/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == response["ETag"]


def test_language_is_in_the_address_and_the_root_redirect_varies_by_it(client, profile):
    english = client.get("/en/")
    danish = client.get("/da/")
    assert english["Content-Language"] == "en"
    assert danish["Content-Language"] == "da"
    assert english["ETag"] != danish["ETag"]
    root = client.get("/", HTTP_ACCEPT_LANGUAGE="da")
    assert root.status_code == 302
    assert root["Location"] == "/da/"
    assert "Accept-Language" in root["Vary"]
    assert "public" not in root["Cache-Control"]


def test_staff_get_public_addresses_as_private_pages(client, profile, editor, embargoed):
    client.force_login(editor)
    with translation.override("en"):
        response = client.get(embargoed.get_absolute_url())
    assert response.status_code == 200
    assert "Embargoed handover" in response.content.decode()
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= control
    assert "public" not in control
    assert "ETag" not in response


def _named_patterns(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", list(pattern.pattern.regex.groupindex)


# Addresses whose answer is the same for everyone and may be kept by shared caches.
PUBLIC_NAMES = {
    "home",
    "about",
    "robots",
    "favicon",
    "sitemap",
    "releases:list",
    "releases:search",
    "releases:rss",
    "releases:atom",
    "releases:contacts",
    "releases:detail",
    "releases:ics",
    "releases:contact-vcard",
    "releases:contacts-vcard",
    "library:list",
    "library:original",
    "library:release-images",
    "missions:list",
    "missions:detail",
    "missions:export",
    "media:file",
    "opendata:releases",
    "opendata:releases-csv",
    "opendata:release",
    "opendata:schema",
    "signing-key",
    "signed:document",
    "signed:version",
    "verification:verify",
}


def test_nothing_personal_or_embargoed_is_ever_public_cacheable(profile, editor, embargoed):
    """Walk every named address, filled with an embargoed release and a subscriber's links."""
    document = embargoed.documents.create(file=f"releases/{embargoed.pk}/documents/plan.pdf")
    link = PreviewLink.objects.create(release=embargoed)
    subscriber = Subscriber.objects.create(
        email="reader@example.org",
        language="en",
        status=SubscriberStatus.CONFIRMED,
        consent_version=CONSENT_VERSION,
        consented_at=timezone.now(),
    )
    values = {
        "slug": embargoed.slug_en,
        "path": document.file.name,
        "object_id": str(embargoed.pk),
        "pk": str(embargoed.pk),
        "number": "1",
        "app_label": "releases",
        "model_name": "release",
        "content_type_id": str(ContentType.objects.get_for_model(Release).pk),
        "dataset": "missions",
        "fmt": "csv",
        "language": "en",
    }
    special = {
        "releases:preview": {"token": link.token},
        "subscriptions:confirm": {"token": tokens.make_token(subscriber, tokens.CONFIRM)},
    }
    anonymous = Client()
    staff = Client()
    staff.force_login(editor)
    walked = set()
    for name, params in _named_patterns(get_resolver()):
        kwargs = {key: values.get(key) for key in params}
        if "token" in params:
            kwargs["token"] = tokens.make_token(subscriber, tokens.MANAGE)
        kwargs.update(special.get(name, {}))
        with translation.override("en"):
            url = reverse(name, kwargs=kwargs)
        for who, client in (("anonymous", anonymous), ("staff", staff)):
            response = client.get(url)
            control = response.get("Cache-Control", "")
            shared = "public" in control or "s-maxage" in control
            body = b"" if response.streaming else response.content
            if shared:
                assert name in PUBLIC_NAMES, (name, who, control)
                assert b"Embargoed handover" not in body, (name, who)
                assert who == "anonymous" or name in ("robots", "favicon"), (name, who, control)
            else:
                assert "no-store" in control or response.status_code in (301, 302), (name, who)
        walked.add(name)
    assert len(walked) > 60
    assert {"home", "media:file", "releases:preview", "subscriptions:manage"} <= walked
    assert {"admin:index", "admin:releases_release_change"} <= walked
