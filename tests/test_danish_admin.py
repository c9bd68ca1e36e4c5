"""The Danish admin is Danish where a press officer looks: inline links and the text editor."""

import html
import json
import re

import polib
from django.urls import reverse

from tests.conftest import make_release, sign_in


def inline_add_texts(page):
    return {
        data["options"]["prefix"]: data["options"]["addText"]
        for data in (
            json.loads(html.unescape(match))
            for match in re.findall(r'data-inline-formset="([^"]*)"', page)
        )
    }


def test_inline_add_links_are_written_whole_in_danish(client, editor):
    sign_in(client, editor)
    release = make_release("Published", title_da="Offentliggjort")
    page = client.get(
        reverse("admin:releases_release_change", args=[release.pk]), HTTP_ACCEPT_LANGUAGE="da"
    ).content.decode()
    assert inline_add_texts(page) == {
        "quotes": "Tilføj et citat",
        "release_contacts": "Tilføj en pressekontakt",
        "images": "Tilføj et billede",
        "documents": "Tilføj et dokument",
        "corrections": "Tilføj en rettelse",
        "preview_links": "Tilføj et forhåndsvisningslink",
    }


def test_inline_add_links_read_naturally_in_english(client, editor):
    sign_in(client, editor)
    page = client.get(reverse("admin:releases_release_add")).content.decode()
    assert inline_add_texts(page) == {
        "quotes": "Add a quote",
        "release_contacts": "Add a press contact",
        "images": "Add an image",
        "documents": "Add a document",
    }


def test_the_text_editor_speaks_danish_in_the_danish_admin(client, editor, settings):
    catalogue = polib.pofile(str(settings.BASE_DIR / "locale/da/LC_MESSAGES/djangojs.po"))
    assert [entry.msgid for entry in catalogue if not entry.translated()] == []
    sign_in(client, editor)
    script = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="da").content.decode()
    for english, danish in [
        ("bold", "fed"),
        ("heading 2", "overskrift 2"),
        ("Heading 2", "Overskrift 2"),
        ("Edit Link", "Rediger link"),
        ("insert link", "indsæt link"),
    ]:
        assert f"{json.dumps(english)}: {json.dumps(danish)}" in script


def test_every_inline_that_adds_rows_has_its_own_add_text():
    from django.contrib import admin

    from core.inline_texts import InlineAddTextMixin

    for model_admin in admin.site._registry.values():
        if not isinstance(model_admin, InlineAddTextMixin):
            continue
        for inline in model_admin.inlines:
            if inline.has_add_permission is not admin.options.InlineModelAdmin.has_add_permission:
                continue  # read-only history
            assert getattr(inline, "add_text", None), inline


def test_the_admin_language_is_switched_whatever_the_browser_asks(client, editor):
    english = client.get("/admin/sign-in/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<button type="submit" name="language" value="da" lang="da">Dansk</button>' in english

    response = client.post(
        reverse("admin-language"),
        {"language": "da", "next": "/admin/sign-in/"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302 and response["Location"] == "/admin/sign-in/"
    # Only the admin's addresses receive it: no public page depends on it.
    assert (
        response.cookies["django_language"].value,
        response.cookies["django_language"]["path"],
    ) == (
        "da",
        "/admin/",
    )
    danish = client.get("/admin/sign-in/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="da"' in danish
    assert '<button type="submit" name="language" value="en" lang="en">English</button>' in danish

    sign_in(client, editor)
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="da"' in page and 'value="en" lang="en">English</button>' in page
