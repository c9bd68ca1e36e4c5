"""Delivery: who gets which release, once, in which language, through a real SMTP server."""

import datetime
import threading
import zoneinfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from missions.models import Mission, Organisation
from releases.models import Correction, PressContact, ReleaseContact, ReleaseKind, Status, Topic
from subscriptions import delivery, digests, retention
from subscriptions.models import Delivery, DeliveryStatus, Frequency, Subscriber
from tests.conftest import (
    html_part,
    link_in,
    make_release,
    make_subscriber,
    sign_in,
    text_part,
)

pytestmark = pytest.mark.usefixtures("cache_table")

COPENHAGEN = zoneinfo.ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def nmi(db):
    nato = Organisation.objects.create(acronym="NATO", name_en="NATO")
    return Mission.objects.create(slug="nmi", acronym="NMI", name_en="NMI", organisation=nato)


@pytest.fixture
def security(db):
    return Topic.objects.create(name_en="Security", slug_en="security", slug_da="sikkerhed")


def test_a_release_is_queued_for_exactly_the_confirmed_subscribers_whose_choices_match(
    profile, nmi, security
):
    release = make_release("Handover", kind=ReleaseKind.STATEMENT)
    release.topics.add(security)
    release.missions.add(nmi)
    wanted = [
        make_subscriber("all@example.org"),
        make_subscriber("kind@example.org", all_releases=False, kinds=[ReleaseKind.STATEMENT]),
        make_subscriber("topic@example.org", all_releases=False, topics=[security]),
        make_subscriber("mission@example.org", all_releases=False, missions=[nmi]),
        make_subscriber("both@example.org", all_releases=False, topics=[security], missions=[nmi]),
    ]
    make_subscriber("other-kind@example.org", all_releases=False, kinds=[ReleaseKind.SPEECH])
    make_subscriber("pending@example.org", status="pending")
    make_subscriber("left@example.org", status="unsubscribed", left_at=timezone.now())
    make_subscriber("suspended@example.org", status="suspended")

    assert delivery.release_went_live(release) == 5
    assert delivery.release_went_live(release) == 0  # a second call queues nothing

    queued = Delivery.objects.filter(release=release)
    assert sorted(d.subscriber.email for d in queued) == sorted(s.email for s in wanted)
    assert all(d.status == DeliveryStatus.QUEUED for d in queued)


def test_a_release_email_in_the_subscribers_language_with_headers_links_and_contacts(profile, smtp):
    release = make_release("Denmark hands over command", title_da="Danmark overdrager kommandoen")
    contact = PressContact.objects.create(
        name="Press duty", phone="+45 33 92 00 00", email="press@example.org"
    )
    ReleaseContact.objects.create(release=release, contact=contact)
    english = make_subscriber("en@example.org", language="en")
    danish = make_subscriber("da@example.org", language="da")

    delivery.release_went_live(release)
    assert delivery.send_due() == 2

    [en] = smtp.to("en@example.org")
    [da] = smtp.to("da@example.org")
    assert en["Subject"] == "Denmark hands over command"
    assert da["Subject"] == "Danmark overdrager kommandoen"
    assert en["Message-ID"] and en["Message-ID"] != da["Message-ID"]
    assert en["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        en["List-Unsubscribe"]
        .strip()
        .startswith("<http://testserver/en/subscriptions/unsubscribe/")
    )
    assert da["List-Unsubscribe"].strip().startswith("<http://testserver/da/abonnement/afmeld/")
    assert en.get_content_type() == "multipart/alternative"
    text = text_part(en)
    assert f"Lead of {release.title_en}" in text
    assert f"http://testserver/en/releases/{release.slug_en}/" in text
    assert "Press duty" in text and "+45 33 92 00 00" in text
    assert "You get this email because en@example.org subscribed" in text
    assert "You follow: All releases." in text
    assert link_in(text, "unsubscribe") == en["List-Unsubscribe"].strip()[1:-1]
    html = html_part(da)
    assert '<html lang="da">' in html
    assert f'href="http://testserver/da/nyheder/{release.slug_da}/"' in html
    assert "Læs nyheden" in html
    assert "Du får denne e-mail, fordi da@example.org abonnerer" in html
    assert "Du følger: Alle nyheder." in html
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 2
    for subscriber in (english, danish):
        assert Delivery.objects.get(subscriber=subscriber).sent_at is not None


def test_a_release_in_one_language_only_is_sent_in_it_and_marked(profile, smtp):
    release = make_release(None, title_da="Kun på dansk", slug_da="kun-dansk", lead_da="Dansk")
    make_subscriber("en@example.org", language="en")

    delivery.release_went_live(release)
    delivery.send_due()

    [message] = smtp.messages
    assert message["Subject"] == "Kun på dansk"
    assert "In Danish only" in text_part(message)
    assert '<div lang="da">' in html_part(message)


def test_sending_again_sends_nothing(profile, smtp):
    release = make_release()
    make_subscriber()
    delivery.release_went_live(release)
    delivery.send_due()
    delivery.release_went_live(release)
    assert delivery.send_due() == 0
    assert len(smtp.messages) == 1


def test_threads_racing_on_one_release_send_each_email_once(transactional_db, profile, smtp):
    release = make_release()
    for n in range(60):
        make_subscriber(f"reader{n}@example.org")
    delivery.release_went_live(release)
    start = threading.Barrier(3)
    results = []

    def worker():
        start.wait()
        try:
            results.append(delivery.send_due(batch_size=7))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(results) == 60
    assert sorted(r for m in smtp.messages for r in m.recipients) == sorted(
        f"reader{n}@example.org" for n in range(60)
    )
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 60


def test_a_hard_bounce_fails_the_delivery_and_repeated_ones_suspend_the_address(
    profile, smtp, settings
):
    settings.SUBSCRIBER_BOUNCE_LIMIT = 2
    subscriber = make_subscriber("bounce@example.org")
    make_subscriber("fine@example.org")
    first, second = make_release("First"), make_release("Second")

    delivery.release_went_live(first)
    delivery.send_due()
    failed = Delivery.objects.get(subscriber=subscriber, release=first)
    assert failed.status == DeliveryStatus.FAILED
    assert "550" in failed.error
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.hard_bounces) == ("confirmed", 1)

    delivery.release_went_live(second)
    delivery.send_due()
    subscriber.refresh_from_db()
    assert subscriber.status == "suspended"
    assert len(smtp.to("fine@example.org")) == 2
    third = make_release("Third")
    delivery.release_went_live(third)
    assert not Delivery.objects.filter(subscriber=subscriber, release=third).exists()


def test_a_temporary_failure_is_retried_later_with_growing_delays(profile, smtp):
    make_subscriber("later@example.org")
    release = make_release()
    delivery.release_went_live(release)

    before = timezone.now()
    delivery.send_due()
    row = Delivery.objects.get()
    assert (row.status, row.attempts) == (DeliveryStatus.QUEUED, 1)
    assert row.next_attempt_at >= before + datetime.timedelta(minutes=1)
    assert delivery.send_due() == 0  # not due yet

    Delivery.objects.update(next_attempt_at=timezone.now())
    delivery.send_due()
    row.refresh_from_db()
    assert row.attempts == 2
    assert row.next_attempt_at >= timezone.now() + datetime.timedelta(minutes=1, seconds=50)

    Delivery.objects.update(attempts=delivery.MAX_ATTEMPTS - 1, next_attempt_at=timezone.now())
    delivery.send_due()
    row.refresh_from_db()
    assert row.status == DeliveryStatus.FAILED
    assert Subscriber.objects.get().status == "confirmed"  # not a bounce: the server was busy


def test_a_dead_workers_claimed_rows_are_queued_again(profile, smtp):
    make_subscriber()
    release = make_release()
    delivery.release_went_live(release)
    delivery.claim(10)
    assert delivery.send_due() == 0
    Delivery.objects.update(claimed_at=timezone.now() - datetime.timedelta(hours=1))
    assert delivery.requeue_stale() == 1
    assert delivery.send_due() == 1


def test_a_release_unpublished_before_sending_is_not_sent(profile, smtp):
    make_subscriber()
    release = make_release()
    delivery.release_went_live(release)
    release.status = Status.UNPUBLISHED
    release.save()
    assert delivery.send_due() == 0
    assert Delivery.objects.get().status == DeliveryStatus.CANCELLED
    assert smtp.messages == []


def test_an_unsubscribed_reader_gets_nothing_still_queued(profile, smtp):
    subscriber = make_subscriber()
    delivery.release_went_live(make_release())
    subscriber.unsubscribe()
    assert delivery.send_due() == 0
    assert smtp.messages == []


def test_publishing_without_email_and_editing_send_nothing(
    profile, smtp, editor, press_officer, django_capture_on_commit_callbacks
):
    from releases import tasks

    make_subscriber()
    release = make_release(status=Status.DRAFT)
    release.submit(by=press_officer)
    with django_capture_on_commit_callbacks(execute=True):
        release.publish(by=editor, notify=False)
    tasks.go_live(release.pk)
    release.title_en = "Edited"
    release.save()
    tasks.go_live(release.pk)
    delivery.send_due()
    assert not Delivery.objects.exists()
    assert smtp.messages == []


def test_a_correction_goes_once_to_those_who_received_the_release(profile, smtp):
    release = make_release("Handover", title_da="Overdragelse")
    got_it = make_subscriber("got@example.org", language="da")
    delivery.release_went_live(release)
    delivery.send_due()
    make_subscriber("later-joined@example.org")
    correction = Correction.objects.create(
        release=release,
        text_en="An earlier version gave the wrong date.",
        text_da="En tidligere version angav en forkert dato.",
        notify_subscribers=True,
    )

    assert delivery.correction_added(correction) == 1
    assert delivery.correction_added(correction) == 0
    delivery.send_due()

    messages = smtp.to("got@example.org")
    assert len(messages) == 2
    assert messages[1]["Subject"] == "Rettelse: Overdragelse"
    assert "En tidligere version angav en forkert dato." in text_part(messages[1])
    assert messages[1]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert smtp.to("later-joined@example.org") == []
    assert Delivery.objects.filter(subscriber=got_it).count() == 2


# Digests


def at_copenhagen(*args):
    return datetime.datetime(*args, tzinfo=COPENHAGEN)


def test_the_daily_digest_lists_the_periods_releases_in_one_email(profile, smtp, settings):
    settings.DIGEST_TIME = "07:00"
    subscriber = make_subscriber("daily@example.org", frequency=Frequency.DAILY, language="da")
    make_subscriber("now@example.org")
    first = make_release("First", title_da="Første")
    second = make_release("Second", title_da="Anden")
    delivery.release_went_live(first)
    delivery.release_went_live(second)
    Delivery.objects.filter(subscriber=subscriber).update(
        created_at=at_copenhagen(2026, 11, 20, 15, 0)
    )
    delivery.send_due()
    assert smtp.to("daily@example.org") == []  # not immediately

    assert digests.send_digests(Frequency.DAILY, now=at_copenhagen(2026, 11, 21, 6, 59)) == 0
    assert digests.send_digests(Frequency.DAILY, now=at_copenhagen(2026, 11, 21, 7, 1)) == 1
    assert digests.send_digests(Frequency.DAILY, now=at_copenhagen(2026, 11, 21, 7, 6)) == 0

    [digest] = smtp.to("daily@example.org")
    assert digest["Subject"] == ("Daglig oversigt: 2 nye nyheder fra Udenrigsministeriet")
    text = text_part(digest)
    assert "Første" in text and "Anden" in text
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert set(Delivery.objects.filter(subscriber=subscriber).values_list("status", flat=True)) == {
        DeliveryStatus.SENT
    }


def test_a_release_after_the_digest_time_waits_for_the_next_digest(profile, smtp):
    subscriber = make_subscriber(frequency=Frequency.DAILY)
    delivery.release_went_live(make_release())
    Delivery.objects.filter(subscriber=subscriber).update(
        created_at=at_copenhagen(2026, 11, 21, 7, 30)
    )
    assert digests.send_digests(Frequency.DAILY, now=at_copenhagen(2026, 11, 21, 9, 0)) == 0
    assert digests.send_digests(Frequency.DAILY, now=at_copenhagen(2026, 11, 22, 7, 0)) == 1


def test_there_is_never_an_empty_digest(profile, smtp):
    make_subscriber(frequency=Frequency.DAILY)
    release = make_release()
    delivery.release_went_live(release)
    Delivery.objects.update(created_at=at_copenhagen(2026, 11, 20, 12, 0))
    release.status = Status.UNPUBLISHED
    release.save()
    assert digests.send_digests(Frequency.DAILY, now=at_copenhagen(2026, 11, 21, 8, 0)) == 0
    assert digests.send_digests(Frequency.WEEKLY, now=at_copenhagen(2026, 11, 21, 8, 0)) == 0
    assert smtp.messages == []


def test_the_weekly_digest_goes_on_the_weekday_in_copenhagen_time(settings):
    settings.DIGEST_TIME, settings.DIGEST_WEEKDAY = "07:00", 0
    # Saturday 21 November 2026: the last weekly digest time was Monday 16th, 07:00 CET.
    boundary = digests.digest_boundary(Frequency.WEEKLY, at_copenhagen(2026, 11, 21, 12, 0))
    assert boundary == at_copenhagen(2026, 11, 16, 7, 0)
    # Across the change to summer time the digest stays at 07:00 local time.
    boundary = digests.digest_boundary(Frequency.DAILY, at_copenhagen(2026, 3, 29, 8, 0))
    assert boundary == at_copenhagen(2026, 3, 29, 7, 0)
    assert boundary.utcoffset() == datetime.timedelta(hours=2)


def test_changing_to_immediate_sends_what_waited_for_a_digest(client, profile, smtp):
    from subscriptions import tokens

    subscriber = make_subscriber(frequency=Frequency.WEEKLY)
    delivery.release_went_live(make_release())
    assert delivery.send_due() == 0
    client.post(
        reverse("subscriptions:manage", args=[tokens.make_token(subscriber, tokens.MANAGE)]),
        {"language": "en", "follow": "all", "frequency": Frequency.IMMEDIATELY},
    )
    assert delivery.send_due() == 1


# Retention


def test_retention_deletes_unconfirmed_left_and_old_records_only(profile, settings):
    settings.DELIVERY_RETENTION_DAYS = 30
    now = timezone.now()
    day = datetime.timedelta(days=1)
    make_subscriber("fresh@example.org", status="pending", consented_at=now - 6 * day)
    make_subscriber("stale@example.org", status="pending", consented_at=now - 8 * day)
    make_subscriber("left-lately@example.org", status="unsubscribed", left_at=now - 27 * day)
    make_subscriber("left-long-ago@example.org", status="unsubscribed", left_at=now - 29 * day)
    reader = make_subscriber("reader@example.org")
    old, recent = make_release("Old"), make_release("Recent")
    Delivery.objects.create(
        subscriber=reader,
        release=old,
        frequency="immediately",
        status=DeliveryStatus.SENT,
        created_at=now - 31 * day,
    )
    Delivery.objects.create(
        subscriber=reader,
        release=recent,
        frequency="immediately",
        status=DeliveryStatus.SENT,
        created_at=now - 29 * day,
    )

    retention.prune()

    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "fresh@example.org",
        "left-lately@example.org",
        "reader@example.org",
    ]
    assert list(Delivery.objects.values_list("release__title_en", flat=True)) == ["Recent"]


# Admin


def test_the_delivery_report_shows_counts_per_release_and_subscribers_by_choice(
    client, profile, smtp, nmi, security, editor
):
    sign_in(client, editor)
    release = make_release("Handover")
    release.missions.add(nmi)
    make_subscriber("a@example.org", language="da", all_releases=False, missions=[nmi])
    make_subscriber("bounce@example.org")
    make_subscriber("later@example.org", frequency=Frequency.IMMEDIATELY)
    delivery.release_went_live(release)
    delivery.send_due()

    response = client.get(reverse("admin:subscriptions_deliveryreport_changelist"))

    assertContains(response, "3 confirmed subscribers (2 follow all releases)")
    assertContains(response, '<td class="field-queued">1</td>', html=True)
    assertContains(response, '<td class="field-sent">1</td>', html=True)
    assertContains(response, '<td class="field-failed">1</td>', html=True)
    assertNotContains(response, "a@example.org")  # counts only, no addresses


def test_viewing_and_exporting_addresses_need_their_own_permissions(client, profile):
    make_subscriber("private@example.org")
    staff = get_user_model().objects.create_user("stan", password="x" * 20, is_staff=True)
    sign_in(client, staff)
    url = reverse("admin:subscriptions_subscriber_changelist")
    assert client.get(url).status_code == 403

    staff.user_permissions.add(Permission.objects.get(codename="view_subscriber"))
    staff = type(staff).objects.get(pk=staff.pk)
    sign_in(client, staff)
    page = client.get(url).content.decode()
    assert "private@example.org" in page
    assert "export_csv" not in page

    staff.user_permissions.add(Permission.objects.get(codename="export_subscriber"))
    sign_in(client, type(staff).objects.get(pk=staff.pk))
    response = client.post(
        url,
        {
            "action": "export_csv",
            "_selected_action": list(Subscriber.objects.values_list("pk", flat=True)),
        },
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "private@example.org" in response.content.decode()


def test_the_sending_rate_is_configurable(profile, smtp, settings):
    settings.EMAIL_SEND_RATE = 20
    for n in range(6):
        make_subscriber(f"r{n}@example.org")
    delivery.release_went_live(make_release())
    started = timezone.now()
    delivery.send_due()
    assert timezone.now() - started >= datetime.timedelta(seconds=0.24)
    assert len(smtp.messages) == 6


def test_release_emails_are_prepared_once_per_language_and_sent_as_bytes(profile, smtp):
    from subscriptions import emails

    release = make_release("Handover", title_da="Overdragelse")
    english = make_subscriber("en@example.org")
    context = {**emails.release_context(release, "en"), **emails.Personal.context()}
    prepared = emails.Prepared(emails.render("release", context, language="en"))
    assert prepared.ok
    from_address, to, data = prepared.raw(english, emails.subscriber_links(english))
    assert to == "en@example.org"
    assert b"\x1a" not in data and b"\x1b" not in data
    assert b"You get this email because en@example.org subscribed" in data


def test_without_smtp_the_release_email_is_built_the_ordinary_way(profile, settings):
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_subscriber("da@example.org", language="da")
    delivery.release_went_live(make_release("Handover", title_da="Overdragelse"))
    assert delivery.send_due() == 1
    [message] = mail.outbox
    assert message.subject == "Overdragelse"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Du får denne e-mail, fordi da@example.org abonnerer" in message.body
    assert "Du følger: Alle nyheder." in message.alternatives[0][0]


def test_the_worker_runs_the_sweep_digests_and_retention_on_a_schedule(profile, smtp):
    from procrastinate.contrib.django import app

    from subscriptions import tasks

    schedules = {
        task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()
    }
    assert schedules["subscriptions.sweep"] == "* * * * *"
    assert schedules["subscriptions.digests"] == "*/5 * * * *"
    assert schedules["subscriptions.retention"] == "17 3 * * *"

    make_subscriber()
    delivery.release_went_live(make_release())
    delivery.claim(10)
    Delivery.objects.update(claimed_at=timezone.now() - datetime.timedelta(hours=1))
    tasks.sweep(timestamp=0)  # requeues the dead worker's row and queues a sending job
    tasks.send_deliveries()
    assert len(smtp.messages) == 1
    tasks.digests(timestamp=0)
    tasks.retention(timestamp=0)
    assert Delivery.objects.get().status == DeliveryStatus.SENT
