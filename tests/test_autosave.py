"""Autosave: what a person types is kept on the server for them alone, until the form is saved."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from core import autosave
from core.models import AutosavedForm
from releases.models import Release
from tests.conftest import make_user, sign_in
from tests.test_one_language import _inline_management

ADD = "/admin/releases/release/add/"
FIELDS = [["kind", "news"], ["title_da", "Nyt om missionen"], ["body_da", "<p>Et udkast</p>"]]


def keep(client, path=ADD, fields=FIELDS):
    return client.post(
        reverse("admin:autosave"),
        json.dumps({"path": path, "fields": fields}),
        content_type="application/json",
    )


def kept(client, path=ADD):
    return client.get(reverse("admin:autosave"), {"path": path}).json()


def test_typing_is_kept_and_offered_back_on_the_same_form(client, press_officer):
    sign_in(client, press_officer)
    assert keep(client).status_code == 200
    answer = kept(client)
    assert answer["fields"] == FIELDS
    assert answer["shown"] == timezone.localtime().strftime("%H:%M")
    assert kept(client, "/admin/releases/release/7/change/") == {}
    keep(client, fields=[["title_da", "Nyt om missionen i Irak"]])
    assert AutosavedForm.objects.get().fields == [["title_da", "Nyt om missionen i Irak"]]


def test_a_kept_form_is_for_its_writer_alone(client, press_officer):
    sign_in(client, press_officer)
    keep(client)
    sign_in(client, make_user("other-officer", "Press officer"))
    assert kept(client) == {}


def test_only_signed_in_staff_can_keep_forms_and_only_for_admin_pages(client, press_officer):
    assert keep(client).status_code == 302  # to the sign-in page
    sign_in(client, press_officer)
    assert keep(client, path="/en/releases/").status_code == 400
    assert keep(client, fields=[["title_da", 7]]).status_code == 400
    assert client.post(reverse("admin:autosave"), "not json", "application/json").status_code == 400
    assert AutosavedForm.objects.count() == 0


def test_saving_the_form_forgets_what_was_kept_for_it(client, press_officer):
    sign_in(client, press_officer)
    keep(client)
    data = {
        "kind": "news",
        "title_da": "Nyt om missionen",
        **_inline_management("quotes", 0),
        **_inline_management("release_contacts", 0),
        **_inline_management("images", 0),
        **_inline_management("documents", 0),
    }
    refused = client.post(ADD, {**data, "title_da": ""})
    assert refused.status_code == 200
    assert AutosavedForm.objects.count() == 1  # a refused save keeps it
    assert client.post(ADD, data).status_code == 302
    assert Release.objects.get().title_da == "Nyt om missionen"
    assert AutosavedForm.objects.count() == 0


def test_discarding_forgets_and_old_forms_are_deleted(client, press_officer):
    sign_in(client, press_officer)
    keep(client)
    assert client.delete(f"{reverse('admin:autosave')}?path={ADD}").status_code == 200
    assert AutosavedForm.objects.count() == 0
    keep(client)
    assert autosave.forget_old() == 0
    later = timezone.now() + autosave.MAX_AGE + datetime.timedelta(hours=1)
    assert autosave.forget_old(now=later) == 1


@pytest.mark.parametrize(
    "url", ["admin:releases_release_add", "admin:missions_mission_add", "admin:releases_topic_add"]
)
def test_the_admin_forms_carry_the_autosave_script_and_address(client, editor, url):
    sign_in(client, editor)
    page = client.get(reverse(url)).content.decode()
    assert '<meta name="pressroom-autosave" content="/admin/autosave/">' in page
    assert "core/admin-autosave" in page
