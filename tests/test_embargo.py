"""Embargo for accredited journalists: personal links, the access log, revoking, the second."""

import datetime
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from releases.models import EmbargoOpen, Journalist, JournalistGroup, PreviewLink, Status
from tests.conftest import (
    add_document,
    add_image,
    html_part,
    make_photo,
    make_release,
    path_of,
    run_queued_jobs,
    sign_in,
    text_part,
)

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
# The embargo lifts at 17.5.2022 11:00:00 CEST; the editor and journalists work the day before.
LIFTS = datetime.datetime(2022, 5, 17, 11, 0, tzinfo=COPENHAGEN)
DAY_BEFORE = LIFTS - datetime.timedelta(days=1)
BANNER = "EMBARGOED until 17.5.2022 11:00:00 CEST"


@pytest.fixture(autouse=True)
def day_before(time_machine):
    time_machine.move_to(DAY_BEFORE, tick=False)
    with translation.override("en"):
        yield time_machine


@pytest.fixture
def scheduled(profile, editor):
    release = make_release(
        "Denmark sends a frigate",
        title_da="Danmark sender en fregat",
        status=Status.SCHEDULED,
        published_at=LIFTS,
    )
    add_image(editor, release, make_photo(1200, 600))
    add_document(editor, release, b"%PDF-1.7 plan", "plan.pdf")
    return release


@pytest.fixture
def defence():
    return JournalistGroup.objects.create(name="Defence correspondents")


def make_journalist(name, email, *, until=datetime.date(2022, 12, 31), groups=(), **fields):
    journalist = Journalist.objects.create(
        name=name,
        outlet=fields.pop("outlet", "Ritzau"),
        email=email,
        accredited_until=until,
        **fields,
    )
    journalist.groups.set(groups)
    return journalist


@pytest.fixture
def anna(db):
    return make_journalist("Anna Reporter", "anna@example.org", outlet="Reuters")


@pytest.fixture
def bo(defence):
    return make_journalist(
        "Bo Journalist", "bo@example.dk", outlet="Politiken", language="da", groups=[defence]
    )


@pytest.fixture
def carl(defence):
    # Accreditation ended the month before.
    return make_journalist(
        "Carl Former", "carl@example.org", until=datetime.date(2022, 4, 30), groups=[defence]
    )


def media_urls(page):
    urls = set(re.findall(r'(?:src|href)="(/media/[^"]+)"', page))
    for srcset in re.findall(r'srcset="([^"]+)"', page):
        urls.update(candidate.split(" ")[0] for candidate in srcset.split(", "))
    return sorted(unescape(url) for url in urls)


def without_token(url):
    return re.sub(r"[?&]preview=[^&]+", "", url)


def embargo_page(release):
    return reverse("admin:releases_release_embargo", args=[release.pk])


def grant_in_admin(client, release, django_capture_on_commit_callbacks, **chosen):
    data = {"action": "grant"}
    data.update({name: [obj.pk for obj in objs] for name, objs in chosen.items()})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(embargo_page(release), data)
    assert response.status_code == 302
    return response


# Granting ---------------------------------------------------------------------------------


def test_an_editor_gives_accredited_journalists_one_working_link_each(
    scheduled, editor, anna, bo, carl
):
    links = scheduled.grant_embargo([anna, bo, carl], by=editor)
    assert sorted(link.journalist.name for link in links) == ["Anna Reporter", "Bo Journalist"]
    # Given again, nobody gets a second working link.
    assert scheduled.grant_embargo([anna, bo], by=editor) == []
    assert scheduled.preview_links.embargoed().count() == 2
    assert all(link.expires_at > LIFTS for link in scheduled.preview_links.all())


def test_only_an_editor_gives_a_release_under_embargo(scheduled, press_officer, anna):
    with pytest.raises(PermissionDenied):
        scheduled.grant_embargo([anna], by=press_officer)
    assert not PreviewLink.objects.exists()


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PUBLISHED])
def test_only_a_scheduled_release_not_yet_public_is_given_under_embargo(
    profile, editor, anna, status
):
    published_at = LIFTS if status == Status.DRAFT else DAY_BEFORE
    release = make_release("Not scheduled", status=status, published_at=published_at)
    with pytest.raises(ValidationError):
        release.grant_embargo([anna], by=editor)


def test_embargo_links_stay_off_the_preview_link_inline(client, scheduled, editor, anna):
    scheduled.preview_links.create(note="Printer", created_by=editor)
    scheduled.grant_embargo([anna], by=editor)
    sign_in(client, editor)
    response = client.get(reverse("admin:releases_release_change", args=[scheduled.pk]))
    assert response.context["inline_admin_formsets"][-1].formset.queryset.count() == 1
    assert "Embargo: early access for journalists" in response.content.decode()


def test_the_journalists_get_their_links_by_email_through_the_worker_in_their_language(
    client, scheduled, editor, anna, bo, carl, defence, smtp, django_capture_on_commit_callbacks
):
    sign_in(client, editor)
    grant_in_admin(
        client, scheduled, django_capture_on_commit_callbacks, journalists=[anna], groups=[defence]
    )
    assert run_queued_jobs() == 1
    assert sorted(m.recipients[0] for m in smtp.messages) == ["anna@example.org", "bo@example.dk"]

    (english,) = smtp.to("anna@example.org")
    assert (
        english["Subject"] == f"Under embargo until 17.5.2022 11:00:00 CEST: {scheduled.title_en}"
    )
    link = scheduled.preview_links.get(journalist=anna)
    url = f"http://testserver/en/releases/preview/{link.token}/"
    assert url in text_part(english) and f'href="{url}"' in html_part(english)
    assert "EMBARGOED until 17.5.2022 11:00:00 CEST." in text_part(english)

    (danish,) = smtp.to("bo@example.dk")
    assert (
        danish["Subject"]
        == "Under embargo indtil 17.5.2022 11:00:00 CEST: Danmark sender en fregat"
    )
    token = scheduled.preview_links.get(journalist=bo).token
    assert f"http://testserver/da/nyheder/preview/{token}/" in text_part(danish)
    assert 'lang="da"' in html_part(danish)

    # Each link is emailed once; the editors see when.
    assert not scheduled.preview_links.filter(emailed_at__isnull=True).exists()
    assert not PreviewLink.objects.filter(journalist=carl).exists()
    page = client.get(embargo_page(scheduled)).content.decode()
    assert "Anna Reporter" in page and "Bo Journalist" in page and "Carl Former" not in page


def test_a_link_revoked_before_the_job_runs_is_not_emailed(
    client, scheduled, editor, anna, smtp, django_capture_on_commit_callbacks
):
    sign_in(client, editor)
    grant_in_admin(client, scheduled, django_capture_on_commit_callbacks, journalists=[anna])
    scheduled.revoke_embargo(anna)
    run_queued_jobs()
    assert smtp.messages == []


def test_a_press_officer_is_refused_the_embargo_page(client, scheduled, press_officer, anna):
    sign_in(client, press_officer)
    response = client.post(embargo_page(scheduled), {"action": "grant", "journalists": [anna.pk]})
    assert response.status_code == 403
    assert "Only an editor can give releases under embargo." in response.content.decode()
    assert not PreviewLink.objects.exists()


# Opening ----------------------------------------------------------------------------------


def test_the_link_opens_the_release_marked_embargoed_with_the_journalists_name(
    client, scheduled, editor, anna
):
    (link,) = scheduled.grant_embargo([anna], by=editor)
    response = client.get(link.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert f"<strong>{BANNER}</strong>" in page
    assert "Given personally to Anna Reporter, Reuters." in page
    # Watermarked with the name across the whole page, in screenshots and print too.
    assert '<svg class="watermark" aria-hidden="true" focusable="false">' in page
    assert '<text x="10" y="60">Anna Reporter · Reuters</text>' in page
    assert f"<h1>{scheduled.title_en}</h1>" in page
    assert "Preview: this release is not public." not in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_danish_link_is_marked_in_danish(client, scheduled, editor, bo):
    (link,) = scheduled.grant_embargo([bo], by=editor)
    with translation.override("da"):
        url = link.get_absolute_url()
    page = client.get(url).content.decode()
    assert "<strong>UNDER EMBARGO indtil 17.5.2022 11:00:00 CEST</strong>" in page
    assert "Givet personligt til Bo Journalist, Politiken." in page
    assert ">UNDER EMBARGO</text>" in page


def test_every_opening_is_logged_for_the_editors(client, scheduled, editor, anna, bo, day_before):
    anna_link, bo_link = scheduled.grant_embargo([anna, bo], by=editor)
    client.get(anna_link.get_absolute_url())
    day_before.move_to(DAY_BEFORE + datetime.timedelta(minutes=5), tick=False)
    client.get(anna_link.get_absolute_url())
    assert [(o.link.journalist, o.at) for o in EmbargoOpen.objects.order_by("at")] == [
        (anna, DAY_BEFORE),
        (anna, DAY_BEFORE + datetime.timedelta(minutes=5)),
    ]
    # The media the page loads are not openings.
    for url in media_urls(client.get(anna_link.get_absolute_url()).content.decode()):
        client.get(url)
    assert EmbargoOpen.objects.count() == 3

    sign_in(client, editor)
    page = client.get(embargo_page(scheduled)).content.decode()
    assert "<td>16.5.2022 11:05:00 CEST</td><td>Anna Reporter</td><td>Reuters</td>" in page
    log = client.get(reverse("admin:releases_embargoopen_changelist")).content.decode()
    assert log.count('<td class="field-journalist">Anna Reporter</td>') == 3
    assert '<td class="field-journalist">Bo Journalist</td>' not in log


def test_media_come_through_the_link_and_not_without_it(client, scheduled, editor, anna):
    (link,) = scheduled.grant_embargo([anna], by=editor)
    urls = media_urls(client.get(link.get_absolute_url()).content.decode())
    assert len(urls) >= 4  # renditions, the original's download, the document
    for url in urls:
        assert f"preview={link.token}" in url
        assert client.get(url).status_code == 200, url
        assert client.get(without_token(url)).status_code == 404, url


def test_nothing_of_the_release_is_reachable_otherwise_before_its_time(
    client, scheduled, editor, anna
):
    scheduled.grant_embargo([anna], by=editor)
    title = scheduled.title_en
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    for name in ["releases:list", "releases:rss", "releases:atom"]:
        assert title not in client.get(reverse(name)).content.decode(), name
    assert title not in client.get(reverse("releases:search"), {"q": "frigate"}).content.decode()
    assert title not in client.get(reverse("sitemap")).content.decode()
    assert title not in client.get(reverse("opendata:releases")).content.decode()
    assert client.get(reverse("opendata:release", args=[scheduled.pk])).status_code == 404


# Ending -----------------------------------------------------------------------------------


def test_an_editor_revokes_one_journalists_link_and_then_all(client, scheduled, editor, anna, bo):
    anna_link, bo_link = scheduled.grant_embargo([anna, bo], by=editor)
    media = media_urls(client.get(anna_link.get_absolute_url()).content.decode())
    sign_in(client, editor)
    client.post(embargo_page(scheduled), {"action": "revoke", "journalist": anna.pk})
    client.logout()

    response = client.get(anna_link.get_absolute_url())
    assert response.status_code == 404
    assert "This preview link no longer works" in response.content.decode()
    assert scheduled.title_en not in response.content.decode()
    assert all(client.get(url).status_code == 404 for url in media)
    assert client.get(bo_link.get_absolute_url()).status_code == 200

    sign_in(client, editor)
    client.post(embargo_page(scheduled), {"action": "revoke-all"})
    client.logout()
    assert client.get(bo_link.get_absolute_url()).status_code == 404
    # Given again after revoking, a journalist gets a new link; the old one stays dead.
    (new,) = scheduled.grant_embargo([anna], by=editor)
    assert new.token != anna_link.token
    assert client.get(anna_link.get_absolute_url()).status_code == 404


def test_a_journalist_whose_accreditation_ended_is_refused(client, scheduled, editor, anna):
    (link,) = scheduled.grant_embargo([anna], by=editor)
    media = media_urls(client.get(link.get_absolute_url()).content.decode())
    Journalist.objects.filter(pk=anna.pk).update(accredited_until=datetime.date(2022, 5, 15))
    response = client.get(link.get_absolute_url())
    assert response.status_code == 404
    assert scheduled.title_en not in response.content.decode()
    assert all(client.get(url).status_code == 404 for url in media)
    assert EmbargoOpen.objects.count() == 1  # only the opening while accredited


def test_unpublishing_the_scheduled_release_ends_the_embargo(client, scheduled, editor, anna):
    (link,) = scheduled.grant_embargo([anna], by=editor)
    scheduled.unpublish(by=editor, reason="Postponed")
    assert scheduled.status == Status.DRAFT
    assert client.get(link.get_absolute_url()).status_code == 404
    # Scheduled again, the release is given under embargo again only by choice.
    link.refresh_from_db()
    assert link.revoked


def test_at_the_second_the_embargo_lifts_the_link_leads_to_the_public_page(
    client, scheduled, editor, anna, day_before
):
    (link,) = scheduled.grant_embargo([anna], by=editor)
    day_before.move_to(LIFTS - datetime.timedelta(seconds=1), tick=False)
    assert client.get(link.get_absolute_url()).status_code == 200
    assert client.get(scheduled.get_absolute_url()).status_code == 404

    day_before.move_to(LIFTS, tick=False)
    response = client.get(link.get_absolute_url())
    assert response.status_code == 302
    assert path_of(response["Location"]) == scheduled.get_absolute_url()
    public = client.get(scheduled.get_absolute_url()).content.decode()
    assert f"<h1>{scheduled.title_en}</h1>" in public and "EMBARGOED" not in public
    assert EmbargoOpen.objects.count() == 1


def test_rescheduling_later_keeps_the_links_working_past_the_new_time(scheduled, editor, anna):
    (link,) = scheduled.grant_embargo([anna], by=editor)
    later = LIFTS + datetime.timedelta(days=30)
    scheduled.reschedule(by=editor, at=later)
    link.refresh_from_db()
    assert link.expires_at > later and link.shows_release()


def test_the_embargo_page_asks_for_someone_and_says_when_nobody_is_new(
    client, scheduled, editor, anna, django_capture_on_commit_callbacks
):
    sign_in(client, editor)
    response = client.post(embargo_page(scheduled), {"action": "grant"})
    assert response.status_code == 200
    assert "Choose at least one journalist or group." in response.content.decode()
    grant_in_admin(client, scheduled, django_capture_on_commit_callbacks, journalists=[anna])
    grant_in_admin(client, scheduled, django_capture_on_commit_callbacks, journalists=[anna])
    page = client.get(embargo_page(scheduled)).content.decode()
    assert "Nobody new: everyone chosen already holds a working link." in page
    assert scheduled.preview_links.count() == 1


def test_the_journalists_and_the_embargo_page_are_in_danish_in_the_danish_admin(
    client, scheduled, editor, anna
):
    scheduled.grant_embargo([anna], by=editor)
    sign_in(client, editor)
    page = client.get(embargo_page(scheduled), HTTP_ACCEPT_LANGUAGE="da").content.decode()
    for danish in ["Giv tidlig adgang", "Embargolinks", "Træk linket til Anna Reporter tilbage"]:
        assert danish in page
    page = client.get(
        reverse("admin:releases_journalist_add"), HTTP_ACCEPT_LANGUAGE="da"
    ).content.decode()
    assert "Akkrediteret til og med" in page and "Avisen, bureauet eller stationen." in page


def test_a_head_request_is_not_an_opening(client, scheduled, editor, anna):
    (link,) = scheduled.grant_embargo([anna], by=editor)
    assert client.head(link.get_absolute_url()).status_code == 200
    assert not EmbargoOpen.objects.exists()
