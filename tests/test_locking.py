"""No silent overwrite: a save from a form older than the stored row is refused, text kept."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from core.models import PressroomProfile
from missions.models import Mission, Organisation
from releases.models import PressContact, Status
from tests.conftest import form_data, make_release, sign_in

STALE = (
    "after you opened it, so nothing was saved. Your text is kept below; where theirs "
    "differs it is shown beside yours. Take what you want to keep from it and save again."
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def comparison(page):
    """The rows of the side-by-side table: (field, yours, saved meanwhile)."""
    table = re.search(r'<div class="module stale-versions".*?</table>', page, re.S)
    if not table:
        return []
    rows = re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td><td>(.*?)</td>', table[0], re.S)
    return [tuple(html.unescape(cell) for cell in row) for row in rows]


def test_a_save_from_a_form_opened_before_someone_elses_save_is_refused(
    client, editor, second_editor
):
    release = make_release(
        "Denmark hands over command", status=Status.DRAFT, lead_en="The first lead."
    )
    url = reverse("admin:releases_release_change", args=[release.pk])
    sign_in(client, editor)
    first = form_data(client.get(url))
    sign_in(client, second_editor)
    second = form_data(client.get(url))

    second["title_en"] = "Denmark hands over command of NMI"
    assert client.post(url, second).status_code == 302

    sign_in(client, editor)
    first["lead_en"] = "A better lead, written at the same time."
    refused = client.post(url, first)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert f"Someone else saved “Denmark hands over command of NMI” {STALE}" in html.unescape(page)
    assert comparison(page) == [
        ("Title [en]", "Denmark hands over command", "Denmark hands over command of NMI"),
        ("Lead [en]", "A better lead, written at the same time.", "The first lead."),
    ]
    release.refresh_from_db()
    assert (release.title_en, release.lead_en) == (
        "Denmark hands over command of NMI",
        "The first lead.",
    )

    merged = form_data(refused)
    assert merged["lead_en"].strip() == "A better lead, written at the same time."
    merged["title_en"] = "Denmark hands over command of NMI"
    assert client.post(url, merged).status_code == 302
    release.refresh_from_db()
    assert (release.title_en, release.lead_en) == (
        "Denmark hands over command of NMI",
        "A better lead, written at the same time.",
    )


def test_a_change_to_an_inline_row_makes_an_older_form_stale_too(client, editor, second_editor):
    release = make_release("Quotes", status=Status.DRAFT)
    release.quotes.create(speaker="Lars Løkke Rasmussen", text_en="We stand together.")
    url = reverse("admin:releases_release_change", args=[release.pk])
    sign_in(client, editor)
    first = form_data(client.get(url))
    sign_in(client, second_editor)
    second = form_data(client.get(url))
    second["quotes-0-text_en"] = "We stand firmly together."
    assert client.post(url, second).status_code == 302

    sign_in(client, editor)
    first["quotes-0-text_en"] = "We stand together, always."
    refused = client.post(url, first)
    assert STALE in html.unescape(refused.content.decode())
    assert release.quotes.get().text_en == "We stand firmly together."


def test_saving_twice_from_the_same_page_is_not_a_clash(client, editor):
    release = make_release("Twice", status=Status.DRAFT)
    url = reverse("admin:releases_release_change", args=[release.pk])
    sign_in(client, editor)
    data = form_data(client.get(url))
    data["_continue"] = "1"
    response = client.post(url, data)
    assert response.status_code == 302
    again = form_data(client.get(response["Location"]))
    again["title_en"] = "Twice, changed"
    assert client.post(url, again).status_code == 302


@pytest.mark.parametrize("kind", ["mission", "contact", "profile"])
def test_missions_contacts_and_the_profile_refuse_stale_saves_too(
    client, editor, second_editor, profile, kind
):
    if kind == "mission":
        organisation = Organisation.objects.create(name_en="NATO")
        obj = Mission.objects.create(name_en="NMI", slug="nmi", organisation=organisation)
        url = reverse("admin:missions_mission_change", args=[obj.pk])
        field = "name_en"
    elif kind == "contact":
        obj = PressContact.objects.create(name_en="Press duty")
        url = reverse("admin:releases_presscontact_change", args=[obj.pk])
        field = "name_en"
    else:
        obj = PressroomProfile.load()
        url = reverse("admin:core_pressroomprofile_change", args=[1])
        field = "about_en"
    sign_in(client, editor)
    first = form_data(client.get(url))
    sign_in(client, second_editor)
    second = form_data(client.get(url))
    second[field] = "Saved first"
    assert client.post(url, second).status_code == 302
    sign_in(client, editor)
    first[field] = "Saved second"
    refused = client.post(url, first)
    assert refused.status_code == 200
    obj.refresh_from_db()
    assert f"Someone else saved “{obj}” {STALE}" in html.unescape(refused.content.decode())
    obj.refresh_from_db()
    assert getattr(obj, field) == "Saved first"


def test_the_refusal_is_in_danish_for_a_danish_editor(client, editor, second_editor):
    release = make_release("Dansk", status=Status.DRAFT)
    url = reverse("admin:releases_release_change", args=[release.pk])
    sign_in(client, editor)
    first = form_data(client.get(url))
    sign_in(client, second_editor)
    second = form_data(client.get(url))
    second["title_en"] = "Changed"
    client.post(url, second)
    sign_in(client, editor)
    page = client.post(url, first, HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "En anden har gemt “Changed”, efter du åbnede siden, så intet blev gemt." in (
        html.unescape(page)
    )
    assert "Din version og den, der er gemt imens" in page
