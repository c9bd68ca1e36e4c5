"""Preview links for outsiders through every state of their release, media included."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from releases.models import PREVIEW_LINK_DAYS, Release, Status
from tests.conftest import add_document, add_image, form_data, make_photo, make_release, sign_in


@pytest.fixture(autouse=True)
def english():
    # Addresses built outside a request are English; a request may have left Danish on.
    with translation.override("en"):
        yield


@pytest.fixture
def draft(profile, editor):
    release = make_release(
        "Denmark takes over command",
        title_da="Danmark overtager kommandoen",
        status=Status.DRAFT,
    )
    add_image(editor, release, make_photo(1200, 600))
    add_document(editor, release, b"%PDF-1.7 plan", "plan.pdf")
    return release


@pytest.fixture
def link(draft, editor):
    return draft.preview_links.create(note="Reporter", created_by=editor)


@pytest.fixture
def officer_submits(draft, press_officer):
    def submit():
        draft.submit(by=press_officer)

    return submit


def media_urls(page):
    """Every image and document address on a page: src, each srcset entry, and links."""
    urls = set(re.findall(r'(?:src|href)="(/media/[^"]+)"', page))
    for srcset in re.findall(r'srcset="([^"]+)"', page):
        urls.update(candidate.split(" ")[0] for candidate in srcset.split(", "))
    return sorted(unescape(url) for url in urls)


def without_token(url):
    return re.sub(r"[?&]preview=[^&]+", "", url)


def assert_shows_everything(client, link, release):
    response = client.get(link.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{release.title_en}</h1>" in page
    assert release.lead_en in page and release.body_en in page
    assert "Preview: this release is not public." in page
    assert response["Cache-Control"] == "private, no-store"
    urls = media_urls(page)
    # The original, two renditions in two formats (1200 px wide), the download, the document.
    assert len(urls) >= 4
    for url in urls:
        assert f"preview={link.token}" in url
        assert client.get(url).status_code == 200, url
        assert client.get(without_token(url)).status_code == 404, url
    return page


def assert_shows_nothing(client, link, release, urls):
    response = client.get(link.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 404
    assert "This preview link no longer works" in page
    for text in (release.title_en, release.title_da, release.lead_en, release.body_en):
        assert text not in page
    assert '"/media/' not in page  # no file's address (the library's page is /en/media/)
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_a_link_shows_a_draft_with_its_media_in_both_languages(client, draft, link):
    page = assert_shows_everything(client, link, draft)
    # The language switch leads to the same preview in Danish.
    with translation.override("da"):
        danish = link.get_absolute_url()
    assert danish.startswith("/da/")
    assert f'href="http://testserver{danish}" hreflang="da"' in page
    response = client.get(danish)
    assert response.status_code == 200
    assert "<h1>Danmark overtager kommandoen</h1>" in response.content.decode()
    assert "Danmark overtager kommandoen" not in page


def test_a_link_follows_its_release_through_every_state(
    client, draft, link, officer_submits, editor
):
    assert_shows_everything(client, link, draft)

    officer_submits()
    assert_shows_everything(client, link, draft)

    draft.publish(by=editor, at=timezone.now() + datetime.timedelta(hours=2))
    page = assert_shows_everything(client, link, draft)
    assert "goes live" in page

    # Its time comes: the link leads to the public page, in the link's language.
    Release.objects.filter(pk=draft.pk).update(
        published_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    draft.refresh_from_db()
    response = client.get(link.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    with translation.override("da"):
        danish_link, danish_page = link.get_absolute_url(), draft.get_absolute_url()
    assert client.get(danish_link)["Location"] == danish_page
    assert client.get(response["Location"]).status_code == 200

    draft.withdraw(by=editor, reasons={"en": "Wrong figures", "da": ""})
    link.refresh_from_db()
    assert link.revoked
    response = client.get(link.get_absolute_url())
    assert response.status_code == 404
    assert draft.title_en not in response.content.decode()


def test_after_unpublishing_a_link_shows_nothing_even_as_a_draft_again(
    client, draft, link, officer_submits, editor
):
    urls = media_urls(assert_shows_everything(client, link, draft))
    officer_submits()
    draft.publish(by=editor)
    assert client.get(link.get_absolute_url())["Location"] == draft.get_absolute_url()
    draft.unpublish(by=editor, reason="The visit was called off.")
    assert_shows_nothing(client, link, draft, urls)
    draft.return_to_draft(by=editor)
    assert_shows_nothing(client, link, draft, urls)


def test_a_revoked_link_shows_nothing(client, draft, link):
    urls = media_urls(assert_shows_everything(client, link, draft))
    link.revoked = True
    link.save()
    assert_shows_nothing(client, link, draft, urls)


def test_every_link_ends_two_weeks_on_unless_an_editor_sets_another_end(client, draft, link):
    assert link.expires_at - link.created_at == pytest.approx(
        datetime.timedelta(days=PREVIEW_LINK_DAYS), abs=datetime.timedelta(seconds=5)
    )
    urls = media_urls(assert_shows_everything(client, link, draft))
    link.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    link.save()
    assert_shows_nothing(client, link, draft, urls)
    link.expires_at = timezone.now() + datetime.timedelta(days=30)
    link.save()
    assert_shows_everything(client, link, draft)


def test_a_link_shows_only_its_own_release_and_media(client, draft, link, editor):
    other = make_release("Another secret", status=Status.DRAFT)
    image = add_image(editor, other, make_photo(800, 400))
    url = f"{image.image.url}?preview={link.token}"
    assert client.get(url).status_code == 404
    page = client.get(link.get_absolute_url()).content.decode()
    assert "Another secret" not in page


@pytest.mark.parametrize("token", ["nope", "a" * 43, "bad\x00token" + "a" * 40, "../../etc"])
def test_unknown_and_malformed_tokens_get_the_same_empty_page(client, draft, link, token):
    # A null character is refused as bad input (400) before any lookup; the rest are 404.
    expected = 400 if "\x00" in token else 404
    response = client.get(f"/en/releases/preview/{token}/")
    assert response.status_code == expected
    assert "takes over command" not in response.content.decode()
    image = draft.images.get()
    assert client.get(f"{image.image.url}?preview={token}").status_code == expected


def test_editors_set_the_end_of_a_link_in_the_admin(client, draft, link, editor):
    sign_in(client, editor)
    url = reverse("admin:releases_release_change", args=[draft.pk])
    data = form_data(client.get(url))
    assert data["preview_links-0-expires_at_0"] == timezone.localtime(link.expires_at).strftime(
        "%Y-%m-%d"
    )
    data["preview_links-0-expires_at_0"] = "2031-01-15"
    data["preview_links-0-expires_at_1"] = "12:00:00"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    link.refresh_from_db()
    assert link.expires_at == datetime.datetime(2031, 1, 15, 11, 0, tzinfo=datetime.UTC)
