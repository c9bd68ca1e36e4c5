"""One image pipeline: mission images and the logo are checked, cleaned and served too."""

from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from core.models import PressroomProfile
from missions.models import Mission, Organisation
from tests.conftest import CAMERA, form_data, make_photo, sign_in
from tests.test_one_language import _inline_management


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def mission(db):
    organisation = Organisation.objects.create(name_en="NATO", acronym="NATO")
    return Mission.objects.create(
        name_en="NATO Mission Iraq",
        name_da="NATO's mission i Irak",
        slug="nmi",
        organisation=organisation,
    )


def assert_clean(content):
    assert b"GPS" not in content and CAMERA.encode() not in content and b"Exif" not in content
    assert dict(Image.open(BytesIO(content)).getexif()) == {}


def mission_form(client, mission, **changes):
    url = reverse("admin:missions_mission_change", args=[mission.pk])
    data = form_data(client.get(url))
    for prefix in ("legal_bases", "command_periods", "participations", "contributions"):
        data.update(_inline_management(prefix, 0))
    data.update(changes)
    return url, data


def test_a_mission_image_with_location_data_is_stored_and_served_without_it(
    client, editor, mission
):
    source = make_photo(1200, 800)
    assert b"GPS" in source and CAMERA.encode() in source
    sign_in(client, editor)
    url, data = mission_form(
        client,
        mission,
        image=SimpleUploadedFile("baghdad.jpg", source, "image/jpeg"),
        image_alt_en="Soldiers in Baghdad",
    )
    assert client.post(url, data).status_code == 302
    mission.refresh_from_db()
    assert (mission.image_width, mission.image_height) == (1200, 800)
    assert [(r["width"], r["format"]) for r in mission.image_renditions] == [
        (480, "webp"),
        (480, "jpeg"),
        (960, "webp"),
        (960, "jpeg"),
    ]
    client.logout()

    page = client.get(mission.get_absolute_url()).content.decode()
    fallback = next(
        r for r in mission.image_renditions if r == {**r, "width": 960, "format": "jpeg"}
    )
    assert f'<img src="/media/{fallback["name"]}" alt="Soldiers in Baghdad" width="1200"' in page
    assert '<source type="image/webp" srcset="/media/' in page
    for name in [mission.image.name, *(r["name"] for r in mission.image_renditions)]:
        response = client.get(f"/media/{name}")
        assert response.status_code == 200, name
        assert response["Cache-Control"].startswith("public, max-age=")
        assert_clean(b"".join(response.streaming_content))


def test_a_mission_image_that_is_not_an_image_is_refused_with_a_message(client, editor, mission):
    sign_in(client, editor)
    url, data = mission_form(
        client, mission, image=SimpleUploadedFile("notes.jpg", b"Meeting notes", "image/jpeg")
    )
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="da")
    assert "Filen er ikke et billede, som presserummet kan læse." in response.content.decode()
    mission.refresh_from_db()
    assert not mission.image


def test_a_replaced_mission_image_takes_its_old_files_away(
    client, editor, mission, django_capture_on_commit_callbacks
):
    sign_in(client, editor)
    url, data = mission_form(
        client, mission, image=SimpleUploadedFile("first.jpg", make_photo(600, 400), "image/jpeg")
    )
    client.post(url, data)
    mission.refresh_from_db()
    old = [mission.image.name, *(r["name"] for r in mission.image_renditions)]
    url, data = mission_form(
        client, mission, image=SimpleUploadedFile("second.jpg", make_photo(700, 400), "image/jpeg")
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    assert not any(default_storage.exists(name) for name in old)
    assert client.get(f"/media/{old[0]}").status_code == 404


def test_the_logo_is_stored_and_served_without_location_data(client, editor, profile):
    sign_in(client, editor)
    url = reverse("admin:core_pressroomprofile_change", args=[1])
    data = form_data(client.get(url))
    data["logo"] = SimpleUploadedFile("logo.jpg", make_photo(400, 400), "image/jpeg")
    assert client.post(url, data).status_code == 302
    logo = PressroomProfile.load().logo
    with default_storage.open(logo.name) as stored:
        assert_clean(stored.read())
    client.logout()
    assert f'<img src="{logo.url}"' in client.get("/en/").content.decode()
    response = client.get(logo.url)
    assert response.status_code == 200
    assert_clean(b"".join(response.streaming_content))


def test_a_logo_that_is_not_an_image_is_refused(client, editor, profile):
    sign_in(client, editor)
    url = reverse("admin:core_pressroomprofile_change", args=[1])
    data = form_data(client.get(url))
    data["logo"] = SimpleUploadedFile("logo.png", b"<svg></svg>", "image/png")
    response = client.post(url, data)
    assert "This file is not an image the pressroom can read." in response.content.decode()
    assert not PressroomProfile.load().logo


def test_files_in_the_profile_folder_are_served_only_while_they_are_the_logo(client, profile):
    old = default_storage.save("profile/old-logo.jpg", BytesIO(make_photo(100, 100)))
    assert client.get(f"/media/{old}").status_code == 404
