"""Files chosen in a refused admin form are kept on the server and used by the next save."""

import datetime
import time

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from core import kept_uploads
from releases.models import Release
from tests.conftest import form_data, make_photo, make_user, sign_in
from tests.test_one_language import _inline_management

PDF = b"%PDF-1.7\n" + b"x" * 3000


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def kept_files():
    found = []
    try:
        users = default_storage.listdir("kept")[0]
    except FileNotFoundError:
        return found
    for user in users:
        found += [f"kept/{user}/{name}" for name in default_storage.listdir(f"kept/{user}")[1]]
    return found


def release_data(**rows):
    data = {
        "kind": "press-release",
        "title_da": "Besøg i Kyiv",
        **_inline_management("quotes", 0),
        **_inline_management("release_contacts", 0),
        **_inline_management("images", 2),
        **_inline_management("documents", 1),
        "images-0-order": "0",
        "images-1-order": "1",
        "documents-0-order": "0",
    }
    data.update(rows)
    return data


def test_files_chosen_in_a_refused_form_are_kept_and_used_by_the_next_save(client, press_officer):
    sign_in(client, press_officer)
    url = reverse("admin:releases_release_add")
    data = release_data(
        **{
            "images-0-image": SimpleUploadedFile("kyiv.jpg", make_photo(800, 600), "image/jpeg"),
            "images-0-alt_da": "Ministeren i Kyiv",
            "images-1-image": SimpleUploadedFile("bridge.jpg", make_photo(640, 480), "image/jpeg"),
            "images-1-alt_da": "",
            "documents-0-file": SimpleUploadedFile("fakta.pdf", PDF),
            "documents-0-title_da": "Faktaark",
        }
    )
    refused = client.post(url, data)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Fill in “alternative text” in at least one language" in page
    for name in ("kyiv.jpg", "bridge.jpg", "fakta.pdf"):
        assert f"Kept: <strong>{name}</strong>" in page
    assert len(kept_files()) == 3
    assert Release.objects.count() == 0
    for name in kept_files():
        assert client.get(f"/media/{name}").status_code == 404  # never served, even to staff

    again = form_data(refused)
    assert again["images-0-image__kept"] and again["documents-0-file__kept"]
    again["images-1-alt_da"] = "Broen over Dnipro"
    saved = client.post(url, again)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    release = Release.objects.get()
    assert sorted(release.images.values_list("alt_da", "width")) == [
        ("Broen over Dnipro", 640),
        ("Ministeren i Kyiv", 800),
    ]
    document = release.documents.get()
    assert (document.title_da, document.size) == ("Faktaark", len(PDF))
    with default_storage.open(document.file.name) as stored:
        assert stored.read() == PDF
    assert kept_files() == []


def test_a_refused_file_in_one_row_does_not_clear_a_valid_file_in_another_row(
    client, press_officer
):
    sign_in(client, press_officer)
    url = reverse("admin:releases_release_add")
    data = release_data(
        **{
            **_inline_management("images", 0),
            **_inline_management("documents", 2),
            "documents-0-file": SimpleUploadedFile("notes.pdf", b"Meeting notes"),
            "documents-0-title_da": "Noter",
            "documents-1-file": SimpleUploadedFile("fakta.pdf", PDF),
            "documents-1-title_da": "Faktaark",
            "documents-1-order": "1",
        }
    )
    refused = client.post(url, data)
    page = refused.content.decode()
    assert "This file does not contain what a .pdf file should." in page
    assert "Kept: <strong>notes.pdf</strong>" not in page
    assert "Kept: <strong>fakta.pdf</strong>" in page

    again = form_data(refused)
    again["documents-0-file"] = SimpleUploadedFile("noter.pdf", PDF + b"2")
    assert client.post(url, again).status_code == 302
    assert sorted(Release.objects.get().documents.values_list("title_da", "size")) == [
        ("Faktaark", len(PDF)),
        ("Noter", len(PDF) + 1),
    ]


def test_a_kept_file_can_be_removed_and_is_then_deleted(client, press_officer):
    sign_in(client, press_officer)
    url = reverse("admin:releases_release_add")
    refused = client.post(
        url,
        release_data(
            **{
                **_inline_management("images", 0),
                "title_da": "",
                "documents-0-file": SimpleUploadedFile("fakta.pdf", PDF),
                "documents-0-title_da": "Faktaark",
            }
        ),
    )
    assert len(kept_files()) == 1
    again = form_data(refused)
    again["title_da"] = "Besøg i Kyiv"
    again["documents-0-file__remove"] = "on"
    response = client.post(url, again)
    assert "This field is required." in response.content.decode()
    assert kept_files() == []


def test_a_kept_file_is_used_only_by_the_person_who_chose_it(client, press_officer):
    sign_in(client, press_officer)
    url = reverse("admin:releases_release_add")
    refused = client.post(
        url,
        release_data(
            **{
                **_inline_management("images", 0),
                "title_da": "",
                "documents-0-file": SimpleUploadedFile("fakta.pdf", PDF),
                "documents-0-title_da": "Faktaark",
            }
        ),
    )
    again = form_data(refused)
    again["title_da"] = "Besøg i Kyiv"
    sign_in(client, make_user("other-officer", "Press officer"))
    response = client.post(url, again)
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Release.objects.count() == 0
    assert len(kept_files()) == 1


def test_a_kept_file_expires_after_a_day_and_is_swept(client, press_officer, monkeypatch):
    sign_in(client, press_officer)
    url = reverse("admin:releases_release_add")
    refused = client.post(
        url,
        release_data(
            **{
                **_inline_management("images", 0),
                "title_da": "",
                "documents-0-file": SimpleUploadedFile("fakta.pdf", PDF),
                "documents-0-title_da": "Faktaark",
            }
        ),
    )
    again = form_data(refused)
    again["title_da"] = "Besøg i Kyiv"
    later = time.time() + kept_uploads.MAX_AGE.total_seconds() + 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert "This field is required." in client.post(url, again).content.decode()

    assert kept_uploads.sweep(now=timezone.now()) == 0
    assert kept_uploads.sweep(now=timezone.now() + datetime.timedelta(hours=25)) == 1
    assert kept_files() == []
