"""Images and documents of releases: upload checks, cleaning, renditions, serving, markup."""

import datetime
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from PIL import ExifTags, Image

from core import images
from core.models import PressroomProfile
from releases import media, media_admin
from releases.media_admin import ReleaseDocumentInline, ReleaseImageInline
from releases.models import Release, ReleaseDocument, ReleaseImage, Status
from tests.conftest import (
    CAMERA,
    add_document,
    add_image,
    inline_formset,
    make_photo,
    make_release,
    sign_in,
    upload,
)


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def open_stored(name):
    with default_storage.open(name, "rb") as file:
        content = file.read()
    return content, Image.open(BytesIO(content))


# Upload checks


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "This file is not an image the pressroom can read. Upload a photo or graphic as "
            "JPEG, PNG or WebP.",
        ),
        (
            "da",
            "Filen er ikke et billede, som presserummet kan læse. Upload et foto eller en "
            "grafik som JPEG, PNG eller WebP.",
        ),
    ],
)
def test_a_file_that_is_not_an_image_is_refused_in_the_editors_language_and_nothing_is_saved(
    editor, settings, language, message
):
    release = make_release(status=Status.DRAFT)
    with translation.override(language):
        formset = inline_formset(
            ReleaseImageInline,
            editor,
            release,
            [{"alt_en": "A chart", "order": "0"}],
            files=[(0, "image", upload(b"%PDF-1.7 not a picture", "chart.jpg"))],
        )
        assert not formset.is_valid()
        assert formset.errors[0]["image"] == [message]
    assert ReleaseImage.objects.count() == 0
    assert stored_files(settings) == []


def test_an_image_in_another_format_is_refused_with_its_format_named(editor):
    gif = BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    form = media_admin.ReleaseImageForm(
        {"alt": "A chart", "order": "0"},
        {"image": upload(gif.getvalue(), "chart.gif", "image/gif")},
    )
    assert not form.is_valid()
    assert form.errors["image"] == ["Upload a JPEG, PNG or WebP image; this file is GIF."]


def test_a_truncated_image_is_refused(db):
    content = make_photo()
    form = media_admin.ReleaseImageForm(
        {"alt": "Cut off", "order": "0"}, {"image": upload(content[: len(content) // 2])}
    )
    assert not form.is_valid()
    assert form.errors["image"][0].startswith("This file is not an image")


def test_an_image_over_the_file_size_limit_is_refused(editor, settings, monkeypatch):
    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", 10_000)
    release = make_release(status=Status.DRAFT)
    content = make_photo()
    assert len(content) > 10_000
    formset = inline_formset(
        ReleaseImageInline,
        editor,
        release,
        [{"alt_en": "Big", "order": "0"}],
        files=[(0, "image", upload(content))],
    )
    assert not formset.is_valid()
    with translation.override("en"):
        assert formset.errors[0]["image"] == [
            f"The image is {len(content) / 1024:.1f}\xa0KB; the largest accepted is 9.8\xa0KB."
        ]
    assert ReleaseImage.objects.count() == 0
    assert stored_files(settings) == []


def test_an_image_with_too_many_pixels_is_refused_before_it_is_decoded(db):
    # 64 megapixels of a single colour: a tiny file that would decode to a huge image.
    buffer = BytesIO()
    Image.new("1", (8000, 8000)).save(buffer, "PNG")
    assert len(buffer.getvalue()) < 100_000
    form = media_admin.ReleaseImageForm(
        {"alt": "Huge", "order": "0"},
        {"image": upload(buffer.getvalue(), "huge.png", "image/png")},
    )
    assert not form.is_valid()
    assert form.errors["image"] == [
        "The image is 8000 × 8000 pixels; the largest accepted is 60 megapixels. "
        "Make it smaller and upload it again."
    ]


def test_the_alternative_text_is_required(editor):
    release = make_release(status=Status.DRAFT)
    formset = inline_formset(
        ReleaseImageInline,
        editor,
        release,
        [{"order": "0"}],
        files=[(0, "image", upload(make_photo()))],
    )
    assert not formset.is_valid()
    assert "alt_en" in formset.errors[0]


def test_only_one_image_can_be_the_lead_image(editor):
    release = make_release(status=Status.DRAFT)
    formset = inline_formset(
        ReleaseImageInline,
        editor,
        release,
        [
            {"alt_en": "First", "order": "0", "is_lead": True},
            {"alt_en": "Second", "order": "1", "is_lead": True},
        ],
        files=[(0, "image", upload(make_photo())), (1, "image", upload(make_photo()))],
    )
    assert not formset.is_valid()
    assert formset.non_form_errors() == [
        "Only one image can be the lead image; untick “lead image” on the others."
    ]
    assert ReleaseImage.objects.count() == 0


def test_the_lead_image_can_move_to_another_image_in_one_save(editor):
    release = make_release(status=Status.DRAFT)
    first = add_image(editor, release, is_lead=True)
    formset = inline_formset(
        ReleaseImageInline,
        editor,
        release,
        [
            {"id": str(first.pk), "release": str(release.pk), "alt_en": "First", "order": "0"},
            {"alt_en": "Second", "order": "1", "is_lead": True},
        ],
        files=[(1, "image", upload(make_photo(), "second.jpg"))],
        initial=1,
    )
    assert formset.is_valid(), formset.errors
    formset.save()
    assert list(release.images.values_list("alt_en", "is_lead")) == [
        ("Second", True),
        ("First", False),
    ]


# Cleaning


def test_location_and_camera_data_are_removed_from_the_original_and_every_rendition(editor):
    source = make_photo()
    source_image = Image.open(BytesIO(source))
    assert source_image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert CAMERA.encode() in source and b"GPSLatitude" in source

    image = add_image(editor, make_release(status=Status.DRAFT), source)

    for name in media.image_files(image):
        content, stored = open_stored(name)
        assert dict(stored.getexif()) == {}, name
        assert "xmp" not in stored.info and "exif" not in stored.info, name
        assert CAMERA.encode() not in content, name
        assert b"GPS" not in content and b"Exif" not in content, name


def test_metadata_is_removed_from_png_and_webp_too(editor):
    release = make_release(status=Status.DRAFT)
    for image_format, name in [("PNG", "chart.png"), ("WEBP", "map.webp")]:
        image = add_image(editor, release, make_photo(image_format=image_format), name)
        content, stored = open_stored(image.image.name)
        assert stored.format == image_format
        assert dict(stored.getexif()) == {}
        assert CAMERA.encode() not in content
        image.delete()


def test_the_orientation_from_the_camera_is_applied(editor):
    # Orientation 6: the camera was turned; the picture must be turned 90° clockwise.
    image = add_image(
        editor, make_release(status=Status.DRAFT), make_photo(200, 100, orientation=6)
    )
    assert (image.width, image.height) == (100, 200)
    _content, stored = open_stored(image.image.name)
    assert stored.size == (100, 200)
    top, bottom = stored.convert("RGB").getpixel((50, 10)), stored.getpixel((50, 190))
    assert top[0] > 200 and top[2] < 60, top  # red, once the left half
    assert bottom[2] > 200 and bottom[0] < 60, bottom  # blue


def test_the_cleaned_original_keeps_its_full_size_and_format(editor):
    image = add_image(editor, make_release(status=Status.DRAFT), make_photo(2000, 1000))
    assert image.image.name == f"releases/{image.release_id}/images/photo.jpg"
    _content, stored = open_stored(image.image.name)
    assert (stored.format, stored.size) == ("JPEG", (2000, 1000))
    assert (image.width, image.height) == (2000, 1000)


def test_scripts_add_images_through_the_same_checks_and_cleaning(db):
    release = make_release(status=Status.DRAFT)
    image = media.add_image(
        release, upload(make_photo(1000, 500)), alt_en="The minister", alt_da="Ministeren"
    )
    assert (image.width, image.height, len(image.renditions)) == (1000, 500, 4)
    content, _stored = open_stored(image.image.name)
    assert b"GPS" not in content
    with pytest.raises(ValidationError) as refused:
        media.add_image(release, upload(b"GIF89a", "x.jpg"), alt_en="Nothing")
    assert refused.value.code == "not-an-image"
    assert release.images.count() == 1


# Renditions


def test_renditions_are_made_at_each_width_in_webp_and_jpeg(editor):
    image = add_image(editor, make_release(status=Status.DRAFT), make_photo(2000, 1000))
    folder = f"releases/{image.release_id}/images"
    assert image.renditions == [
        {"width": width, "format": suffix, "name": f"{folder}/photo-{width}.{extension}"}
        for width in (480, 960, 1600)
        for suffix, extension in [("webp", "webp"), ("jpeg", "jpg")]
    ]
    for rendition in image.renditions:
        _content, stored = open_stored(rendition["name"])
        assert stored.format == {"webp": "WEBP", "jpeg": "JPEG"}[rendition["format"]]
        assert stored.size == (rendition["width"], rendition["width"] // 2)


def test_renditions_never_exceed_the_original_width(editor):
    image = add_image(editor, make_release(status=Status.DRAFT), make_photo(1000, 800))
    assert [(r["width"], r["format"]) for r in image.renditions] == [
        (480, "webp"),
        (480, "jpeg"),
        (960, "webp"),
        (960, "jpeg"),
    ]
    small = add_image(editor, make_release(status=Status.DRAFT), make_photo(300, 200))
    assert [(r["width"], r["format"]) for r in small.renditions] == [
        (300, "webp"),
        (300, "jpeg"),
    ]


def test_a_transparent_png_gets_a_white_background_in_its_jpeg_renditions(editor):
    buffer = BytesIO()
    Image.new("RGBA", (600, 300), (255, 0, 0, 0)).save(buffer, "PNG")
    image = add_image(editor, make_release(status=Status.DRAFT), buffer.getvalue(), "logo.png")
    jpeg = next(r for r in image.renditions if r["format"] == "jpeg")
    _content, stored = open_stored(jpeg["name"])
    assert stored.getpixel((10, 10)) == (255, 255, 255)
    _content, original = open_stored(image.image.name)
    assert original.mode == "RGBA"


def test_replacing_or_deleting_an_image_removes_its_old_files(
    editor, settings, django_capture_on_commit_callbacks
):
    release = make_release(status=Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        first = add_image(editor, release, make_photo(1000, 500), "first.jpg")
    old_files = media.image_files(first)
    row = {"id": str(first.pk), "release": str(release.pk), "alt_en": "New", "order": "0"}
    formset = inline_formset(
        ReleaseImageInline,
        editor,
        release,
        [row],
        files=[(0, "image", upload(make_photo(700, 500), "second.jpg"))],
        initial=1,
    )
    assert formset.is_valid(), formset.errors
    with django_capture_on_commit_callbacks(execute=True):
        formset.save()
    replaced = release.images.get()
    assert stored_files(settings) == sorted(media.image_files(replaced))
    assert not set(old_files) & set(stored_files(settings))

    formset = inline_formset(
        ReleaseImageInline, editor, release, [{**row, "DELETE": True}], initial=1
    )
    assert formset.is_valid(), formset.errors
    with django_capture_on_commit_callbacks(execute=True):
        formset.save()
    assert ReleaseImage.objects.count() == 0
    assert stored_files(settings) == []


# Documents


def test_a_document_gets_its_size_and_type(editor):
    content = b"%PDF-1.7\n" + b"x" * 2000
    document = add_document(editor, make_release(status=Status.DRAFT), content, "Fact Sheet.PDF")
    assert document.size == len(content)
    assert document.extension() == "PDF"
    assert document.file.name == f"releases/{document.release_id}/documents/Fact_Sheet.PDF"


@pytest.mark.parametrize(
    ("name", "content", "language", "message"),
    [
        (
            "invoice.exe",
            b"MZ\x90\x00",
            "en",
            "Files of this type cannot be attached. Upload PDF, Word (DOC, DOCX), Excel (XLS, "
            "XLSX), PowerPoint (PPT, PPTX), OpenDocument (ODT, ODS, ODP), CSV or plain text "
            "(TXT).",
        ),
        (
            "page.html",
            b"<script>alert(1)</script>",
            "da",
            "Filer af denne type kan ikke vedhæftes. Upload PDF, Word (DOC, DOCX), Excel (XLS, "
            "XLSX), PowerPoint (PPT, PPTX), OpenDocument (ODT, ODS, ODP), CSV eller ren tekst "
            "(TXT).",
        ),
        (
            "fact-sheet.pdf",
            b"<html>not a pdf</html>",
            "en",
            "This file does not contain what a .pdf file should. Save it again as PDF and "
            "upload that.",
        ),
        (
            "fact-sheet.pdf",
            b"<html>not a pdf</html>",
            "da",
            "Filen indeholder ikke det, en .pdf-fil skal. Gem den igen som PDF, og upload den.",
        ),
        ("report.docx", b"%PDF-1.7", "en", None),
        ("figures.csv", b"a,b\x00\x00", "en", None),
        ("empty.txt", b"", "en", "The submitted file is empty."),
    ],
)
def test_documents_of_other_types_or_with_false_content_are_refused(
    editor, settings, name, content, language, message
):
    release = make_release(status=Status.DRAFT)
    with translation.override(language):
        formset = inline_formset(
            ReleaseDocumentInline,
            editor,
            release,
            [{"title_en": "Attachment", "order": "0"}],
            files=[(0, "file", upload(content, name, "application/octet-stream"))],
        )
        assert not formset.is_valid()
        errors = [str(error) for error in formset.errors[0]["file"]]
    if message:
        assert errors == [message]
    else:
        assert errors[0].startswith("This file does not contain what a .")
    assert ReleaseDocument.objects.count() == 0
    assert stored_files(settings) == []


def test_a_document_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(media, "MAX_DOCUMENT_BYTES", 1024)
    form = media_admin.ReleaseDocumentForm(
        {"title": "Annex", "order": "0"},
        {"file": upload(b"%PDF-" + b"x" * 2043, "annex.pdf", "application/pdf")},
    )
    assert not form.is_valid()
    assert form.errors["file"] == ["The file is 2.0\xa0KB; the largest accepted is 1.0\xa0KB."]


def test_office_documents_with_the_right_content_are_accepted(editor):
    release = make_release(status=Status.DRAFT)
    for name, content in [
        ("budget.xlsx", b"PK\x03\x04rest of a zip"),
        ("speech.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"),
        ("figures.csv", "år,beløb\n2024,1\n".encode()),
    ]:
        document = add_document(editor, release, content, name, title=name)
        assert document.size == len(content)
        document.delete()


# Serving


def test_media_of_a_draft_release_is_hidden_from_the_public_and_shown_to_staff(
    client, editor, outsider
):
    release = make_release(status=Status.DRAFT)
    image = add_image(editor, release)
    document = add_document(editor, release, b"%PDF-1.7 draft", "draft.pdf")
    urls = [f"/media/{name}" for name in [*media.image_files(image), document.file.name]]
    for url in urls:
        assert client.get(url).status_code == 404, url
    sign_in(client, outsider)
    for url in urls:
        assert client.get(url).status_code == 404, url
    sign_in(client, editor)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store"


def test_media_of_a_scheduled_release_appears_only_at_its_time(client, editor):
    release = make_release(
        status=Status.SCHEDULED, published_at=timezone.now() + datetime.timedelta(hours=2)
    )
    image = add_image(editor, release)
    url = image.image.url
    assert client.get(url).status_code == 404

    Release.objects.filter(pk=release.pk).update(
        published_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, max-age=5, s-maxage=5, stale-while-revalidate=4"
    assert b"".join(response.streaming_content) == default_storage.open(image.image.name).read()


def test_media_of_a_published_release_is_public_and_the_original_downloads(client, editor):
    release = make_release()
    image = add_image(editor, release)
    webp = next(r for r in image.renditions if r["format"] == "webp")
    response = client.get(f"/media/{webp['name']}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Content-Disposition"] == f'inline; filename="{webp["name"].split("/")[-1]}"'

    response = client.get(f"{image.image.url}?download=1")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="photo.jpg"'


def test_a_document_with_a_danish_file_name_is_served(client, editor):
    document = add_document(editor, make_release(), b"%PDF-1.7 x", "Årsrapport på dansk.pdf")
    assert document.file.name.endswith("/Årsrapport_på_dansk.pdf")
    response = client.get(document.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_media_of_an_unpublished_release_disappears(client, editor):
    release = make_release()
    image = add_image(editor, release)
    assert client.get(image.image.url).status_code == 200
    Release.objects.filter(pk=release.pk).update(status=Status.UNPUBLISHED)
    assert client.get(image.image.url).status_code == 404


def test_files_that_belong_to_no_image_or_document_are_not_served(client, editor, settings):
    release = make_release()
    image = add_image(editor, release)
    stray = default_storage.save(
        f"releases/{release.pk}/images/left-over.jpg", BytesIO(make_photo(gps=False))
    )
    assert client.get(f"/media/{stray}").status_code == 404
    # Another release's folder does not make a file of this release public.
    other = make_release(status=Status.DRAFT)
    hidden = add_image(editor, other, name="secret.jpg")
    moved = hidden.image.name.replace(f"releases/{other.pk}/", f"releases/{release.pk}/")
    assert client.get(f"/media/{moved}").status_code == 404
    assert client.get(image.image.url).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/media/../pressroom/settings.py",
        "/media/profile/../../pressroom/settings.py",
        "/media/profile/%2e%2e/releases/{draft}",
        "/media/profile/..%2freleases/{draft}",
        "/media/profile//etc/passwd",
        "/media//etc/passwd",
        "/media/profile/..\\..\\manage.py",
        "/media/releases/{public_id}/images/../../{draft_id}/images/photo.jpg",
    ],
)
def test_paths_outside_the_media_folder_or_around_the_rules_are_refused(client, editor, path):
    draft = make_release(status=Status.DRAFT)
    public = make_release()
    draft_image = add_image(editor, draft)
    add_image(editor, public)
    url = path.format(draft=draft_image.image.name, draft_id=draft.pk, public_id=public.pk)
    assert client.get(url).status_code == 404


def test_the_pressroom_logo_is_public(client, profile):
    buffer = BytesIO()
    Image.new("RGB", (40, 40), "navy").save(buffer, "PNG")
    PressroomProfile.objects.filter(pk=1).update(
        logo=default_storage.save("profile/logo.png", BytesIO(buffer.getvalue()))
    )
    response = client.get("/media/profile/logo.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=5, s-maxage=5, stale-while-revalidate=4"
    assert client.get("/media/profile/missing.png").status_code == 404


def test_changing_media_through_the_media_url_is_not_allowed(client, editor):
    image = add_image(editor, make_release())
    assert client.post(image.image.url).status_code == 405


# Markup


@pytest.fixture
def release_with_media(editor):
    release = make_release("NATO handover", title_da="NATO-overdragelse")
    add_image(
        editor,
        release,
        make_photo(2000, 1000),
        is_lead=True,
        caption_en="The handover in Baghdad.",
        caption_da="Overdragelsen i Bagdad.",
        credit_en="Photo: Ministry of Defence",
        credit_da="Foto: Forsvarsministeriet",
    )
    add_document(editor, release, b"%PDF-1.7\n" + b"x" * 150_000, "fact-sheet.pdf")
    return release


def test_the_images_include_renders_a_picture_with_sources_caption_and_download_link(
    release_with_media, django_assert_num_queries
):
    release = Release.objects.prefetch_related(
        Prefetch("images", queryset=ReleaseImage.objects.select_related("licence"))
    ).get(pk=release_with_media.pk)
    image = release.images.all()[0]
    folder = f"/media/releases/{release.pk}/images"
    with translation.override("en"), django_assert_num_queries(0):
        html = render_to_string("releases/includes/images.html", {"images": release.images.all()})
    sizes = 'sizes="(min-width: 46rem) 44rem, calc(100vw - 2rem)"'
    assert (
        f'<source type="image/webp" srcset="{folder}/photo-480.webp 480w, '
        f'{folder}/photo-960.webp 960w, {folder}/photo-1600.webp 1600w" {sizes}>'
    ) in html
    assert (
        f'<source type="image/jpeg" srcset="{folder}/photo-480.jpg 480w, '
        f'{folder}/photo-960.jpg 960w, {folder}/photo-1600.jpg 1600w" {sizes}>'
    ) in html
    assert (
        f'<img src="{folder}/photo-960.jpg" alt="Soldiers at the ceremony" width="2000" '
        'height="1000">'
    ) in html
    assert (
        '<p class="caption">The handover in Baghdad.</p>\n'
        '    <p class="credit">Photo: Ministry of Defence</p>'
    ) in html
    assert (
        '<p class="credit"><span class="licence">Licence: '
        "<span>Free for editorial use with credit</span></span>"
    ) in html
    assert (
        f'<p><a class="download" href="/en/media/images/{image.pk}/original/" download>'
        "Download the original image (2000 × 1000 pixels)</a></p>"
    ) in html

    with translation.override("da"):
        html = render_to_string("releases/includes/images.html", {"images": release.images.all()})
    assert 'alt="Soldater ved ceremonien"' in html
    assert '<p class="credit">Foto: Forsvarsministeriet</p>' in html
    assert "Hent originalbilledet (2000 × 1000 pixels)</a>" in html


def test_the_images_include_adds_no_query_per_image(editor, django_assert_num_queries):
    release = make_release()
    for number in range(3):
        add_image(editor, release, make_photo(600, 300), f"photo-{number}.jpg", order=str(number))
    release = Release.objects.prefetch_related(
        Prefetch("images", queryset=ReleaseImage.objects.select_related("licence"))
    ).get(pk=release.pk)
    with django_assert_num_queries(0):
        html = render_to_string("releases/includes/images.html", {"images": release.images.all()})
    assert html.count("<figure") == 3
    assert html.count('loading="lazy"') == 2


def test_the_documents_include_lists_title_type_and_size(
    release_with_media, django_assert_num_queries
):
    release = Release.objects.prefetch_related("documents").get(pk=release_with_media.pk)
    document = release.documents.all()[0]
    with translation.override("en"), django_assert_num_queries(0):
        html = render_to_string(
            "releases/includes/documents.html", {"documents": release.documents.all()}
        )
    assert '<h2 id="release-documents">Documents</h2>' in html
    assert (
        f'<li><a href="/media/{document.file.name}">Fact sheet</a> '
        '<span class="meta">(PDF, 146.5\xa0KB)</span></li>'
    ) in html
    with translation.override("da"):
        html = render_to_string(
            "releases/includes/documents.html", {"documents": release.documents.all()}
        )
    assert '<h2 id="release-documents">Dokumenter</h2>' in html
    assert '>Faktaark</a> <span class="meta">(PDF, 146,5\xa0KB)</span>' in html


def test_without_images_or_documents_the_includes_render_nothing():
    assert render_to_string("releases/includes/images.html", {"images": []}).strip() == ""
    assert render_to_string("releases/includes/documents.html", {"documents": []}).strip() == ""


def test_the_release_page_shows_its_images_and_documents(client, release_with_media):
    html = client.get(release_with_media.get_absolute_url()).content.decode()
    assert html.count("<figure") == 1
    assert 'alt="Soldiers at the ceremony"' in html
    assert ">Fact sheet</a>" in html
    assert html.count("<h1") == 1


def test_the_release_admin_page_offers_image_and_document_uploads(client, editor):
    release = make_release(status=Status.DRAFT)
    add_image(editor, release, make_photo(2000, 1000))
    sign_in(client, editor)
    response = client.get(f"/admin/releases/release/{release.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="images-0-image"' in html
    assert 'name="images-0-alt_da"' in html
    assert 'name="documents-TOTAL_FORMS"' in html
    thumbnail = f"/media/releases/{release.pk}/images/photo-480.jpg"
    assert f'<img src="{thumbnail}" alt="" width="240"><br>2000 × 1000 pixels' in html


def test_a_public_file_answers_304_while_unchanged_and_never_once_unpublished(client, editor):
    release = make_release()
    image = add_image(editor, release)
    url = image.image.url
    first = client.get(url)
    etag = first["ETag"]
    assert first["Last-Modified"].endswith(" GMT")
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "public, max-age=5, s-maxage=5, stale-while-revalidate=4"
    Release.objects.filter(pk=release.pk).update(status=Status.UNPUBLISHED)
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 404


def test_behind_nginx_a_checked_file_is_handed_to_nginx_and_an_embargoed_one_is_not(
    client, editor, settings
):
    settings.MEDIA_ACCEL_REDIRECT = True
    release = make_release()
    image = add_image(editor, release)
    response = client.get(image.image.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_protected-media/{image.image.name}"
    assert response["Content-Type"] == "image/jpeg"
    assert response.content == b""
    Release.objects.filter(pk=release.pk).update(status=Status.UNPUBLISHED)
    refused = client.get(image.image.url)
    assert refused.status_code == 404
    assert "X-Accel-Redirect" not in refused
