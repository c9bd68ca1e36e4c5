"""The release admin as editors use it: corrections, preview links, history."""

import pytest
from django.urls import reverse

from releases import signals
from releases.models import ReleaseEvent, Status
from tests.conftest import form_data, make_release, sign_in


@pytest.fixture
def published(editor):
    return make_release("Published release", title_da="Offentliggjort nyhed")


def test_a_correction_shows_and_is_announced_once_a_second_editor_approves_it(
    client, editor, second_editor, published, django_capture_on_commit_callbacks
):
    announced = []

    def receiver(sender, release, by, correction, **kwargs):
        announced.append((release.pk, by, correction.text_en))

    signals.corrected.connect(receiver)
    sign_in(client, editor)
    url = reverse("admin:releases_release_change", args=[published.pk])
    data = form_data(client.get(url))
    data.update(
        {
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-text_en": "An earlier version gave the wrong date.",
            "corrections-0-text_da": "En tidligere version havde en forkert dato.",
            "corrections-0-created_at_0": "2026-11-20",
            "corrections-0-created_at_1": "10:00:00",
            "corrections-0-notify_subscribers": "on",
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    # The correction is text like any other: it waits for review, out of the public's sight.
    assert not published.corrections.exists()
    assert announced == []
    client.logout()
    page = client.get(published.get_absolute_url()).content.decode()
    assert "An earlier version gave the wrong date." not in page

    published.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        published.publish(by=second_editor)
    signals.corrected.disconnect(receiver)
    correction = published.corrections.get()
    assert correction.created_by == editor
    assert correction.notify_subscribers
    assert announced == [(published.pk, second_editor, "An earlier version gave the wrong date.")]
    assert published.events.filter(action=ReleaseEvent.Action.CORRECTED, by=second_editor).exists()
    page = client.get(published.get_absolute_url()).content.decode()
    assert "20.11.2026 10:00:00 CET</time>: An earlier version gave the wrong date." in page


def test_a_press_officers_change_to_a_public_release_waits_for_review(
    client, press_officer, published
):
    sign_in(client, press_officer)
    url = reverse("admin:releases_release_change", args=[published.pk])
    data = form_data(client.get(url))
    data["title_en"] = "Changed by an officer"
    response = client.post(url, data, follow=True)
    assert "waits for another editor&#x27;s review" in response.content.decode()
    published.refresh_from_db()
    assert published.title_en == "Published release"
    assert published.pending_revision.content["fields"]["title_en"] == "Changed by an officer"
    assert published.pending_revision.created_by == press_officer


def test_the_slug_of_a_published_release_cannot_change(client, editor, published):
    sign_in(client, editor)
    url = reverse("admin:releases_release_change", args=[published.pk])
    data = form_data(client.get(url))
    data["slug_en"] = "a-new-address"
    assert client.post(url, data).status_code == 302
    published.refresh_from_db()
    assert published.slug_en != "a-new-address"


def test_editor_withdraws_with_a_reason_in_the_admin(client, editor, published):
    sign_in(client, editor)
    url = reverse("admin:releases_release_withdraw", args=[published.pk])
    empty = client.post(url, {"reason_en": "", "reason_da": ""})
    assert "Give the reason for the withdrawal" in empty.content.decode()
    assert (
        client.post(url, {"reason_en": "Superseded.", "reason_da": "Erstattet."}).status_code == 302
    )
    published.refresh_from_db()
    assert published.status == Status.WITHDRAWN
    assert (published.withdrawn_reason_en, published.withdrawn_reason_da) == (
        "Superseded.",
        "Erstattet.",
    )
