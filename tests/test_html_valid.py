"""Every public page is valid HTML by the Nu HTML Checker, in both languages.

The checker is the ``vnu-jar`` package from the npm registry, run with Java. It is
found at ``VNU_JAR``, else under ``var/vnu/`` where ``.ci/run`` installs it with
``npm install --prefix var/vnu vnu-jar``; without it or without Java the test skips.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from pressroom import demo
from releases.models import Release, Status

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = Path(
    os.environ.get("VNU_JAR") or ROOT / "var/vnu/node_modules/vnu-jar/build/dist/vnu.jar"
)


@pytest.fixture(scope="module")
def checker():
    java = shutil.which("java")
    if not java or not VNU_JAR.exists():
        pytest.skip(
            "No Nu HTML Checker: install Java and run "
            "`npm install --prefix var/vnu vnu-jar` (or set VNU_JAR)."
        )

    def check(files):
        result = subprocess.run(
            [java, "-jar", str(VNU_JAR), "--format", "json", "--stdout", *map(str, files)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        messages = json.loads(result.stdout)["messages"]
        return [
            f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}"
            for m in messages
            if m["type"] == "error"
        ]

    return check


def test_every_public_page_has_no_html_errors_after_publish_now(client, db, tmp_path, checker):
    demo.load()
    officer = get_user_model().objects.get(username="officer")
    editor = get_user_model().objects.get(username="editor")
    fresh = Release.objects.create(
        status=Status.DRAFT,
        title_en="Fresh release & news",
        slug_en="fresh-release",
        lead_en="A lead.",
        body_en="<p>Body with <strong>bold</strong> and <a href='https://um.dk'>a link</a>.</p>",
    )
    fresh.submit(by=officer)
    fresh.publish(by=editor)
    seed = Release.objects.get(slug_en__startswith="denmark-hands-over")
    files = []
    for language in ("en", "da"):
        with translation.override(language):
            urls = [
                reverse("home"),
                reverse("about"),
                reverse("releases:list"),
                reverse("releases:list") + "?topic=nope",
                reverse("releases:search") + "?q=NATO+Itlay",
                reverse("releases:contacts"),
                reverse("library:list"),
                reverse("library:list") + "?type=image",
                fresh.get_absolute_url(),
                seed.get_absolute_url(),
                reverse("missions:list"),
                reverse("missions:detail", args=["nato-mission-iraq"]),
                reverse("subscriptions:subscribe"),
                reverse("home") + "no-such-page/",
            ]
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 404), url
            path = tmp_path / f"{len(files):02d}-{url.strip('/').replace('/', '_')[:60]}.html"
            path.write_bytes(response.content)
            files.append(path)
    assert len(files) == 28
    assert checker(files) == []
