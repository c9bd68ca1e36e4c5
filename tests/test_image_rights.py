"""Image rights: a licence on every image, and expiry that takes an image off everywhere."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from core.models import Licence
from releases import rights, tasks
from releases.media_admin import ReleaseImageInline
from releases.models import Release, ReleaseImage
from tests.conftest import add_image, inline_formset, make_release, run_worker

CAPTION = "The flag at the handover"


@pytest.fixture
def expiring(profile, editor):
    """A public release with two images; the first one's rights run out in three days."""
    release = make_release("Handover")
    lapsing = add_image(
        editor,
        release,
        name="lapsing.jpg",
        caption_en=CAPTION,
        credit_en="Photo: Agency",
        **expiry_fields(timezone.now() + datetime.timedelta(days=3)),
    )
    kept = add_image(editor, release, name="kept.jpg", caption_en="The ship")
    return release, lapsing, kept


def expiry_fields(moment):
    """The admin's two inputs of a rights expiry: date and time, in local time."""
    local = timezone.localtime(moment)
    return {
        "rights_expire_at_0": local.strftime("%Y-%m-%d"),
        "rights_expire_at_1": local.strftime("%H:%M:%S"),
    }


def after_expiry(time_machine, image):
    time_machine.move_to(image.rights_expire_at + datetime.timedelta(seconds=1))


def test_existing_and_new_images_get_the_first_licence_and_editors_can_pick_another(
    editor, profile
):
    assert list(Licence.objects.values_list("name_en", flat=True)) == [
        "Free for editorial use with credit",
        "CC BY 4.0",
        "Restricted – no redistribution",
    ]
    release = make_release()
    image = add_image(editor, release)
    assert image.licence.name_en == "Free for editorial use with credit"
    restricted = Licence.objects.get(name_en="Restricted – no redistribution")
    other = add_image(editor, release, licence=str(restricted.pk))
    assert other.licence == restricted


def test_editors_manage_the_licences(client, editor, press_officer):
    assert editor.has_perm("core.add_licence")
    assert editor.has_perm("core.change_licence")
    assert not press_officer.has_perm("core.add_licence")
    assert press_officer.has_perm("core.view_licence")


def test_before_its_rights_run_out_an_image_is_offered(client, expiring):
    release, lapsing, _kept = expiring
    assert client.get(reverse("library:original", args=[lapsing.pk])).status_code == 200
    assert client.get(lapsing.image.url).status_code == 200
    assertContains(client.get(release.get_absolute_url()), lapsing.image.name.split("/")[-1][:-4])


def test_once_its_rights_run_out_an_image_leaves_page_library_api_and_downloads(
    client, expiring, time_machine
):
    release, lapsing, kept = expiring
    stem = lapsing.image.name.rsplit("/", 1)[1].rsplit(".", 1)[0]
    after_expiry(time_machine, lapsing)

    page = client.get(release.get_absolute_url())
    assertNotContains(page, stem)
    assertContains(
        page,
        '<figure class="release-image image-withdrawn">'
        '<p class="image-placeholder">The rights to show this image have expired.</p>'
        f'<figcaption><p class="caption">{CAPTION}</p></figcaption></figure>',
        html=True,
    )
    assertContains(page, '<p class="caption">The ship</p>', html=True)

    library = client.get(reverse("library:list"))
    assert [item.pk for item in library.context["items"]] == [kept.pk]
    assertNotContains(library, stem)

    assert client.get(reverse("library:original", args=[lapsing.pk])).status_code == 404
    assert client.get(lapsing.image.url).status_code == 404
    for rendition in lapsing.renditions:
        assert client.get(f"/media/{rendition['name']}").status_code == 404

    api = client.get(reverse("opendata:release", args=[release.pk])).json()
    assert [image["caption_en"] for image in api["images"]] == ["The ship"]
    assert stem not in str(api)

    for feed in ("releases:rss", "releases:atom"):
        assertNotContains(client.get(reverse(feed)), stem)

    archive = client.get(reverse("library:release-images", args=[release.slug_en]))
    assert b"".join(archive.streaming_content).count(b"lapsing") == 0


def test_pages_kept_by_the_cache_follow_the_expiry_within_the_sweep(client, expiring, time_machine):
    release, lapsing, _kept = expiring
    stem = lapsing.image.name.rsplit("/", 1)[1].rsplit(".", 1)[0]
    assertContains(client.get(release.get_absolute_url()), stem)
    assertContains(client.get(reverse("library:list")), stem)
    after_expiry(time_machine, lapsing)
    # The library asks the time itself; the release page follows once the sweep has run.
    assertNotContains(client.get(reverse("library:list")), stem)
    assert rights.release_lapsed() == 1
    assert rights.release_lapsed() == 0  # once
    assertNotContains(client.get(release.get_absolute_url()), stem)
    assert Release.objects.get(pk=release.pk).updated_at > lapsing.rights_expire_at


def test_editors_hear_once_a_week_before_the_rights_run_out(smtp, expiring, editor, second_editor):
    release, lapsing, _kept = expiring
    far = add_image(
        editor,
        release,
        name="far.jpg",
        **expiry_fields(timezone.now() + datetime.timedelta(days=20)),
    )
    for user in (editor, second_editor):
        user.email = f"{user.username}@ministry.example"
        user.save()
    assert rights.send_expiry_notices() == [lapsing]
    assert sorted(r for m in smtp.messages for r in m.recipients) == [
        "edvard@ministry.example",
        "erika@ministry.example",
    ]
    message = smtp.messages[0]
    assert str(message["Subject"]).strip() == (
        "The rights to an image run out within a week / "
        "Rettighederne til et billede udløber inden for en uge"
    )
    text = message.get_body(("plain",)).get_content()
    assert f"- {CAPTION} (Photo: Agency)" in text
    assert f"http://testserver/admin/releases/release/{release.pk}/change/" in text
    html = message.get_body(("html",)).get_content()
    assert CAPTION in html
    assert rights.send_expiry_notices() == []
    assert len(smtp.messages) == 2
    assert ReleaseImage.objects.get(pk=far.pk).expiry_notice_sent_at is None


def test_a_new_expiry_date_brings_a_new_notice(editor, expiring):
    release, lapsing, _kept = expiring
    rights.send_expiry_notices()
    assert ReleaseImage.objects.get(pk=lapsing.pk).expiry_notice_sent_at is not None
    later = timezone.now() + datetime.timedelta(days=5)
    formset = inline_formset(
        ReleaseImageInline,
        editor,
        release,
        [
            {
                "id": str(lapsing.pk),
                "release": str(release.pk),
                "alt_en": lapsing.alt_en,
                "caption_en": CAPTION,
                "licence": str(lapsing.licence_id),
                **expiry_fields(later),
                "order": "0",
            }
        ],
        initial=1,
    )
    assert formset.is_valid(), formset.errors
    formset.save()
    assert ReleaseImage.objects.get(pk=lapsing.pk).expiry_notice_sent_at is None


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_rights_sweep_every_minute(smtp, profile, editor):
    from procrastinate.contrib.django import app

    schedules = {
        task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()
    }
    assert schedules["releases.rights_sweep"] == "* * * * *"
    editor.email = "erika@ministry.example"
    editor.save()
    release = make_release("Handover")
    image = add_image(editor, release, caption_en=CAPTION)
    ReleaseImage.objects.filter(pk=image.pk).update(
        rights_expire_at=timezone.now() + datetime.timedelta(days=2)
    )
    tasks.rights_sweep.defer(timestamp=0)
    run_worker()
    assert [r for m in smtp.messages for r in m.recipients] == ["erika@ministry.example"]


def test_a_reviewer_sees_a_chosen_licence_and_expiry_in_the_revision(editor, profile):
    from releases import revisions

    release = make_release("Handover")
    restricted = Licence.objects.get(name_en="Restricted – no redistribution")
    image = add_image(
        editor,
        release,
        name="flag.jpg",
        licence=str(restricted.pk),
        **expiry_fields(timezone.make_aware(datetime.datetime(2031, 5, 17, 11, 0))),
    )
    rows = {
        key: text
        for key, _label, _language, text in revisions.describe(revisions.snapshot(release))
    }
    name = image.image.name.rsplit("/", 1)[1]
    assert rows["images_en"] == (
        f"{name} – Soldiers at the ceremony (licence: Restricted – no redistribution) "
        f"(rights expire {revisions._date(image.rights_expire_at.isoformat())})"
    )
    plain = add_image(editor, release, name="plain.jpg")
    rows = {row[0]: row[3] for row in revisions.describe(revisions.snapshot(release))}
    assert rows["images_en"].endswith(
        f"{plain.image.name.rsplit('/', 1)[1]} – Soldiers at the ceremony"
    )


def test_restoring_a_revision_whose_licence_was_deleted_gives_the_default(editor, profile):
    from releases import revisions

    release = make_release("Handover")
    own = Licence.objects.create(name_en="One-off agreement")
    image = add_image(editor, release, licence=str(own.pk))
    content = revisions.snapshot(release)
    ReleaseImage.objects.filter(pk=image.pk).update(licence=Licence.objects.order_by("pk")[0])
    own.delete()
    revisions.apply(release, content)
    assert ReleaseImage.objects.get(pk=image.pk).licence.name_en == (
        "Free for editorial use with credit"
    )


def test_subscribers_emails_leave_out_an_image_whose_rights_ran_out(expiring, time_machine):
    from subscriptions import emails

    release, lapsing, kept = expiring
    ReleaseImage.objects.filter(pk=kept.pk).delete()
    release = Release.objects.prefetch_related(*emails.RELEASE_PREFETCH).get(pk=release.pk)
    assert "lapsing" in emails.release_content(release, "en")["html"]
    after_expiry(time_machine, lapsing)
    content = emails.release_content(release, "en")
    assert "lapsing" not in content["html"]
    assert "lapsing" not in content["text"]
