"""The publishing workflow: four eyes, scheduling, withdrawal, unpublishing, history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from releases.models import Release, ReleaseEvent, Status
from tests.conftest import make_release, sign_in


@pytest.fixture
def submitted(press_officer):
    release = make_release("Draft release", status=Status.DRAFT)
    release.submit(by=press_officer)
    return release


def test_the_person_who_submitted_cannot_publish(editor, second_editor):
    release = make_release("Own release", status=Status.DRAFT)
    release.submit(by=editor)
    with pytest.raises(PermissionDenied, match="another editor must approve it"):
        release.publish(by=editor)
    release.refresh_from_db()
    assert release.status == Status.SUBMITTED
    release.publish(by=second_editor)
    assert Release.objects.get(pk=release.pk).status == Status.PUBLISHED


def test_a_press_officer_cannot_publish(submitted, press_officer):
    other = make_release("Other", status=Status.DRAFT)
    with pytest.raises(PermissionDenied, match="Only an editor"):
        other.publish(by=press_officer)
    assert Release.objects.get(pk=other.pk).status == Status.DRAFT


def test_only_a_release_waiting_for_review_can_be_published(editor):
    draft = make_release("Draft", status=Status.DRAFT)
    with pytest.raises(PermissionDenied, match="Nothing in this release waits for review"):
        draft.publish(by=editor)
    assert Release.objects.get(pk=draft.pk).status == Status.DRAFT


def test_every_transition_records_who_and_when(submitted, press_officer, editor):
    submitted.publish(by=editor)
    submitted.withdraw(by=editor, reasons={"en": "Wrong figures", "da": "Forkerte tal"})
    events = list(submitted.events.values_list("action", "by__username"))
    assert events == [
        (ReleaseEvent.Action.SUBMITTED, press_officer.username),
        (ReleaseEvent.Action.PUBLISHED, editor.username),
        (ReleaseEvent.Action.WITHDRAWN, editor.username),
    ]


def test_scheduled_release_is_invisible_until_its_second(submitted, editor):
    at = (timezone.now() + datetime.timedelta(hours=1)).replace(microsecond=0)
    submitted.publish(by=editor, at=at)
    assert submitted.status == Status.SCHEDULED
    just_before = at - datetime.timedelta(seconds=1)
    assert not Release.objects.published(at=just_before).filter(pk=submitted.pk).exists()
    assert Release.objects.published(at=at).filter(pk=submitted.pk).exists()


def test_withdrawn_release_keeps_its_page_with_notice_and_reason(client, submitted, editor):
    submitted.publish(by=editor)
    submitted.withdraw(by=editor, reasons={"en": "The figures were wrong.", "da": ""})
    page = client.get(submitted.get_absolute_url())
    assertContains(page, "<strong>This release has been withdrawn.</strong>", html=True)
    assertContains(page, "<p>The figures were wrong.</p>", html=True)


def test_withdrawal_needs_a_reason(submitted, editor):
    submitted.publish(by=editor)
    with pytest.raises(ValidationError, match="reason"):
        submitted.withdraw(by=editor, reasons={"en": " ", "da": ""})
    assert Release.objects.get(pk=submitted.pk).status == Status.PUBLISHED


def test_unpublished_release_answers_gone(client, submitted, editor):
    submitted.publish(by=editor)
    url = submitted.get_absolute_url()
    submitted.unpublish(by=editor, reason="Published by mistake")
    response = client.get(url)
    assert response.status_code == 410
    assert "This release has been removed" in response.content.decode()


def test_draft_is_404_for_the_public_and_a_bannered_preview_for_staff(client, editor):
    draft = make_release("Secret plans", status=Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    sign_in(client, editor)
    page = client.get(draft.get_absolute_url())
    assertContains(page, "Preview: this release is not public.")
    assertContains(page, '<meta name="robots" content="noindex, nofollow">', html=True)
    assertContains(page, "<h1>Secret plans</h1>", html=True)


def test_secret_preview_link_works_until_revoked(client, editor):
    draft = make_release("Embargoed", status=Status.DRAFT)
    link = draft.preview_links.create(note="Journalist", created_by=editor)
    assert len(link.token) >= 40
    response = client.get(link.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assertContains(response, "<h1>Embargoed</h1>", html=True)
    link.revoked = True
    link.save()
    assert client.get(link.get_absolute_url()).status_code == 404


def test_admin_publish_form_schedules_in_copenhagen_time(client, submitted, editor):
    sign_in(client, editor)
    url = reverse("admin:releases_release_review", args=[submitted.pk])
    approve = {"action": "approve", "revision": submitted.pending_revision.number}
    response = client.post(
        url,
        {
            **approve,
            "approve-when": "at",
            "approve-at_0": "2030-03-31",
            "approve-at_1": "02:30:00",
            "approve-notify": "on",
        },
    )
    # 02:30 on the night clocks spring forward does not exist in Copenhagen.
    assert response.status_code == 200
    assert "2030-03-31 02:30:00 couldn’t be interpreted in time zone Europe/Copenhagen" in (
        response.content.decode()
    )
    response = client.post(
        url,
        {
            **approve,
            "approve-when": "at",
            "approve-at_0": "2030-03-31",
            "approve-at_1": "03:30:00",
            "approve-notify": "on",
        },
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.SCHEDULED
    assert submitted.published_at == datetime.datetime(2030, 3, 31, 1, 30, tzinfo=datetime.UTC)


def test_admin_shows_times_with_the_zone_named(client, editor):
    release = make_release(
        "Summer", published_at=datetime.datetime(2023, 7, 1, 10, 0, tzinfo=datetime.UTC)
    )
    sign_in(client, editor)
    page = client.get(reverse("admin:releases_release_change", args=[release.pk]))
    assert "1.7.2023 12:00:00 CEST" in page.content.decode()


def test_press_officer_can_draft_and_submit_but_not_publish_in_admin(client, press_officer):
    sign_in(client, press_officer)
    response = client.post(
        reverse("admin:releases_release_add"),
        {
            "kind": "news",
            "title_en": "Officer's draft",
            "title_da": "",
            "slug_en": "",
            "slug_da": "",
            "lead_en": "Lead",
            "body_en": "<p>Body</p><script>alert(1)</script>",
            **_empty_inlines(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    release = Release.objects.get(title_en="Officer's draft")
    assert release.slug_en == "officers-draft"
    assert release.body_en == "<p>Body</p>"
    assert release.created_by == press_officer
    client.post(reverse("admin:releases_release_submit", args=[release.pk]))
    release.refresh_from_db()
    assert release.status == Status.SUBMITTED
    response = client.post(
        reverse("admin:releases_release_review", args=[release.pk]),
        {"action": "approve", "revision": "1", "approve-when": "now", "approve-notify": "on"},
    )
    assert response.status_code == 403
    assert (
        '<p class="errornote" role="alert">Only an editor can publish, schedule, withdraw or '
        "unpublish releases.</p>"
    ) in response.content.decode()
    assert Release.objects.get(pk=release.pk).status == Status.SUBMITTED


def _empty_inlines():
    prefixes = ["quotes", "release_contacts", "images", "documents"]
    data = {}
    for prefix in prefixes:
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data
