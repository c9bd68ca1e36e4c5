"""Deleting a release or an image removes its stored files, once the deletion is committed."""

import pytest
from django.db import transaction
from django.urls import reverse

from releases import media
from releases.models import Release, ReleaseImage, Status
from tests.conftest import add_document, add_image, make_release, sign_in


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _release_with_files(editor, title="With files"):
    release = make_release(title, status=Status.DRAFT)
    image = add_image(editor, release)
    document = add_document(editor, release, b"%PDF-1.7\n" + b"x" * 200, "facts.pdf")
    release.record_edit(editor)  # a revision that shows both
    names = sorted([*media.image_files(image), document.file.name])
    assert len(names) >= 3  # the original, its renditions and the document
    return release, names


def test_a_deleted_release_leaves_no_file_behind_and_only_after_the_commit(
    editor, settings, django_capture_on_commit_callbacks
):
    release, names = _release_with_files(editor)
    other, kept = _release_with_files(editor, "Another")
    assert stored_files(settings) == sorted([*names, *kept])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        release.delete()
    # Deleted in the database only: a rollback would still find every file.
    assert stored_files(settings) == sorted([*names, *kept])
    for callback in callbacks:
        callback()
    assert stored_files(settings) == kept
    assert other.images.exists()


def test_a_release_deletion_rolled_back_keeps_its_files(
    editor, settings, django_capture_on_commit_callbacks
):
    release, names = _release_with_files(editor)
    pk = release.pk
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        release.delete()
        raise RuntimeError("the deletion fails")
    assert Release.objects.filter(pk=pk).exists()
    assert stored_files(settings) == names


def test_the_admin_deletes_a_release_and_its_files(
    client, editor, settings, django_capture_on_commit_callbacks
):
    release, _names = _release_with_files(editor)
    sign_in(client, editor)
    url = reverse("admin:releases_release_delete", args=[release.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Release.objects.filter(pk=release.pk).exists()
    assert stored_files(settings) == []


def test_an_image_deleted_keeps_its_files_while_a_revision_shows_it(
    editor, settings, django_capture_on_commit_callbacks
):
    release, names = _release_with_files(editor)
    image = release.images.get()
    with django_capture_on_commit_callbacks(execute=True):
        ReleaseImage.objects.filter(pk=image.pk).delete()
    # Restoring the revision would bring the image back: its files stay.
    assert stored_files(settings) == names

    with django_capture_on_commit_callbacks(execute=True):
        release.delete()
    assert stored_files(settings) == []


def test_an_image_never_in_a_revision_is_removed_with_its_renditions(
    editor, settings, django_capture_on_commit_callbacks
):
    release = make_release("Image only", status=Status.DRAFT)
    image = add_image(editor, release)
    assert stored_files(settings) == sorted(media.image_files(image))
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert stored_files(settings) == []
