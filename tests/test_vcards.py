"""Press contacts journalists can use: a vCard per contact and per release, the duty desk first."""

import datetime

import pytest
import vobject
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.asserts import assertContains

from releases import vcard
from releases.models import PressContact, ReleaseContact, Status
from tests.conftest import make_release

pytestmark = pytest.mark.usefixtures("cache_table")


@pytest.fixture
def adviser(db):
    return PressContact.objects.create(
        name_en="Anna Berg Holm",
        title_en="Press adviser",
        title_da="Presserådgiver",
        organisation_en="Ministry of Foreign Affairs",
        organisation_da="Udenrigsministeriet",
        phone="+45 33 92 00 00",
        email="anna@um.dk",
    )


@pytest.fixture
def desk(db):
    return PressContact.objects.create(
        name_en="Press duty", name_da="Pressevagten", phone="+45 33 92 11 11", is_duty_desk=True
    )


@pytest.fixture
def release(profile, adviser, desk):
    release = make_release("Handover", title_da="Overdragelse")
    # The editor put the adviser first; the duty desk still comes first for readers.
    ReleaseContact.objects.create(release=release, contact=adviser, order=0)
    ReleaseContact.objects.create(release=release, contact=desk, order=1)
    return release


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    text = response.content.decode()
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    return list(vobject.readComponents(text))


def test_a_contacts_file_is_named_with_every_letter_of_the_name(client, db, profile):
    contact = PressContact.objects.create(name="Søren Lund", email="sl@example.org")
    response = client.get(reverse("releases:contact-vcard", args=[contact.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="soeren-lund.vcf"'


def test_a_contacts_vcard_parses_with_name_role_phone_and_email(client, adviser):
    [card] = parse(client.get(reverse("releases:contact-vcard", args=[adviser.pk])))
    assert card.fn.value == "Anna Berg Holm"
    assert (card.n.value.family, card.n.value.given) == ("Holm", "Anna Berg")
    assert card.title.value == "Press adviser"
    assert card.org.value == ["Ministry of Foreign Affairs"]
    assert card.tel.value == "+45 33 92 00 00"
    assert card.email.value == "anna@um.dk"


def test_the_danish_vcard_has_the_danish_texts(client, adviser):
    with translation.override("da"):
        url = reverse("releases:contact-vcard", args=[adviser.pk])
    assert url == f"/da/nyheder/kontakter/{adviser.pk}.vcf"
    [card] = parse(client.get(url))
    assert (card.title.value, card.org.value) == ("Presserådgiver", ["Udenrigsministeriet"])


def test_a_releases_vcard_holds_all_its_contacts_the_duty_desk_first(client, release):
    cards = parse(client.get(reverse("releases:contacts-vcard", args=[release.slug_en])))
    assert [card.fn.value for card in cards] == ["Press duty", "Anna Berg Holm"]
    assert "around the clock" in cards[0].note.value


def test_the_duty_desk_comes_first_on_the_release_page_and_in_the_api(client, release):
    page = client.get(f"/en/releases/{release.slug_en}/").content.decode()
    assert page.index("Press duty") < page.index("Anna Berg Holm")
    assertContains(
        client.get(f"/en/releases/{release.slug_en}/"),
        f'<a href="/en/releases/{release.slug_en}/contacts.vcf" type="text/vcard">'
        "All press contacts of this release for your address book (vCard)</a>",
        html=True,
    )
    record = client.get(reverse("opendata:release", kwargs={"pk": release.pk})).json()
    assert [c["name_en"] for c in record["contacts"]] == ["Press duty", "Anna Berg Holm"]


def test_the_contact_list_offers_each_contacts_vcard(client, adviser, desk):
    page = client.get("/en/releases/contacts/")
    text = page.content.decode()
    assert text.index("Press duty") < text.index("Anna Berg Holm")
    assertContains(page, f'href="/en/releases/contacts/{adviser.pk}.vcf"')


def test_texts_with_commas_semicolons_line_breaks_and_long_names_survive(client, db):
    contact = PressContact.objects.create(
        name_en=" ".join(["Søren Kierkegaard-Østergaard Æblegrød"] * 3),
        title_en="Head of press; acting, for now\r\nand later",
        organisation_en="Ministry, Department; Unit\\Desk",
    )
    [card] = parse(client.get(reverse("releases:contact-vcard", args=[contact.pk])))
    assert card.fn.value == contact.name_en
    assert card.title.value == "Head of press; acting, for now\nand later"
    assert card.org.value == ["Ministry, Department; Unit\\Desk"]
    text = vcard.card(contact)
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_unpublished_releases_and_unknown_contacts_have_no_vcard(client, adviser):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    for release in (
        make_release("Draft", status=Status.DRAFT),
        make_release("Embargoed", status=Status.SCHEDULED, published_at=tomorrow),
    ):
        ReleaseContact.objects.create(release=release, contact=adviser)
        assert client.get(f"/en/releases/{release.slug_en}/contacts.vcf").status_code == 404
    assert client.get("/en/releases/contacts/999999.vcf").status_code == 404
    no_contacts = make_release("No contacts")
    assert client.get(f"/en/releases/{no_contacts.slug_en}/contacts.vcf").status_code == 404
