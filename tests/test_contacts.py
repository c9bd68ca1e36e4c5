"""Press contacts: names and roles in both languages, phone numbers checked and international."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

from core.phones import international
from releases.models import PressContact
from tests.conftest import sign_in


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def contact_form(**fields):
    return {"name_en": "Press duty", "phone": "", "email": "", **fields}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("61979247", "+45 61 97 92 47"),
        ("+4561979247", "+45 61 97 92 47"),
        ("0045 61 97 92 47", "+45 61 97 92 47"),
        ("+44 20 7946 0958", "+44 20 7946 0958"),
        ("", ""),
    ],
)
def test_a_phone_number_is_stored_in_international_form(client, editor, typed, stored):
    sign_in(client, editor)
    response = client.post(reverse("admin:releases_presscontact_add"), contact_form(phone=typed))
    assert response.status_code == 302
    assert PressContact.objects.get().phone == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "not a phone",
            "“not a phone” is not a phone number. Write it with its country code, such as "
            "+45 61 97 92 47.",
        ),
        (
            "+45 123",
            "“+45 123” is not a valid phone number. Check the digits and the country code.",
        ),
    ],
)
def test_what_is_not_a_phone_number_is_refused_with_a_message(client, editor, typed, message):
    sign_in(client, editor)
    response = client.post(reverse("admin:releases_presscontact_add"), contact_form(phone=typed))
    assert message in response.content.decode().replace("&quot;", '"')
    assert f'value="{typed}"' in response.content.decode()
    assert PressContact.objects.count() == 0


def test_the_phone_refusal_is_in_danish_for_a_danish_editor(client, editor):
    sign_in(client, editor)
    response = client.post(
        reverse("admin:releases_presscontact_add"),
        contact_form(phone="not a phone"),
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert "“not a phone” er ikke et telefonnummer." in response.content.decode().replace(
        "&quot;", '"'
    )


def test_an_email_address_is_checked(client, editor):
    sign_in(client, editor)
    response = client.post(
        reverse("admin:releases_presscontact_add"), contact_form(email="presse at um.dk")
    )
    assert "Enter a valid email address." in response.content.decode()
    assert PressContact.objects.count() == 0


def test_the_model_refuses_an_invalid_phone_however_it_is_saved(db):
    with pytest.raises(ValidationError):
        PressContact(name_en="Desk", phone="not a phone").full_clean()
    assert international("33 92 00 00") == "+45 33 92 00 00"


def test_the_danish_contacts_page_shows_danish_names_and_roles(client, db):
    PressContact.objects.create(
        name_en="Press duty",
        name_da="Pressevagten",
        title_en="Press adviser",
        title_da="Presserådgiver",
        organisation_en="Ministry of Foreign Affairs",
        organisation_da="Udenrigsministeriet",
        phone="+45 61 97 92 47",
    )
    english_url = reverse("releases:contacts")
    with translation.override("da"):
        url = reverse("releases:contacts")
    page = client.get(url).content.decode()
    assert "<strong>Pressevagten</strong>" in page
    assert "<p>Presserådgiver, Udenrigsministeriet</p>" in page
    assert '<a href="tel:+4561979247">+45 61 97 92 47</a>' in page
    english = client.get(english_url).content.decode()
    assert "<strong>Press duty</strong>" in english
    assert "<p>Press adviser, Ministry of Foreign Affairs</p>" in english


def test_the_migration_keeps_names_and_puts_phones_in_international_form(db):
    executor = MigrationExecutor(connection)
    executor.migrate([("releases", "0007_preview_link_expiry")])
    old_apps = executor.loader.project_state([("releases", "0007_preview_link_expiry")]).apps
    Contact = old_apps.get_model("releases", "PressContact")
    Contact.objects.create(name="Jens Jensen", phone="61979247", title_en="Press adviser")
    Contact.objects.create(name="Old desk", phone="call the switchboard")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert sorted(PressContact.objects.values_list("name_en", "phone")) == [
        ("Jens Jensen", "+45 61 97 92 47"),
        ("Old desk", "call the switchboard"),
    ]


def test_the_home_pages_contacts_are_rendered_once_per_language_and_again_after_a_save(
    client, profile
):
    from django.test.utils import CaptureQueriesContext

    from core import caching

    contact = PressContact.objects.create(name_en="Press duty", name_da="Pressevagt")
    assert "Press duty" in client.get("/en/").content.decode()
    assert "Pressevagt" in client.get("/da/").content.decode()
    caching.clear()
    caching.store().clear()
    # Kept: the home page rendered again reads no contact.
    with CaptureQueriesContext(connection) as queries:
        assert "Press duty" in client.get("/en/").content.decode()
    assert not [q for q in queries.captured_queries if "releases_presscontact" in q["sql"]]
    # Saved in this process: the next render shows the change in both languages.
    contact.name_en, contact.name_da = "Night desk", "Nattevagt"
    contact.save()
    caching.clear()
    caching.store().clear()
    assert "Night desk" in client.get("/en/").content.decode()
    assert "Nattevagt" in client.get("/da/").content.decode()
