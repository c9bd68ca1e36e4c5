"""Sign-up, double opt-in, links, preferences and leaving: the subscriber's side."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from missions.models import Mission, Organisation
from releases.models import ReleaseKind, Topic
from subscriptions import tokens
from subscriptions.models import CONSENT_VERSION, Frequency, Subscriber, SubscriberStatus
from tests.conftest import link_in, make_subscriber, path_of, run_queued_jobs, settings_pages_table

pytestmark = pytest.mark.usefixtures("cache_table")


def sign_up_data(email="reader@example.org", **fields):
    return {
        "email": email,
        "language": "en",
        "follow": "all",
        "frequency": Frequency.IMMEDIATELY,
        "website": "",
        **fields,
    }


# Signing up


def test_sign_up_stores_choices_and_consent_and_sends_a_confirmation(client, profile):
    nato = Organisation.objects.create(acronym="NATO", name_en="NATO")
    mission = Mission.objects.create(slug="nmi", name_en="NMI", organisation=nato)
    topic = Topic.objects.create(name_en="Security", slug_en="security", slug_da="sikkerhed")

    response = client.post(
        reverse("subscriptions:subscribe"),
        sign_up_data(
            email=" Reader@Example.org ",
            language="da",
            follow="chosen",
            kinds=[ReleaseKind.SPEECH],
            topics=[topic.pk],
            missions=[mission.pk],
            frequency=Frequency.WEEKLY,
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("subscriptions:check-inbox")
    assert run_queued_jobs() == 1
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "Reader@Example.org"
    assert subscriber.status == SubscriberStatus.PENDING
    assert (subscriber.language, subscriber.frequency) == ("da", Frequency.WEEKLY)
    assert subscriber.all_releases is False
    assert subscriber.kinds == [ReleaseKind.SPEECH]
    assert list(subscriber.topics.all()) == [topic]
    assert list(subscriber.missions.all()) == [mission]
    assert subscriber.consent_version == CONSENT_VERSION
    assert subscriber.consented_at is not None
    [message] = mail.outbox
    assert message.to == ["Reader@Example.org"]
    assert message.subject == "Bekræft dit abonnement på nyheder fra Udenrigsministeriet"
    assert "/da/" in link_in(message.body, "confirm")
    assert message.alternatives[0][1] == "text/html"


@pytest.mark.parametrize(
    ("language", "heading", "subject", "sender"),
    [
        (
            "da",
            "Abonnér på nyheder fra Udenrigsministeriet",
            "Bekræft dit abonnement på nyheder fra Udenrigsministeriet",
            "Udenrigsministeriet <press@example.org>",
        ),
        (
            "en",
            "Subscribe to releases from the Ministry of Foreign Affairs of Denmark",
            "Confirm your subscription to releases from the Ministry of Foreign Affairs of Denmark",
            "The Ministry of Foreign Affairs of Denmark <press@example.org>",
        ),
    ],
)
def test_sentences_and_the_sender_use_the_organisations_name_not_the_page_title(
    client, profile, settings, language, heading, subject, sender
):
    settings.DEFAULT_FROM_EMAIL = "Pressroom <press@example.org>"
    with translation.override(language):
        page = client.get(reverse("subscriptions:subscribe"))
        title = profile.title
    assert f"<h1>{heading}</h1>" in page.content.decode()

    client.post(reverse("subscriptions:subscribe"), sign_up_data(language=language))
    run_queued_jobs()

    [message] = mail.outbox
    assert (message.subject, message.from_email) == (subject, sender)
    html = message.alternatives[0][0]
    assert f">{title}</p>" in html
    assert "fra Nyheder fra" not in message.body + html
    assert "from News from" not in message.body + html


def test_the_answer_is_the_same_for_new_and_known_addresses(client, profile):
    make_subscriber("known@example.org")
    known = client.post(reverse("subscriptions:subscribe"), sign_up_data("known@example.org"))
    new = client.post(reverse("subscriptions:subscribe"), sign_up_data("new@example.org"))

    assert (known.status_code, known["Location"]) == (new.status_code, new["Location"])
    assert run_queued_jobs() == 2
    # The owner of the known address learns it is already subscribed; nobody else does.
    known_mail, new_mail = mail.outbox
    assert known_mail.to == ["known@example.org"]
    assert "/manage/" in link_in(known_mail.body, "manage")
    assert new_mail.to == ["new@example.org"]
    assert Subscriber.objects.get(email="known@example.org").status == "confirmed"


def test_a_sign_up_cannot_change_a_confirmed_subscribers_choices(client, profile):
    make_subscriber("known@example.org", frequency=Frequency.IMMEDIATELY)
    client.post(
        reverse("subscriptions:subscribe"),
        sign_up_data("known@example.org", frequency=Frequency.WEEKLY, language="da"),
    )
    run_queued_jobs()
    subscriber = Subscriber.objects.get()
    assert (subscriber.frequency, subscriber.language) == (Frequency.IMMEDIATELY, "en")


def test_chosen_without_any_choice_is_refused_with_the_error_on_the_field(client, profile):
    response = client.post(reverse("subscriptions:subscribe"), sign_up_data(follow="chosen"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose at least one type, topic or mission, or all releases." in html
    assert 'id="id_follow-error"' in html
    assert 'aria-describedby="id_follow-error"' in html
    assert not Subscriber.objects.exists()


def test_boxes_ticked_with_all_releases_are_refused_not_dropped(client, profile):
    """All releases keeps no choices: a topic ticked with it is not thrown away unsaid."""
    topic = Topic.objects.create(name_en="Ukraine", name_da="Ukraine", slug_en="ukraine")
    for language, message in (
        ("en", "You ticked types, topics or missions, but chose all releases."),
        ("da", "Du har sat flueben ved typer, emner eller missioner, men valgt alle nyheder."),
    ):
        with translation.override(language):
            url = reverse("subscriptions:subscribe")
        response = client.post(url, sign_up_data(topics=[topic.pk], kinds=[ReleaseKind.SPEECH]))

        assert response.status_code == 200
        html = response.content.decode()
        assert message in html
        assert 'aria-describedby="id_follow-error"' in html
        # What was typed and ticked is still there to correct.
        form = response.context["form"]
        assert form["email"].value() == "reader@example.org"
        assert [str(pk) for pk in form["topics"].value()] == [str(topic.pk)]
        assert form["kinds"].value() == [ReleaseKind.SPEECH]
    assert run_queued_jobs() == 0
    assert not Subscriber.objects.exists()


def test_a_filled_in_honeypot_stores_and_sends_nothing_but_answers_the_same(client, profile):
    response = client.post(
        reverse("subscriptions:subscribe"), sign_up_data(website="http://spam.example")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("subscriptions:check-inbox")
    assert run_queued_jobs() == 0
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


def test_sign_ups_per_address_are_limited_silently(client, profile, settings):
    settings.SUBSCRIBE_LIMIT_PER_ADDRESS = 2
    for _ in range(4):
        response = client.post(reverse("subscriptions:subscribe"), sign_up_data())
        assert response.status_code == 302
    run_queued_jobs()
    assert len(mail.outbox) == 2


def test_sign_ups_per_client_are_limited_across_processes(profile, settings):
    settings.SUBSCRIBE_LIMIT_PER_CLIENT = 3
    # Two clients stand for two web processes: the count is in the shared database cache.
    first, second = Client(), Client()
    statuses = [
        (first if n % 2 else second)
        .post(reverse("subscriptions:subscribe"), sign_up_data(f"r{n}@example.org"))
        .status_code
        for n in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    run_queued_jobs()
    assert len(mail.outbox) == 3
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post(reverse("subscriptions:subscribe"), sign_up_data()).status_code == 302


def test_a_sign_up_past_the_limit_comes_back_with_everything_the_reader_sent(profile, settings):
    settings.SUBSCRIBE_LIMIT_PER_CLIENT = 1
    topic = Topic.objects.create(name_en="Arctic", name_da="Arktis", slug_en="arc", slug_da="ark")
    client = Client()
    client.post(reverse("subscriptions:subscribe"), sign_up_data("first@example.org"))
    with translation.override("da"):
        url = reverse("subscriptions:subscribe")
    sent = sign_up_data(
        "second@example.org",
        language="da",
        follow="chosen",
        topics=[topic.pk],
        frequency=Frequency.WEEKLY,
    )
    response = client.post(url, sent)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Vi har modtaget mange tilmeldinger fra din forbindelse" in page
    assert "Det, du har skrevet og valgt, står stadig nedenfor." in page
    assert 'value="second@example.org"' in page
    for name, value in (("topics", topic.pk), ("follow", "chosen"), ("frequency", "weekly")):
        assert re.search(rf'<input[^>]*name="{name}" value="{value}"[^>]*checked', page), name
    assert re.search(r'<option value="da" selected>|<input[^>]*value="da"[^>]*checked', page)
    run_queued_jobs()
    assert [message.to for message in mail.outbox] == [["first@example.org"]]
    again = client.post(reverse("subscriptions:send-link"), {"email": "me@example.org"})
    assert again.status_code == 429
    assert 'value="me@example.org"' in again.content.decode()


def test_the_sign_up_form_is_on_the_home_and_mission_pages_with_the_mission_chosen(client, profile):
    nato = Organisation.objects.create(acronym="NATO", name_en="NATO")
    mission = Mission.objects.create(slug="nmi", name_en="NMI", organisation=nato)

    home = client.get(reverse("home")).content.decode()
    assert 'action="/en/subscriptions/"' in home
    assert '<h2 id="subscribe-box">' in home
    page = client.get(mission.get_absolute_url()).content.decode()
    checked = re.search(rf'<input[^>]*value="{mission.pk}"[^>]*>', page).group(0)
    assert "checked" in checked
    assert re.search(r'<input[^>]*value="chosen"[^>]*checked', page)


def test_the_home_page_query_count_does_not_grow_with_topics_and_missions(client, profile):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core import caching
    from subscriptions.templatetags.subscriptions import forget_rendered_forms

    def rendered_afresh():
        """The page's own queries when it and its sign-up form are rendered again, the form's
        choices read again. Not the page store's: it counts its table once every hundred
        writes of a process, whichever page makes that write (``core/cache_backends.py``)."""
        caching.clear()
        caching.store().clear()
        forget_rendered_forms()
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("home"))
        table = settings_pages_table()
        return [q["sql"] for q in captured.captured_queries if table not in q["sql"]]

    client.get(reverse("home"))
    few = rendered_afresh()
    assert len(few) <= 12, "\n".join(few)
    nato = Organisation.objects.create(acronym="NATO", name_en="NATO")
    for n in range(20):
        Topic.objects.create(name_en=f"Topic {n}", slug_en=f"t{n}", slug_da=f"e{n}")
        Mission.objects.create(slug=f"m{n}", name_en=f"Mission {n}", organisation=nato)
    more = rendered_afresh()
    assert len(more) <= len(few), "\n".join(more)


# Confirming


def confirm_url(subscriber):
    return reverse("subscriptions:confirm", args=[tokens.make_token(subscriber, tokens.CONFIRM)])


def test_opening_the_confirmation_link_only_shows_a_button(client, profile):
    subscriber = make_subscriber(status=SubscriberStatus.PENDING)
    response = client.get(confirm_url(subscriber))
    assert response.status_code == 200
    assert "Confirm my subscription" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING


def test_the_button_confirms(client, profile):
    subscriber = make_subscriber(status=SubscriberStatus.PENDING)
    response = client.post(confirm_url(subscriber), follow=True)
    assert response.status_code == 200
    assert "Your subscription is confirmed" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED
    assert subscriber.confirmed_at is not None


def test_a_used_confirmation_link_gets_a_friendly_page_with_a_way_back(client, profile):
    subscriber = make_subscriber(status=SubscriberStatus.PENDING)
    url = confirm_url(subscriber)
    client.post(url)
    response = client.get(url)
    assert response.status_code == 410
    html = response.content.decode()
    assert "The link has already been used." in html
    assert reverse("subscriptions:send-link") in html


def test_an_expired_confirmation_link_gets_a_friendly_page(client, profile, time_machine):
    subscriber = make_subscriber(status=SubscriberStatus.PENDING)
    url = confirm_url(subscriber)
    time_machine.move_to(timezone.now() + datetime.timedelta(days=8))
    response = client.post(url)
    assert response.status_code == 410
    assert "The link has expired" in response.content.decode()
    assert reverse("subscriptions:subscribe") in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING


def test_a_confirmation_link_is_valid_for_seven_days(client, profile, time_machine):
    subscriber = make_subscriber(status=SubscriberStatus.PENDING)
    url = confirm_url(subscriber)
    time_machine.move_to(timezone.now() + datetime.timedelta(days=7, minutes=-1))
    client.post(url)
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "x" + token,
        lambda token: "not-a-token",
    ],
)
def test_a_tampered_link_is_refused(client, profile, mangle):
    subscriber = make_subscriber(status=SubscriberStatus.PENDING)
    token = mangle(tokens.make_token(subscriber, tokens.CONFIRM))
    response = client.post(reverse("subscriptions:confirm", args=[token]))
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING


def test_a_manage_token_cannot_be_used_to_confirm(client, profile):
    subscriber = make_subscriber(status=SubscriberStatus.PENDING)
    token = tokens.make_token(subscriber, tokens.MANAGE)
    response = client.post(reverse("subscriptions:confirm", args=[token]))
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING
    assert subscriber.confirmed_at is None


# Managing and leaving


def manage_token(subscriber):
    return tokens.make_token(subscriber, tokens.MANAGE)


def test_the_preferences_page_changes_language_choices_and_frequency(client, profile):
    subscriber = make_subscriber()
    topic = Topic.objects.create(name_en="Security", slug_en="security", slug_da="sikkerhed")
    url = reverse("subscriptions:manage", args=[manage_token(subscriber)])
    assert "Save my choices" in client.get(url).content.decode()

    response = client.post(
        url,
        {"language": "da", "follow": "chosen", "topics": [topic.pk], "frequency": "daily"},
        follow=True,
    )

    assert "Your choices are saved." in response.content.decode()
    subscriber.refresh_from_db()
    assert (subscriber.language, subscriber.frequency) == ("da", "daily")
    assert subscriber.all_releases is False
    assert list(subscriber.topics.all()) == [topic]


def test_moving_to_all_releases_with_the_old_boxes_still_ticked_is_saved(client, profile):
    """Preferences: the boxes the subscriber had are not a new choice; a new tick is."""
    topic = Topic.objects.create(name_en="Security", slug_en="security", slug_da="sikkerhed")
    other = Topic.objects.create(name_en="Arctic", slug_en="arctic", slug_da="arktis")
    subscriber = make_subscriber(all_releases=False, topics=[topic], frequency=Frequency.DAILY)
    url = reverse("subscriptions:manage", args=[manage_token(subscriber)])
    data = {"language": "en", "follow": "all", "frequency": "daily"}

    refused = client.post(url, {**data, "topics": [topic.pk, other.pk]})
    assert (
        "You ticked types, topics or missions, but chose all releases." in refused.content.decode()
    )
    subscriber.refresh_from_db()
    assert (subscriber.all_releases, list(subscriber.topics.all())) == (False, [topic])

    response = client.post(url, {**data, "topics": [topic.pk]}, follow=True)
    assert "Your choices are saved." in response.content.decode()
    subscriber.refresh_from_db()
    assert (subscriber.all_releases, list(subscriber.topics.all())) == (True, [])


def test_one_click_unsubscribe_works_without_session_or_csrf_and_twice(profile):
    subscriber = make_subscriber()
    client = Client(enforce_csrf_checks=True)
    url = reverse("subscriptions:unsubscribe", args=[manage_token(subscriber)])

    first = client.post(url, {"List-Unsubscribe": "One-Click"})
    second = client.post(url, {"List-Unsubscribe": "One-Click"})

    assert first.status_code == second.status_code == 200
    assert "You have unsubscribed" in second.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert subscriber.left_at is not None


def test_opening_the_unsubscribe_link_does_not_unsubscribe(client, profile):
    subscriber = make_subscriber()
    response = client.get(reverse("subscriptions:unsubscribe", args=[manage_token(subscriber)]))
    assert "Unsubscribe from everything" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED


def test_erase_my_data_deletes_the_subscriber(client, profile):
    subscriber = make_subscriber()
    response = client.post(reverse("subscriptions:erase", args=[manage_token(subscriber)]))
    assert "Your data has been erased" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_an_address_that_left_can_subscribe_again_with_a_new_confirmation(client, profile):
    subscriber = make_subscriber()
    old_link = reverse("subscriptions:manage", args=[manage_token(subscriber)])
    subscriber.unsubscribe()

    client.post(reverse("subscriptions:subscribe"), sign_up_data(subscriber.email))
    run_queued_jobs()

    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING
    [message] = mail.outbox
    client.post(path_of(link_in(message.body, "confirm")))
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED
    # Links from before leaving no longer work.
    response = client.get(old_link)
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()


def test_send_me_my_link_answers_the_same_and_emails_only_known_addresses(client, profile):
    make_subscriber("known@example.org")
    known = client.post(reverse("subscriptions:send-link"), {"email": "KNOWN@example.org"})
    unknown = client.post(reverse("subscriptions:send-link"), {"email": "who@example.org"})
    assert known["Location"] == unknown["Location"] == reverse("subscriptions:check-inbox")
    assert run_queued_jobs() == 2  # queued for both alike
    [message] = mail.outbox
    assert message.to == ["known@example.org"]
    response = client.get(path_of(link_in(message.body, "manage")))
    assert "Save my choices" in response.content.decode()


@pytest.mark.parametrize("language", ["en", "da"])
def test_every_subscription_page_has_one_h1_in_its_language(client, profile, language):
    subscriber = make_subscriber(status=SubscriberStatus.PENDING)
    token = manage_token(subscriber)
    with translation.override(language):
        urls = [
            reverse("subscriptions:subscribe"),
            reverse("subscriptions:check-inbox"),
            reverse("subscriptions:send-link"),
            confirm_url(subscriber),
            reverse("subscriptions:unsubscribe", args=[token]),
            reverse("subscriptions:confirm", args=["bad"]),
        ]
    for url in urls:
        response = client.get(url)
        html = response.content.decode()
        assert html.count("<h1") == 1, url
        assert f'<html lang="{language}">' in html, url
