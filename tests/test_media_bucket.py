"""Uploads on S3-compatible object storage, against a real S3 server on this machine.

The server is moto's standalone one, speaking the S3 HTTP API on a loopback port; the
pressroom talks to it through django-storages and boto3 exactly as it would to a bucket
elsewhere. The embargo must hold there too: the bucket itself answers nobody without a
signature, and the application signs an address only for a reader who may see the file.
"""

import datetime
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from io import BytesIO
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from releases import media
from releases.models import Release, Status
from tests.conftest import add_document, add_image, make_release, sign_in

BUCKET = "pressroom-media"


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """A standalone S3 server on a free loopback port, with an empty private bucket."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        yield endpoint
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """The pressroom's uploads in a fresh bucket, as MEDIA_STORAGE_URL would set them."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "pressroom-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "pressroom-test-secret")
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "core.storage.MediaBucketStorage",
            "OPTIONS": _options(
                f"s3://{BUCKET}/uploads?endpoint_url={s3_endpoint}&region_name=us-east-1"
            ),
        },
    }
    yield client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _options(url):
    from pressroom.settings import media_bucket_options

    return media_bucket_options(url)


def keys(client):
    listing = client.list_objects_v2(Bucket=BUCKET)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def fetch(url):
    """GET ``url`` as a browser on another machine would: status, headers and body."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_media_storage_url_names_bucket_folder_server_and_keys():
    assert _options(
        "s3://KEY:se%2Fcret@press-files/uploads/?endpoint_url=https://s3.example.org"
        "&region_name=eu-north-1&addressing_style=path"
    ) == {
        "bucket_name": "press-files",
        "location": "uploads",
        "endpoint_url": "https://s3.example.org",
        "region_name": "eu-north-1",
        "addressing_style": "path",
        "access_key": "KEY",
        "secret_key": "se/cret",
    }
    assert _options("s3://press-files") == {"bucket_name": "press-files"}


@pytest.mark.parametrize("url", ["https://press-files", "s3:///folder", "press-files"])
def test_a_media_storage_url_that_names_no_bucket_is_refused(url):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="MEDIA_STORAGE_URL"):
        _options(url)


def test_an_upload_and_its_renditions_are_stored_in_the_bucket_and_linked_through_the_app(
    bucket, editor, settings
):
    release = make_release(status=Status.DRAFT)
    image = add_image(editor, release)
    names = media.image_files(image)
    assert len(names) == 3  # the original, and one width in WebP and JPEG
    assert keys(bucket) == sorted(f"uploads/{name}" for name in names)
    assert not settings.MEDIA_ROOT.exists()
    # Pages link to the application's address, which checks before it redirects.
    assert image.image.url == f"/media/{image.image.name}"
    with default_storage.open(names[1], "rb") as rendition:
        assert Image.open(BytesIO(rendition.read())).width == 480
    # A second upload of the same name keeps the first file.
    second = add_image(editor, release)
    assert second.image.name != image.image.name
    assert f"uploads/{image.image.name}" in keys(bucket)


def test_a_public_release_file_redirects_to_a_short_lived_signed_address_that_works(
    client, bucket, editor, settings
):
    release = make_release()
    image = add_image(editor, release)
    stored = bucket.get_object(Bucket=BUCKET, Key=f"uploads/{image.image.name}")["Body"].read()
    for name in media.image_files(image):
        response = client.get(f"/media/{name}")
        assert response.status_code == 302, name
        assert response["Cache-Control"] == "public, max-age=5, s-maxage=5"
        target = urlsplit(response["Location"])
        assert target.path == f"/{BUCKET}/uploads/{name}"
        query = parse_qs(target.query)
        assert query["X-Amz-Expires"] == [str(settings.MEDIA_SIGNED_URL_SECONDS)]
        assert "X-Amz-Signature" in query
        status, headers, body = fetch(response["Location"])
        assert status == 200, name
        if name == image.image.name:
            assert body == stored
            assert headers["Content-Type"] == "image/jpeg"
        assert Image.open(BytesIO(body)).format in ("JPEG", "WEBP")

    download = client.get(f"{image.image.url}?download=1")
    status, headers, _body = fetch(download["Location"])
    assert status == 200
    assert headers["Content-Disposition"] == 'attachment; filename="photo.jpg"'


def test_the_bucket_answers_nobody_without_a_signature(client, bucket, s3_endpoint, editor):
    image = add_image(editor, make_release())
    assert fetch(f"{s3_endpoint}/{BUCKET}/uploads/{image.image.name}")[0] == 403


def test_an_embargoed_release_file_is_refused_by_the_app_and_by_the_bucket(
    client, bucket, s3_endpoint, editor, outsider
):
    release = make_release(
        status=Status.SCHEDULED, published_at=timezone.now() + datetime.timedelta(hours=2)
    )
    image = add_image(editor, release)
    document = add_document(editor, release, b"%PDF-1.7 embargoed", "embargoed.pdf")
    names = [*media.image_files(image), document.file.name]
    for name in names:
        response = client.get(f"/media/{name}")
        assert response.status_code == 404, name
        assert "Location" not in response
        assert fetch(f"{s3_endpoint}/{BUCKET}/uploads/{name}")[0] == 403
    sign_in(client, outsider)
    assert all(client.get(f"/media/{name}").status_code == 404 for name in names)

    # Staff preview: a signed address, which no one may keep.
    sign_in(client, editor)
    response = client.get(f"/media/{document.file.name}")
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    assert fetch(response["Location"])[2] == b"%PDF-1.7 embargoed"
    client.logout()

    Release.objects.filter(pk=release.pk).update(
        published_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = client.get(f"/media/{document.file.name}")
    assert response.status_code == 302
    assert fetch(response["Location"])[2] == b"%PDF-1.7 embargoed"


def test_an_unpublished_release_file_is_refused_and_a_signed_address_lapses(
    client, bucket, editor, settings
):
    release = make_release()
    image = add_image(editor, release)
    signed = client.get(image.image.url)["Location"]
    Release.objects.filter(pk=release.pk).update(status=Status.UNPUBLISHED)
    assert client.get(image.image.url).status_code == 404
    # An address signed before the unpublishing lasts only its short life (the real
    # S3 refuses it afterwards; the local test server does not check the time).
    query = parse_qs(urlsplit(signed).query)
    assert query["X-Amz-Expires"] == [str(settings.MEDIA_SIGNED_URL_SECONDS)]
    signed_at = datetime.datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ")
    assert abs(signed_at.replace(tzinfo=datetime.UTC) - timezone.now()).total_seconds() < 60


def test_with_media_storage_url_set_a_started_pressroom_stores_uploads_in_the_bucket(
    s3_endpoint,
):
    environment = {
        **os.environ,
        "MEDIA_STORAGE_URL": f"s3://k:s@{BUCKET}/uploads?endpoint_url={s3_endpoint}",
    }
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.core.files.storage import storages; s = storages['default'];"
            "print(type(s).__name__, s.bucket_name, s.location, s.url('a b.jpg'))",
        ],
        cwd=django_settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "MediaBucketStorage",
        BUCKET,
        "uploads",
        "/media/a%20b.jpg",
    ]
