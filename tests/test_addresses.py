"""Web addresses: Danish letters transliterated, clashes answered with a free address."""

import pytest
from django.urls import reverse
from django.utils import translation

from core.addresses import slugify_title
from missions.models import Mission, Organisation
from releases.models import Release, Status, Topic
from tests.conftest import form_data, make_release, sign_in
from tests.test_one_language import _inline_management


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Særlig udsending til Mellemøsten", "saerlig-udsending-til-mellemoesten"),
        ("Ærø og Åbenrå", "aeroe-og-aabenraa"),
        ("Café in Zürich, Kraków and Łódź", "cafe-in-zurich-krakow-and-lodz"),
        ("Straße – “quoted” & more!", "strasse-quoted-more"),
        ("The officer's draft, Denmark’s mission", "the-officers-draft-denmarks-mission"),
        ("  ", ""),
    ],
)
def test_titles_are_transliterated_into_addresses(title, slug):
    assert slugify_title(title) == slug


def test_a_long_title_is_cut_at_the_limit_without_a_trailing_hyphen():
    assert slugify_title("ab " * 10, max_length=8) == "ab-ab-ab"


def release_form(**fields):
    return {
        "kind": "press-release",
        **_inline_management("quotes", 0),
        **_inline_management("release_contacts", 0),
        **_inline_management("images", 0),
        **_inline_management("documents", 0),
        **fields,
    }


def test_a_danish_title_gets_an_address_with_its_letters(client, press_officer):
    sign_in(client, press_officer)
    response = client.post(
        reverse("admin:releases_release_add"),
        release_form(title_da="Særlig udsending til Mellemøsten"),
    )
    assert response.status_code == 302
    assert Release.objects.get().slug_da == "saerlig-udsending-til-mellemoesten"


def test_a_repeated_title_is_offered_a_free_address_with_a_readable_message(client, press_officer):
    make_release("Denmark hands over command", slug_en="denmark-hands-over-command")
    make_release("Denmark hands over command", slug_en="denmark-hands-over-command-2")
    sign_in(client, press_officer)
    url = reverse("admin:releases_release_add")
    refused = client.post(url, release_form(title_en="Denmark hands over command"))
    assert refused.status_code == 200
    page = refused.content.decode()
    assert (
        "The address “denmark-hands-over-command” is already used by “Denmark hands over "
        "command”. “denmark-hands-over-command-3” is free and has been filled in: save "
        "again to use it, or write another."
    ) in page.replace("&quot;", '"')
    assert "is violated" not in page
    again = form_data(refused)
    assert again["slug_en"] == "denmark-hands-over-command-3"
    assert again["title_en"] == "Denmark hands over command"
    assert client.post(url, again).status_code == 302
    assert Release.objects.filter(slug_en="denmark-hands-over-command-3").exists()


def test_a_slug_written_by_hand_that_is_taken_is_refused_in_danish(client, press_officer):
    make_release("Old", title_da="Gammel", slug_da="nyt-fra-irak")
    sign_in(client, press_officer)
    response = client.post(
        reverse("admin:releases_release_add"),
        release_form(title_da="Nyt fra Irak", slug_da="nyt-fra-irak"),
        HTTP_ACCEPT_LANGUAGE="da",
    )
    page = response.content.decode().replace("&quot;", '"')
    assert "Adressen “nyt-fra-irak” bruges allerede af “" in page
    assert "“nyt-fra-irak-2” er ledig og er udfyldt" in page


def test_the_address_is_shown_and_editable_until_publication(client, press_officer, editor):
    release = make_release("Draft", status=Status.DRAFT, slug_en="draft")
    sign_in(client, press_officer)
    url = reverse("admin:releases_release_change", args=[release.pk])
    data = form_data(client.get(url))
    assert data["slug_en"] == "draft"
    data["slug_en"] = "a-better-address"
    assert client.post(url, data).status_code == 302
    release.refresh_from_db()
    assert release.slug_en == "a-better-address"
    release.submit(by=press_officer)
    release.publish(by=editor)
    sign_in(client, editor)
    assert "slug_en" not in form_data(client.get(url))


def test_topics_and_missions_get_transliterated_addresses_and_readable_clashes(client, editor):
    sign_in(client, editor)
    response = client.post(
        reverse("admin:releases_topic_add"), {"name_da": "Sikkerhed på Færøerne"}
    )
    assert response.status_code == 302
    assert Topic.objects.get().slug_da == "sikkerhed-paa-faeroeerne"

    organisation = Organisation.objects.create(name_en="NATO")
    Mission.objects.create(name_en="Mission Irak", slug="mission-irak", organisation=organisation)
    data = {
        "name_da": "Mission Irak",
        "organisation": str(organisation.pk),
        "established_precision": "day",
        "ended_precision": "day",
        **_inline_management("legal_bases", 0),
        **_inline_management("command_periods", 0),
        **_inline_management("participations", 0),
        **_inline_management("contributions", 0),
    }
    refused = client.post(reverse("admin:missions_mission_add"), data)
    assert "“mission-irak-2” is free" in refused.content.decode().replace("&quot;", '"')
