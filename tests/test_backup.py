"""A backup of the demo, restored into an empty database on the same server, answers the same."""

import io
import json
import os
import re
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from pressroom import backup
from releases.models import Release
from tests.conftest import add_image, database_environment

# A fresh process on the given database and media folder: each page's status and body.
READ_PAGES = textwrap.dedent(
    """
    import hashlib, json, re, sys
    import django
    django.setup()
    from django.conf import settings
    from django.core.files.storage import default_storage
    from django.test import Client
    from django.test.utils import override_settings

    # Static files from the apps, as in the tests (no collectstatic manifest).
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": static}).enable()

    client = Client()
    answers = {}
    for path in json.loads(sys.argv[1]):
        response = client.get(path)
        body = b"".join(response) if response.streaming else response.content
        # A form's CSRF token differs on every answer; nothing else may.
        body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", body)
        answers[path] = [response.status_code, hashlib.sha256(body).hexdigest()]
    files = {}
    folders = [""]
    while folders:
        folder = folders.pop()
        subfolders, names = default_storage.listdir(folder)
        folders += [f"{folder}{name}/" for name in subfolders]
        for name in names:
            with default_storage.open(folder + name, "rb") as file:
                files[folder + name] = hashlib.sha256(file.read()).hexdigest()
    print(json.dumps({"answers": answers, "files": files}))
    """
)


def _read_pages(database_name, media_root, paths):
    env = {
        **os.environ,
        **database_environment(database_name),
        "DJANGO_SETTINGS_MODULE": "pressroom.settings",
        "MEDIA_ROOT": str(media_root),
        "ALLOWED_HOSTS": "testserver",
        "SITE_URL": "http://testserver",
    }
    result = subprocess.run(
        [sys.executable, "-c", READ_PAGES, json.dumps(paths)],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def second_database():
    name = f"{connection.settings_dict['NAME']}_restored"
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with connection.cursor() as cursor:
        cursor.execute(drop)
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with connection.cursor() as cursor:
        cursor.execute(drop)


def _paths():
    paths = [
        "/en/",
        "/da/",
        "/en/releases/",
        "/da/nyheder/",
        "/en/releases/rss/",
        "/sitemap.xml",
        "/en/missions/",
        "/en/missions/data/figures.csv",
        "/en/missions/data/missions.json",
    ]
    for release in Release.objects.published():
        paths.append(release.get_absolute_url())
        for image in release.images.all():
            paths.append(f"{settings.MEDIA_URL}{image.image.name}")
    return paths


@pytest.mark.django_db(transaction=True)
def test_the_demo_backed_up_and_restored_elsewhere_answers_the_same_pages(
    editor, settings, tmp_path, second_database, monkeypatch
):
    call_command("load_demo", verbosity=0)
    release = Release.objects.published().order_by("pk").first()
    add_image(editor, release)
    paths = _paths()
    assert len(paths) >= 12

    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    manifest = json.loads((tmp_path / "backup" / backup.MANIFEST).read_text())
    assert manifest["media_files"] >= 2  # the image and its rendition

    # The restore names its database by address; the server comes as libpq variables.
    for name, value in database_environment(second_database).items():
        monkeypatch.setenv(name, value)
    restored_media = tmp_path / "restored-media"
    settings.MEDIA_ROOT = restored_media
    call_command(
        "restore",
        str(tmp_path / "backup"),
        database_url=os.environ["DATABASE_URL"],
        stdout=io.StringIO(),
    )

    original = _read_pages(connection.settings_dict["NAME"], tmp_path / "media", paths)
    restored = _read_pages(second_database, restored_media, paths)
    assert {status for status, _body in original["answers"].values()} == {200}
    assert restored["answers"] == original["answers"]
    assert restored["files"] == original["files"]
    assert len(original["files"]) == manifest["media_files"]

    # A restore goes only into an empty database.
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(tmp_path / "backup"), database_url=os.environ["DATABASE_URL"])


def test_the_client_programs_are_of_the_servers_major_version(db):
    folder, major = backup.client_programs()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server = int(cursor.fetchone()[0]) // 10000
    assert major == server
    printed = subprocess.run(
        [str(folder / "pg_restore"), "--version"], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(rf"\b{server}\.\d+", printed)
