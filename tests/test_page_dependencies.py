"""A release page is kept by the releases it shows: another release's correction leaves it be."""

import datetime
import importlib
import time

import pytest
import time_machine
from django.utils import timezone

from core import caching
from releases import views
from releases.caching import shown_releases_version
from releases.models import Release, Status, Topic
from tests.conftest import make_release


@pytest.fixture
def renders(monkeypatch):
    """The slugs of the release pages rendered, in order."""
    rendered = []
    original = views.ReleaseDetailView.get_context_data

    def counting(self, **kwargs):
        rendered.append(self.object.slug)
        return original(self, **kwargs)

    monkeypatch.setattr(views.ReleaseDetailView, "get_context_data", counting)
    return rendered


@pytest.fixture
def desk(db):
    """Six public releases, newest first; the oldest (``page``) shows the three newest."""
    topic = Topic.objects.create(name_en="Defence", slug_en="defence")
    releases = [make_release(f"Release {n}") for n in range(6)]
    page, unrelated, related = releases[5], releases[4], releases[3]
    page.topics.add(topic)
    related.topics.add(topic)
    return {
        "page": page,
        "latest": releases[:3],
        "related": related,
        "unrelated": unrelated,
    }


def edit(release, **fields):
    for name, value in fields.items():
        setattr(release, name, value)
    release.save()


def test_a_correction_to_another_release_leaves_the_page_kept(
    client, profile, desk, renders, assert_page_queries
):
    page, unrelated = desk["page"], desk["unrelated"]
    first = client.get(page.get_absolute_url())
    assert first.status_code == 200
    assert "Release 4" not in first.content.decode()  # neither among the latest nor related
    client.get(unrelated.get_absolute_url())
    client.get("/en/releases/")
    assert renders == [page.slug, unrelated.slug]

    edit(unrelated, title_en="Release 4, corrected")
    caching.clear()  # as another web process: only the shared store
    with assert_page_queries(1):  # the shown releases' version, nothing rendered
        again = client.get(page.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert client.get(page.get_absolute_url()).content == first.content
    assert renders == [page.slug, unrelated.slug]
    # The corrected release's own page and the lists show the correction at once.
    assert "Release 4, corrected" in client.get(unrelated.get_absolute_url()).content.decode()
    assert "Release 4, corrected" in client.get("/en/releases/").content.decode()
    assert renders == [page.slug, unrelated.slug, unrelated.slug]


@pytest.mark.parametrize("shown", ["latest", "related"])
def test_a_correction_to_a_release_the_page_shows_renders_it_again(
    client, profile, desk, renders, shown
):
    page = desk["page"]
    other = desk["latest"][1] if shown == "latest" else desk["related"]
    assert other.title_en in client.get(page.get_absolute_url()).content.decode()
    edit(other, title_en=f"{other.title_en}, corrected")
    caching.clear()
    assert f"{other.title_en}" in client.get(page.get_absolute_url()).content.decode()
    assert renders == [page.slug, page.slug]


def test_a_correction_to_the_release_itself_shows_at_once(client, profile, desk):
    page = desk["page"]
    client.get(page.get_absolute_url())
    edit(page, lead_en="A corrected lead.")
    assert "A corrected lead." in client.get(page.get_absolute_url()).content.decode()


@pytest.mark.parametrize("way", ["unpublish", "withdraw", "bare update"])
def test_a_shown_release_unpublished_is_gone_from_the_page_at_once(
    client, profile, desk, editor, way, settings
):
    # A bare update goes past this process's signals, as a save in another process does: it
    # shows when the version is next read, within PAGE_VERSION_SECONDS; here at once.
    settings.PAGE_VERSION_SECONDS = 0
    page, related = desk["page"], desk["related"]
    assert "Release 3" in client.get(page.get_absolute_url()).content.decode()
    if way == "unpublish":
        related.unpublish(by=editor, reason="Published by mistake.")
    elif way == "withdraw":
        # A bare update, leaving updated_at alone: the status itself is followed.
        Release.objects.filter(pk=related.pk).update(status=Status.WITHDRAWN)
    else:
        # Even a change that leaves updated_at alone is seen: the page is kept by what is public.
        Release.objects.filter(pk=related.pk).update(status=Status.DRAFT)
    body = client.get(page.get_absolute_url()).content.decode()
    if way == "withdraw":
        assert "Release 3" in body  # a withdrawn release stays listed, marked as withdrawn
        assert "| <strong>Withdrawn</strong>" in body
    else:
        assert "Release 3" not in body


def test_the_page_itself_unpublished_answers_gone_at_once(client, profile, desk, editor):
    page = desk["page"]
    assert client.get(page.get_absolute_url()).status_code == 200
    page.unpublish(by=editor, reason="Published by mistake.")
    assert client.get(page.get_absolute_url()).status_code == 410


def test_a_new_publication_and_an_embargo_ending_show_on_the_page_at_once(
    client, profile, desk, renders
):
    page = desk["page"]
    client.get(page.get_absolute_url())
    make_release("Fresh news", published_at=timezone.now())
    assert "Fresh news" in client.get(page.get_absolute_url()).content.decode()

    at = timezone.now() + datetime.timedelta(minutes=5)
    make_release("Embargoed news", status=Status.SCHEDULED, published_at=at)
    assert "Embargoed news" not in client.get(page.get_absolute_url()).content.decode()
    with time_machine.travel(at + datetime.timedelta(seconds=1), tick=False):
        assert "Embargoed news" in client.get(page.get_absolute_url()).content.decode()
    assert len(renders) == 3


def test_the_version_lists_only_shown_releases_the_public_can_still_see(desk):
    shown = [desk["page"].pk, desk["related"].pk]
    stamp, states = Release.objects.shown_version(shown)
    newest = desk["latest"][0]
    newest.refresh_from_db()
    assert stamp == newest.published_at
    assert [pk for pk, _state in states] == sorted(shown)
    page = desk["page"]
    assert dict(states)[page.pk] == page.shown_state()
    Release.objects.filter(pk=desk["related"].pk).update(status=Status.UNPUBLISHED)
    assert Release.objects.shown_version(shown)[1] == tuple(
        (pk, state) for pk, state in states if pk == page.pk
    )


def test_after_a_publication_pages_wait_their_turn_briefly_but_never_for_an_unpublishing(
    client, profile, desk, editor, settings
):
    page, other = desk["page"], desk["unrelated"]
    first = client.get(page.get_absolute_url())
    client.get(other.get_absolute_url())
    make_release("Fresh news", published_at=timezone.now())
    # This process has just spent its share on rendering waiting pages: it serves the previous
    # copy, uncached downstream.
    caching._paced_until = time.monotonic() + 60
    during = client.get(page.get_absolute_url())
    assert during.content == first.content
    assert during["Cache-Control"] == "no-cache"
    # Never past PAGE_WAIT_SECONDS after the publication.
    later = timezone.now() + datetime.timedelta(seconds=settings.PAGE_WAIT_SECONDS)
    with time_machine.travel(later, tick=False):
        assert "Fresh news" in client.get(page.get_absolute_url()).content.decode()
    # A shown release unpublished is rendered away at once, however busy the process is.
    desk["related"].unpublish(by=editor, reason="Published by mistake.")
    make_release("More news", published_at=timezone.now())
    body = client.get(page.get_absolute_url()).content.decode()
    assert "Release 3" not in body
    assert "More news" in body
    # The new release's own page and the lists never wait.
    assert "More news" in client.get("/en/releases/").content.decode()
    # Past its pace, the process renders the waiting page.
    caching._paced_until = 0.0
    assert "More news" in client.get(other.get_absolute_url()).content.decode()


def test_a_process_renders_waiting_pages_with_at_most_its_share_of_time(
    client, profile, desk, settings
):
    settings.PAGE_RENDER_SHARE = 0.001
    page, other = desk["page"], desk["unrelated"]
    first = client.get(page.get_absolute_url())
    before = client.get(other.get_absolute_url())
    make_release("Fresh news", published_at=timezone.now())
    began = time.monotonic()
    assert "Fresh news" in client.get(page.get_absolute_url()).content.decode()
    took = time.monotonic() - began
    # That render took ``took``: with a share of 1/1000 the process now serves previous copies
    # of waiting pages for about 999 times as long.
    assert caching._paced_until - time.monotonic() > min(1, 500 * took)
    assert client.get(other.get_absolute_url()).content == before.content
    assert first.content != client.get(page.get_absolute_url()).content


def test_one_read_a_second_checks_every_release_page_a_process_serves(
    client, profile, desk, settings, django_assert_num_queries
):
    settings.PAGE_VERSION_SECONDS = 0.3
    pages = [desk["page"], desk["unrelated"], desk["related"]]
    for page in pages:
        client.get(page.get_absolute_url())
        client.get(page.get_absolute_url())
    time.sleep(settings.PAGE_VERSION_SECONDS)
    # The first page's check reads the versions of all three pages in one query ...
    with django_assert_num_queries(1):
        first = client.get(pages[0].get_absolute_url())
    # ... so the others are served without another.
    with django_assert_num_queries(0):
        for page in pages[1:]:
            assert client.get(page.get_absolute_url()).status_code == 200
    assert first.status_code == 200
    # What one of them shows changes behind the process's back: found at the next check.
    Release.objects.filter(pk=desk["related"].pk).update(status=Status.UNPUBLISHED)
    time.sleep(settings.PAGE_VERSION_SECONDS)
    assert "Release 3" not in client.get(desk["page"].get_absolute_url()).content.decode()
    assert client.get(desk["related"].get_absolute_url()).status_code == 410


def test_a_check_reads_with_it_only_pages_served_lately_whose_check_is_due(
    client, profile, desk, settings, monkeypatch
):
    settings.PAGE_VERSION_SECONDS = 0.3
    name = caching.version_name(shown_releases_version)
    importlib.import_module(settings.ROOT_URLCONF)  # the views register their versions
    asked = []

    def reading(dependencies=()):
        asked.append(set(dependencies))
        return version(dependencies)

    version = caching._versions[name]
    monkeypatch.setitem(caching._versions, name, reading)
    # Three pages that show different releases (each page's version is kept by those).
    page, unrelated, newest = desk["page"], desk["unrelated"], desk["latest"][0]
    shows = {
        page: {page.pk, desk["related"].pk, *(r.pk for r in desk["latest"])},
        unrelated: {unrelated.pk, *(r.pk for r in desk["latest"])},
        newest: {r.pk for r in [*desk["latest"], desk["related"]]},
    }
    for release in (page, unrelated):
        client.get(release.get_absolute_url())
    time.sleep(caching.VERSION_BATCH_PERIODS * settings.PAGE_VERSION_SECONDS)
    # Served long ago (and not since): a check of another page leaves it to its own.
    client.get(newest.get_absolute_url())  # rendered: it reads what it shows itself
    client.get(unrelated.get_absolute_url())
    assert asked == [shows[unrelated]]
    # Its own check, then, reads neither of the others: one was checked a moment ago, the
    # other rendered.
    client.get(page.get_absolute_url())
    assert asked[1] == shows[page]
    asked.clear()
    time.sleep(settings.PAGE_VERSION_SECONDS)
    # Once their checks are due, one check reads all three, and serves them all.
    client.get(unrelated.get_absolute_url())
    assert asked == [set.union(*shows.values())]
    client.get(page.get_absolute_url())
    client.get(newest.get_absolute_url())
    assert len(asked) == 1
