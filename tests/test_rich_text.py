"""One allow-list for release bodies: what the toolbar offers is what is saved and shown."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from releases import html
from releases.models import Status
from tests.conftest import form_data, make_release, sign_in

# What the editor writes for each tag its toolbar offers, and how it is stored.
TOOLBAR_OUTPUT = {
    "p": ("<p>A paragraph.</p>", None),
    "strong": ("<p><strong>Bold</strong> text</p>", None),
    "em": ("<p><em>Italic</em> text</p>", None),
    "sub": ("<p>CO<sub>2</sub></p>", None),
    "sup": ("<p>1<sup>st</sup></p>", None),
    "h2": ("<h2>Heading two</h2>", None),
    "h3": ("<h3>Heading three</h3>", None),
    "h4": ("<h4>Heading four</h4>", None),
    "ul": ("<ul><li><p>A bullet</p></li></ul>", None),
    "ol": ('<ol start="3" type="a"><li><p>An item</p></li></ol>', None),
    "li": ("<ol><li><p>First</p></li><li><p>Second</p></li></ol>", None),
    "blockquote": ("<blockquote><p>Quoted</p></blockquote>", None),
    "hr": ("<hr>", None),
    "br": ("<p>Line one<br>line two</p>", None),
    "a": (
        '<p><a href="https://www.um.dk" rel="noopener noreferrer nofollow">The ministry</a></p>',
        '<p><a href="https://www.um.dk" rel="noopener noreferrer">The ministry</a></p>',
    ),
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def save_body(client, release, body, language="da"):
    url = reverse("admin:releases_release_change", args=[release.pk])
    data = form_data(client.get(url))
    data[f"body_{language}"] = body
    return client.post(url, data)


def test_the_toolbar_offers_exactly_the_tags_the_sanitiser_keeps():
    assert set(TOOLBAR_OUTPUT) == html.TAGS
    assert html.EXTENSIONS["Heading"] == {"levels": [2, 3, 4]}
    for dropped in ("Underline", "Strike", "Code", "Table", "Image"):
        assert dropped not in html.EDITOR_CONFIG["extensions"]


def test_the_editor_has_spell_checking_on_in_the_fields_language(client, press_officer):
    release = make_release("Spelling", status=Status.DRAFT)
    sign_in(client, press_officer)
    page = client.get(reverse("admin:releases_release_change", args=[release.pk]))
    textarea = re.search(r'<textarea name="body_da"[^>]*>', page.content.decode())[0]
    assert 'lang="da"' in textarea
    config = json.loads(
        re.search(r'data-django-prose-editor-pressroom="([^"]*)"', textarea)[1].replace(
            "&quot;", '"'
        )
    )
    assert "NoSpellCheck" not in config["extensions"]
    assert config["extensions"]["Heading"] == {"levels": [2, 3, 4]}
    assert "Underline" not in config["extensions"] and "Strike" not in config["extensions"]
    assert config["extensions"]["PressroomText"]["rename"]["h1"] == "h2"


def test_every_toolbar_item_is_saved_as_written_and_shown_on_the_public_page(
    client, press_officer, editor
):
    body = "".join(written for written, _stored in TOOLBAR_OUTPUT.values())
    stored = "".join(stored or written for written, stored in TOOLBAR_OUTPUT.values())
    release = make_release("", title_da="Alt om formatering", status=Status.DRAFT)
    sign_in(client, press_officer)
    assert save_body(client, release, body).status_code == 302
    release.refresh_from_db()
    assert release.body_da == stored

    release.submit(by=press_officer)
    release.publish(by=editor)
    client.logout()
    with translation.override("da"):
        page = client.get(release.get_absolute_url()).content.decode()
    assert f'<div class="body">{stored}</div>' in page
    assert page.count("<h1") == 1


def test_headings_outside_the_outline_keep_their_text_at_the_nearest_level(client, press_officer):
    release = make_release("Headings", status=Status.DRAFT)
    sign_in(client, press_officer)
    save_body(client, release, "<h1>A heading one</h1><h5>A heading five</h5><p>Text</p>", "en")
    release.refresh_from_db()
    assert release.body_en == "<h2>A heading one</h2><h4>A heading five</h4><p>Text</p>"


def test_a_body_stored_another_way_is_mapped_on_the_public_page(client, db):
    release = make_release(
        "Imported", body_en="<h1>Old heading</h1><h6>Small</h6><div>One</div><div>Two</div>"
    )
    page = client.get(release.get_absolute_url()).content.decode()
    assert '<div class="body"><h2>Old heading</h2><h4>Small</h4><p>One</p><p>Two</p></div>' in page
    assert page.count("<h1") == 1


def test_formatting_outside_the_list_is_removed_without_gluing_words():
    assert html.sanitize("<p>An <u>underlined</u> and <s>struck</s> word</p>") == (
        "<p>An underlined and struck word</p>"
    )
    assert html.sanitize("<table><tr><td>Cell one</td><td>Cell two</td></tr></table>") == (
        "<p>Cell one</p><p>Cell two</p>"
    )


def test_pasted_word_html_is_cleaned_to_the_allow_list():
    word = (
        "<html><head><style>p.MsoNormal{margin:0}</style></head><body>"
        "<!--[if gte mso 9]><xml><w:WordDocument>Normal 0 false</w:WordDocument></xml>"
        "<![endif]-->"
        '<h1 style="mso-line-height-rule:exactly">Title in Word</h1>'
        '<p class="MsoNormal"><b><span lang="DA">Fed</span></b> og '
        "<i>kursiv</i><o:p></o:p></p></body></html>"
    )
    assert html.sanitize(word) == (
        "<h2>Title in Word</h2><p><strong>Fed</strong> og <em>kursiv</em></p>"
    )


def test_pasted_google_docs_html_is_cleaned_to_the_allow_list():
    docs = (
        '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1a2b">'
        '<p dir="ltr"><span style="font-weight:700;">Bold</span><span> and </span>'
        '<span style="font-style:italic;">italic</span></p>'
        '<h1 dir="ltr"><span style="font-size:20pt">Heading</span></h1></b>'
    )
    assert html.sanitize(docs) == "<p><strong>Bold</strong> and <em>italic</em></p><h2>Heading</h2>"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("www.um.dk", "https://www.um.dk"),
        ("um.dk/da/nyheder", "https://um.dk/da/nyheder"),
        ("//um.dk", "https://um.dk"),
        ("presse@um.dk", "mailto:presse@um.dk"),
        ("+45 33 92 00 00", "tel:+4533920000"),
        ("/da/nyheder/", "/da/nyheder/"),
        ("https://www.um.dk", "https://www.um.dk"),
    ],
)
def test_links_are_normalised_when_saved(client, press_officer, typed, stored):
    release = make_release("Links", status=Status.DRAFT)
    sign_in(client, press_officer)
    response = save_body(client, release, f'<p><a href="{typed}">The link</a></p>', "en")
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.body_en == (f'<p><a href="{stored}" rel="noopener noreferrer">The link</a></p>')


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,hi", "not a link"])
def test_an_unsafe_link_is_refused_with_a_message_and_the_text_is_kept(client, press_officer, link):
    release = make_release("Links", status=Status.DRAFT, body_en="<p>Before</p>")
    sign_in(client, press_officer)
    body = f'<p>Read <a href="{link}">this</a> and more.</p>'
    response = save_body(client, release, body, "en")
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        f"The link “{link}” cannot be used. Links must be web addresses (such as "
        "https://www.um.dk), email addresses or phone numbers."
    ) in page.replace("&quot;", '"')
    assert "Read this and more." in form_data(response)["body_en"].replace("<p>", "").replace(
        "</p>", ""
    )
    release.refresh_from_db()
    assert release.body_en == "<p>Before</p>"


def test_the_refusal_of_a_link_is_in_danish_for_a_danish_editor(client, press_officer):
    release = make_release("Links", status=Status.DRAFT)
    sign_in(client, press_officer)
    url = reverse("admin:releases_release_change", args=[release.pk])
    data = form_data(client.get(url))
    data["body_en"] = '<p><a href="javascript:x()">x</a></p>'
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="da")
    assert "Linket “javascript:x()” kan ikke bruges." in response.content.decode().replace(
        "&quot;", '"'
    )


def test_scripts_and_event_attributes_never_pass():
    dirty = (
        '<p onclick="steal()">Hello <a href="javascript:alert(1)">x</a>'
        "<script>alert(1)</script><style>p{}</style><img src=x onerror=alert(1)></p>"
    )
    assert html.sanitize(dirty) == "<p>Hello x</p>"


def test_a_body_as_plain_text_keeps_headings_lists_quotes_and_link_addresses():
    body = html.sanitize(
        "<h2>Facts</h2><p>See <a href='https://um.dk/x'>the ministry</a>, write to "
        "<a href='mailto:press@um.dk'>press@um.dk</a> or read https://um.dk.</p>"
        "<ol><li><p>First</p><ul><li>Inner</li></ul></li><li>Second</li></ol>"
        "<h3>Said</h3><blockquote><p>One line<br>and the next</p></blockquote><hr><p>End</p>"
    )
    assert html.as_text(body, width=40) == (
        "Facts\n"
        "=====\n"
        "\n"
        "See the ministry <https://um.dk/x>,\n"
        "write to press@um.dk or read\n"
        "https://um.dk.\n"
        "\n"
        "1. First\n"
        "  - Inner\n"
        "2. Second\n"
        "\n"
        "Said\n"
        "----\n"
        "\n"
        "> One line\n"
        "> and the next\n"
        "\n"
        "--------------------\n"
        "\n"
        "End"
    )


def test_links_are_made_absolute_and_headings_lowered_for_email():
    body = html.sanitize('<h2>A</h2><h4>B</h4><p><a href="/en/x/?a=1&amp;b=2">x</a></p>')
    body = html.absolute_links(body, "https://press.example/en/releases/r/")
    assert 'href="https://press.example/en/x/?a=1&amp;b=2"' in body
    assert html.lower_headings(body).startswith("<h3>A</h3><h4>B</h4>")
