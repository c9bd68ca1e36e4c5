"""The media library: what it lists, its filters, and downloads carrying credit and licence."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from PIL import ExifTags, Image
from pytest_django.asserts import assertContains, assertNotContains

from core import caching, images
from core.models import Licence
from releases.models import Release, ReleaseImage, Status, Topic
from tests.conftest import add_document, add_image, make_mission, make_photo, make_release, outline


@pytest.fixture
def cc_by(db):
    return Licence.objects.get(name_en="CC BY 4.0")


@pytest.fixture
def library(profile, editor, cc_by):
    """A public release with an image and a document, an older one with an image, and an
    embargoed one with both."""
    security = Topic.objects.create(
        slug_en="security", slug_da="sikkerhed", name_en="Security", name_da="Sikkerhed"
    )
    mission = make_mission("nmi")
    new = make_release("Handover", title_da="Overdragelse")
    new.topics.add(security)
    new.missions.add(mission)
    flag = add_image(
        editor,
        new,
        caption_en="The flag at the handover",
        caption_da="Flaget ved overdragelsen",
        credit_en="Photo: Søren Ørsted",
        credit_da="Foto: Søren Ørsted",
        licence=str(cc_by.pk),
    )
    fact_sheet = add_document(editor, new, b"%PDF-1.4 facts", "facts.pdf")
    old = make_release("Aid package", published_at=timezone.now() - datetime.timedelta(days=400))
    ship = add_image(editor, old, caption_en="The ship", credit_en="Photo: Navy")
    embargoed = make_release(
        "Embargoed handover",
        status=Status.SCHEDULED,
        published_at=timezone.now() + datetime.timedelta(days=1),
    )
    secret = add_image(editor, embargoed, caption_en="Secret picture")
    secret_document = add_document(editor, embargoed, b"%PDF-1.4 secret", "secret.pdf")
    return {
        "new": new,
        "old": old,
        "flag": flag,
        "fact_sheet": fact_sheet,
        "ship": ship,
        "embargoed": embargoed,
        "secret": secret,
        "secret_document": secret_document,
        "topic": security,
        "mission": mission,
    }


def listed(response):
    """The images and documents a library page lists, in order, as (type, pk)."""
    return [(item.entry_type, item.pk) for item in response.context["items"]]


def test_library_lists_public_images_and_documents_newest_first_never_embargoed(client, library):
    response = client.get(reverse("library:list"))
    assert response.status_code == 200
    assert listed(response) == [
        ("document", library["fact_sheet"].pk),
        ("image", library["flag"].pk),
        ("image", library["ship"].pk),
    ]
    assertNotContains(response, "Secret picture")
    assertNotContains(response, "secret.pdf")
    assertNotContains(response, f"/{library['embargoed'].pk}/")


def test_library_shows_caption_credit_licence_sizes_and_the_release(client, library):
    flag = library["flag"]
    response = client.get(reverse("library:list"))
    assertContains(response, '<p class="caption">The flag at the handover</p>', html=True)
    assertContains(response, '<p class="credit">Photo: Søren Ørsted</p>', html=True)
    assertContains(
        response,
        '<span class="licence">Licence: <a href="https://creativecommons.org/licenses/by/4.0/"'
        ' rel="license">CC BY 4.0</a></span>',
        html=True,
    )
    assert flag.size > 0
    size = f"{flag.size / 1024:.1f}".replace(".0", "")
    assertContains(response, f"640 × 320 pixels, {size}")
    assertContains(
        response,
        f'<a class="download" href="{reverse("library:original", args=[flag.pk])}" download>'
        "Download the original</a>",
        html=True,
    )
    assertContains(
        response,
        f'<a href="{library["new"].get_absolute_url()}">Handover</a>',
        html=True,
        count=2,
    )


def test_library_in_danish_at_medier(client, library):
    with translation.override("da"):
        url = reverse("library:list")
    assert url == "/da/medier/"
    response = client.get(url)
    assert outline(response).h1 == 1
    assertContains(response, "<h1>Mediearkiv</h1>", html=True)
    assertContains(response, '<p class="caption">Flaget ved overdragelsen</p>', html=True)
    assertContains(
        response,
        f'<a class="download" href="/da/medier/billeder/{library["flag"].pk}/original/" download>'
        "Hent originalen</a>",
        html=True,
    )
    zip_url = f"/da/medier/{library['new'].slug_da}/billeder.zip"
    assert client.get(zip_url)["Content-Type"] == "application/zip"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "image"}, ["flag", "ship"]),
        ({"type": "document"}, ["fact_sheet"]),
        ({"topic": "security"}, ["fact_sheet", "flag"]),
        ({"topic": "sikkerhed"}, ["fact_sheet", "flag"]),
        ({"mission": "nmi", "type": "image"}, ["flag"]),
        ({"year": "old"}, ["ship"]),
    ],
)
def test_library_filters_by_type_topic_mission_and_year(client, library, params, expected):
    if params.get("year") == "old":
        params = {"year": timezone.localtime(library["old"].published_at).year}
    response = client.get(reverse("library:list"), params)
    assert response.status_code == 200
    assert listed(response) == [
        ("image" if isinstance(library[name], ReleaseImage) else "document", library[name].pk)
        for name in expected
    ]


def test_a_filter_that_names_nothing_is_404_and_says_which(client, library):
    response = client.get(reverse("library:list"), {"topic": "nope"})
    assert response.status_code == 404
    assertContains(response, "These filters name nothing on this site", status_code=404)
    assert listed(response) == []


def test_library_pages_cost_the_same_queries_however_many_items(
    client, library, editor, assert_page_queries
):
    url = reverse("library:list")
    with assert_page_queries(12):
        response = client.get(url)
    assert len(response.context["items"]) == 3
    for index in range(30):
        add_image(editor, library["old"], caption_en=f"More {index}")
    # As the admin does when images are added to a release.
    Release.objects.filter(pk=library["old"].pk).update(updated_at=timezone.now())
    # The same, less the topics and missions to filter by, kept from the first page.
    with assert_page_queries(9):
        response = client.get(url)
    assert len(response.context["items"]) == 24


def test_library_page_is_kept_by_the_page_cache_until_releases_change(client, library, editor):
    url = reverse("library:list")
    first = client.get(url)
    assert "public" in first["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    library["new"].title_en = "Handover, corrected"
    library["new"].save()
    assertContains(client.get(url), "Handover, corrected")


# Downloads


def exif_and_xmp(content):
    with Image.open(io.BytesIO(content)) as image:
        exif = image.getexif()
        # EXIF strings are UTF-8 bytes; Pillow reads them as Latin-1.
        artist = exif[ExifTags.Base.Artist].encode("latin-1").decode()
        copyright = exif[ExifTags.Base.Copyright].encode("latin-1").decode()
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        model = exif.get(ExifTags.Base.Model)
        xmp = image.info.get("xmp", b"")
        return artist, copyright, gps, model, xmp.decode() if isinstance(xmp, bytes) else xmp


def test_downloaded_original_carries_credit_and_licence_and_no_location(client, library):
    flag = library["flag"]
    response = client.get(reverse("library:original", args=[flag.pk]))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'attachment; filename="photo.jpg"'
    content = b"".join(response.streaming_content)
    artist, copyright, gps, model, xmp = exif_and_xmp(content)
    assert artist == "Photo: Søren Ørsted"
    assert copyright == "Photo: Søren Ørsted. CC BY 4.0"
    assert gps == {}
    assert model is None
    assert "<rdf:li>Photo: Søren Ørsted</rdf:li>" in xmp
    assert '<rdf:li xml:lang="x-default">CC BY 4.0</rdf:li>' in xmp
    assert (
        "<xmpRights:WebStatement>https://creativecommons.org/licenses/by/4.0/"
        "</xmpRights:WebStatement>" in xmp
    )
    with Image.open(io.BytesIO(content)) as image:
        assert image.size == (640, 320)


@pytest.mark.parametrize(("image_format", "name"), [("PNG", "photo.png"), ("WEBP", "photo.webp")])
def test_png_and_webp_originals_carry_the_credit_too(client, library, editor, image_format, name):
    image = add_image(
        editor,
        library["new"],
        make_photo(400, 200, image_format),
        name=name,
        credit_en="Photo: Navy",
    )
    response = client.get(reverse("library:original", args=[image.pk]))
    artist, copyright, gps, model, xmp = exif_and_xmp(b"".join(response.streaming_content))
    assert (artist, copyright) == ("Photo: Navy", "Photo: Navy. Free for editorial use with credit")
    assert gps == {} and model is None
    assert "<photoshop:Credit>Photo: Navy</photoshop:Credit>" in xmp


def test_embargoed_images_cannot_be_downloaded_in_any_form(client, library):
    secret = library["secret"]
    assert client.get(reverse("library:original", args=[secret.pk])).status_code == 404
    zip_url = reverse("library:release-images", args=[library["embargoed"].slug_en])
    assert client.get(zip_url).status_code == 404


def test_zip_of_a_releases_images_is_streamed_with_credits(client, library, editor):
    second = add_image(editor, library["new"], caption_en="Second", credit_en="Photo: Army")
    response = client.get(reverse("library:release-images", args=[library["new"].slug_en]))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    chunks = list(response.streaming_content)
    assert len(chunks) > 2  # sent as written, image by image
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    first_name = library["flag"].image.name.rsplit("/", 1)[1]
    second_name = second.image.name.rsplit("/", 1)[1]
    assert archive.namelist() == [first_name, second_name, "credits.txt"]
    assert archive.testzip() is None
    artist, copyright, *_rest = exif_and_xmp(archive.read(second_name))
    assert (artist, copyright) == ("Photo: Army", "Photo: Army. Free for editorial use with credit")
    credits = archive.read("credits.txt").decode()
    assert f"{first_name}: The flag at the handover" in credits
    assert "Licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)" in credits
    assert f"{second_name}: Second" in credits


def test_zip_is_sent_in_pieces_no_larger_than_one_read_of_an_image(client, library, editor):
    noise = Image.merge("RGB", [Image.effect_noise((900, 900), 90) for _band in "RGB"])
    content = io.BytesIO()
    noise.save(content, "JPEG", quality=95)
    assert len(content.getvalue()) > 500_000
    add_image(editor, library["new"], content.getvalue(), name="noise.jpg")
    response = client.get(reverse("library:release-images", args=[library["new"].slug_en]))
    chunks = list(response.streaming_content)
    assert sum(map(len, chunks)) > 500_000
    assert max(map(len, chunks)) <= 64 * 1024 + 1024


def test_release_page_offers_the_zip_and_shows_the_licence(client, library):
    response = client.get(library["new"].get_absolute_url())
    assertContains(
        response,
        f'<a href="{reverse("library:release-images", args=[library["new"].slug])}" download>'
        "Download all images of this release (ZIP)</a>",
        html=True,
    )
    assertContains(response, "CC BY 4.0</a>")


def test_the_header_links_to_the_library(client, library):
    response = client.get(reverse("home"))
    assertContains(response, f'<a href="{reverse("library:list")}">Media</a>', html=True)


def test_release_without_public_images_has_no_zip(client, library):
    response = client.get(reverse("library:release-images", args=["no-such-release"]))
    assert response.status_code == 404
    assert Release.objects.count() == 3


def test_staff_preview_of_a_draft_offers_the_file_itself_not_the_library(client, editor, profile):
    from tests.conftest import sign_in

    draft = make_release("Draft with a photo", status=Status.DRAFT)
    image = add_image(editor, draft)
    sign_in(client, editor)
    response = client.get(draft.get_absolute_url())
    assertContains(response, f'href="{image.image.url}?download=1"')
    assertNotContains(response, reverse("library:original", args=[image.pk]))
    assertNotContains(response, "images.zip")
    assert client.get(reverse("library:original", args=[image.pk])).status_code == 404


def test_downloads_answer_only_reading_methods(client, library):
    url = reverse("library:original", args=[library["flag"].pk])
    assert client.post(url).status_code == 405
    assert client.head(url).status_code == 200


# Missions' lead images


@pytest.fixture
def mission_image(library, cc_by):
    """NMI, established in 2018, with a lead image under CC BY; its rights run out in 3 days."""
    mission = library["mission"]
    mission.established_on = datetime.date(2018, 7, 1)
    # As the admin's upload field stores it: through the image pipeline.
    mission.image = images.clean_upload(
        SimpleUploadedFile("training.jpg", make_photo(800, 600), "image/jpeg")
    )
    mission.image_alt_en = "Danish soldiers training Iraqi soldiers"
    mission.image_caption_en = "Training at Al Asad"
    mission.image_caption_da = "Træning på Al Asad"
    mission.image_credit_en = "Ministry of Defence"
    mission.image_credit_da = "Forsvarsministeriet"
    mission.image_licence = cc_by
    mission.image_rights_expire_at = timezone.now() + datetime.timedelta(days=3)
    mission.save()
    mission.make_image_renditions()
    return mission


def test_a_missions_lead_image_is_listed_by_the_day_the_mission_was_established(
    client, library, mission_image
):
    response = client.get(reverse("library:list"))
    assert listed(response) == [
        ("document", library["fact_sheet"].pk),
        ("image", library["flag"].pk),
        ("image", library["ship"].pk),
        ("mission-image", mission_image.pk),
    ]


def test_a_missions_lead_image_shows_caption_credit_licence_sizes_and_the_mission(
    client, mission_image
):
    response = client.get(reverse("library:list"))
    assertContains(response, '<p class="caption">Training at Al Asad</p>', html=True)
    assertContains(response, '<p class="credit">Photo: Ministry of Defence</p>', html=True)
    assertContains(
        response,
        '<span class="licence">Licence: <a href="https://creativecommons.org/licenses/by/4.0/"'
        ' rel="license">CC BY 4.0</a></span>',
        html=True,
        count=2,
    )
    assert mission_image.image_size > 0
    size = f"{mission_image.image_size / 1024:.1f}".replace(".0", "")
    assertContains(response, f"800 × 600 pixels, {size}")
    download = reverse("library:mission-original", args=[mission_image.slug])
    assertContains(
        response,
        f'<a class="download" href="{download}" download>Download the original</a>',
        html=True,
    )
    assertContains(
        response,
        f'<p class="meta">Mission: <a href="{mission_image.get_absolute_url()}">'
        "NATO Mission Iraq (NMI)</a></p>",
        html=True,
    )


def test_a_missions_lead_image_in_danish(client, mission_image):
    with translation.override("da"):
        url = reverse("library:list")
        download = reverse("library:mission-original", args=[mission_image.slug])
    assert download == f"/da/medier/missioner/{mission_image.slug}/original/"
    response = client.get(url)
    assertContains(response, '<p class="caption">Træning på Al Asad</p>', html=True)
    assertContains(response, '<p class="credit">Foto: Forsvarsministeriet</p>', html=True)
    assertContains(response, f'<a class="download" href="{download}" download>')
    assertContains(response, "Mission: <a")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "image"}, ["flag", "ship", "mission"]),
        ({"type": "document"}, ["fact_sheet"]),
        ({"mission": "nmi"}, ["fact_sheet", "flag", "mission"]),
        ({"mission": "nmi", "type": "image"}, ["flag", "mission"]),
        # Missions have no topic: a topic leaves their images out.
        ({"topic": "security"}, ["fact_sheet", "flag"]),
        ({"year": "2018"}, ["mission"]),
    ],
)
def test_the_filters_select_missions_images_too(client, library, mission_image, params, expected):
    response = client.get(reverse("library:list"), params)
    assert response.status_code == 200
    kinds = {"mission": "mission-image", "fact_sheet": "document"}
    assert listed(response) == [(kinds.get(name, "image"), library[name].pk) for name in expected]


def test_the_year_filter_offers_the_years_of_missions_with_images(client, mission_image):
    response = client.get(reverse("library:list"))
    assert 2018 in [value for value, _label in response.context["form"].fields["year"].choices]


def test_a_missions_original_carries_its_credit_and_licence(client, mission_image):
    response = client.get(reverse("library:mission-original", args=[mission_image.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'attachment; filename="training.jpg"'
    artist, copyright, gps, model, xmp = exif_and_xmp(b"".join(response.streaming_content))
    assert (artist, copyright) == ("Ministry of Defence", "Ministry of Defence. CC BY 4.0")
    assert gps == {} and model is None
    assert "<photoshop:Credit>Ministry of Defence</photoshop:Credit>" in xmp
    assert (
        "<xmpRights:WebStatement>https://creativecommons.org/licenses/by/4.0/"
        "</xmpRights:WebStatement>" in xmp
    )


def test_a_mission_without_an_image_has_no_original(client, library):
    url = reverse("library:mission-original", args=[library["mission"].slug])
    assert client.get(url).status_code == 404
    assert client.get(reverse("library:mission-original", args=["no-such"])).status_code == 404


def test_the_mission_page_shows_the_licence_and_offers_the_original(client, mission_image):
    response = client.get(mission_image.get_absolute_url())
    assertContains(response, "CC BY 4.0</a>")
    download = reverse("library:mission-original", args=[mission_image.slug])
    assertContains(
        response,
        f'<a class="download" href="{download}" download>'
        "Download the original image (800 × 600 pixels)</a>",
        html=True,
    )


def test_once_its_rights_run_out_a_missions_image_leaves_library_page_and_downloads(
    client, mission_image, time_machine
):
    stem = "training"
    library_url = reverse("library:list")
    download = reverse("library:mission-original", args=[mission_image.slug])
    files = [mission_image.image.url] + [
        f"/media/{r['name']}" for r in mission_image.image_renditions
    ]
    assertContains(client.get(library_url), stem)
    assert all(client.get(url).status_code == 200 for url in files)
    time_machine.move_to(mission_image.image_rights_expire_at + datetime.timedelta(seconds=1))
    # The library was kept by the page cache; an image running out renders it again.
    response = client.get(library_url)
    assertNotContains(response, stem)
    assert ("mission-image", mission_image.pk) not in listed(response)
    assert client.get(download).status_code == 404
    assert [client.get(url).status_code for url in files] == [404] * len(files)
    page = client.get(mission_image.get_absolute_url())
    assertNotContains(page, stem)
    assertContains(
        page,
        '<figure class="mission-image image-withdrawn"><p class="image-placeholder">'
        "The rights to show this image have expired.</p><figcaption>"
        '<p class="caption">Training at Al Asad</p></figcaption></figure>',
        html=True,
    )
    assertNotContains(page, "CC BY 4.0")
    assert 2018 not in [v for v, _label in response.context["form"].fields["year"].choices]


def test_editors_hear_a_week_before_a_missions_image_rights_run_out(smtp, mission_image, editor):
    from releases import rights

    editor.email = "edvard@ministry.example"
    editor.save()
    assert rights.send_expiry_notices() == [mission_image]
    assert rights.send_expiry_notices() == []  # once
    (message,) = smtp.messages
    assert str(message["Subject"]).strip() == (
        "The rights to an image run out within a week / "
        "Rettighederne til et billede udløber inden for en uge"
    )
    text = message.get_body(("plain",)).get_content()
    assert "- Training at Al Asad (Ministry of Defence)" in text
    assert "- Træning på Al Asad (Forsvarsministeriet)" in text
    assert "the lead image of the mission “NATO Mission Iraq (NMI)”" in text
    change = f"http://testserver/admin/missions/mission/{mission_image.pk}/change/"
    assert change in text
    assert change in message.get_body(("html",)).get_content()


def test_library_pages_with_missions_images_cost_the_same_queries_however_many(
    client, library, mission_image, assert_page_queries
):
    url = reverse("library:list")
    with assert_page_queries(13):
        response = client.get(url)
    assert len(response.context["items"]) == 4
    for index in range(5):
        twin = make_mission(f"twin-{index}", acronym=f"T{index}")
        twin.image = mission_image.image.name
        twin.image_renditions = mission_image.image_renditions
        twin.image_licence = mission_image.image_licence
        twin.save()
    # Missions' edits reach a kept page within PAGE_CACHE_SECONDS; here, at once.
    caching.store().clear()
    caching.clear()
    with assert_page_queries(12):
        response = client.get(url)
    assert [kind for kind, _pk in listed(response)].count("mission-image") == 6
