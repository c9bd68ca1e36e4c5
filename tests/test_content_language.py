"""Every part of every public page is marked with the language it is written in (WCAG 3.1.2).

Content written in one language only is shown on the other language's pages. Each
text node's effective language (its nearest ``lang``) must be the language of the
field it came from, and the page's own labels must be in the page's language.
"""

import datetime
import io
import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from core.models import PressroomProfile, default_licence
from missions.models import (
    CommandPeriod,
    Contribution,
    Figure,
    LegalBasis,
    LegalBasisKind,
    Mission,
    Organisation,
)
from releases.models import (
    Correction,
    PressContact,
    Quote,
    Release,
    ReleaseContact,
    ReleaseDocument,
    ReleaseImage,
    ReleaseKind,
    Status,
    Topic,
)

# Text that is the same in every language: names, numbers, addresses.
NEUTRAL = ["Jeppe Kofod", "Kofod", "Anna Berg", "+45 33 92 00 00", "anna@um.example", "NMI", "NATO"]
VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
NATIVE_NAMES = {"en": "English", "da": "Dansk"}


def marker(code):
    return f"Zq{code}"


def one_language(code, **fields):
    """The translated ``fields`` written in ``code`` only, each with the marker of ``code``."""
    other = "da" if code == "en" else "en"
    values = {}
    for name, text in fields.items():
        values[f"{name}_{code}"] = f"{marker(code)} {text}"
        values[f"{name}_{other}"] = ""
    return values


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#335577").save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def content_in(code):
    """A pressroom whose every translated text is written in ``code`` only."""
    PressroomProfile.objects.create(
        pk=1,
        **one_language(code, title="Pressroom", organisation="Ministry", about="About us"),
        address="Asiatisk Plads 2",
        phone="+45 33 92 00 00",
    )
    topic = Topic.objects.create(**one_language(code, name="Topic"), slug_en="t", slug_da="t")
    organisation = Organisation.objects.create(acronym="NATO", **one_language(code, name="Org"))
    mission = Mission.objects.create(
        slug="nmi",
        acronym="NMI",
        organisation=organisation,
        host_countries=["IQ"],
        established_on=datetime.date(2018, 7, 1),
        image=png(),
        image_licence_id=default_licence(),
        **one_language(
            code,
            name="Mission",
            summary="Summary",
            description="Description",
            image_alt="Alt",
            image_caption="Caption",
            image_credit="Credit",
        ),
    )
    basis = LegalBasis.objects.create(
        mission=mission, kind=LegalBasisKind.ALLIANCE_DECISION, **one_language(code, title="Basis")
    )
    CommandPeriod.objects.create(
        mission=mission,
        lead_nation="DK",
        commander_name="Anna Berg",
        started_on=datetime.date(2020, 11, 1),
        **one_language(code, commander_rank="Rank"),
    )
    contribution = Contribution.objects.create(
        mission=mission,
        kind="force-protection",
        mandate=basis,
        started_on=datetime.date(2021, 1, 1),
        **one_language(code, description="Contribution"),
    )
    Figure.objects.create(
        contribution=contribution,
        value=40,
        dated_on=timezone.localdate(),
        **one_language(code, source="Source"),
    )
    contact = PressContact.objects.create(
        name="Anna Berg",
        phone="+45 33 92 00 00",
        email="anna@um.example",
        **one_language(code, title="Adviser", organisation="Ministry"),
    )
    start = timezone.now() + datetime.timedelta(days=3)
    release = Release.objects.create(
        status=Status.PUBLISHED,
        published_at=timezone.now() - datetime.timedelta(hours=1),
        kind=ReleaseKind.PRESS_INVITATION,
        event_start=start,
        **{f"slug_{code}": "release"},
        **one_language(
            code,
            title="Title",
            lead="Lead",
            body="Body",
            dateline="Dateline",
            event_location="Place",
        ),
    )
    release.topics.add(topic)
    release.missions.add(mission)
    ReleaseContact.objects.create(release=release, contact=contact)
    Quote.objects.create(
        release=release, speaker="Jeppe Kofod", **one_language(code, role="Role", text="Quote")
    )
    ReleaseImage.objects.create(
        release=release,
        image="releases/photo.jpg",
        width=40,
        height=30,
        **one_language(code, alt="Alt", caption="Caption", credit="Credit"),
    )
    ReleaseDocument.objects.create(
        release=release, file="releases/fact.pdf", **one_language(code, title="Document")
    )
    Correction.objects.create(release=release, **one_language(code, text="Correction"))
    Release.objects.create(
        status=Status.WITHDRAWN,
        published_at=timezone.now() - datetime.timedelta(hours=2),
        **{f"slug_{code}": "withdrawn"},
        **one_language(code, title="Withdrawn", lead="Lead", withdrawn_reason="Reason"),
    )
    return {"release": release, "mission": mission}


class _Texts(HTMLParser):
    """Each text node and each alt text of <body>, with the language in effect there."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.texts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang") or (self.stack[-1][1] if self.stack else None)
        if tag == "img" and attrs.get("alt"):
            self.texts.append((lang, attrs["alt"], tag))
        if tag in ("script", "style", "head"):
            self.skip += 1
        if tag not in VOID:
            self.stack.append((tag, lang))

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self.skip -= 1
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self.skip and data.strip():
            tag = self.stack[-1][0] if self.stack else ""
            self.texts.append((self.stack[-1][1] if self.stack else None, data.strip(), tag))


def wrongly_marked(html, page_language, content_language):
    parser = _Texts()
    parser.feed(html)
    wrong = []
    for lang, text, tag in parser.texts:
        if marker(content_language) in text:
            if lang != content_language:
                wrong.append(f"content in {lang}: <{tag}> {text[:60]}")
            continue
        words = text
        for neutral in NEUTRAL:
            words = words.replace(neutral, "")
        if not re.search(r"[^\W\d_]{2}", words):
            continue
        if lang != page_language and text != NATIVE_NAMES.get(lang):
            wrong.append(f"label in {lang}: <{tag}> {text[:60]}")
    return wrong


@pytest.mark.parametrize(("page_language", "content_language"), [("da", "en"), ("en", "da")])
def test_every_text_on_every_public_page_is_marked_with_its_own_language(
    client, db, settings, tmp_path, page_language, content_language
):
    made = content_in(content_language)
    with translation.override(page_language):
        urls = [
            reverse("home"),
            reverse("about"),
            reverse("releases:list"),
            reverse("releases:search") + "?q=Kofod",
            reverse("releases:contacts"),
            made["release"].get_absolute_url(),
            reverse("releases:detail", args=["withdrawn"]),
            reverse("missions:list"),
            made["mission"].get_absolute_url(),
            reverse("subscriptions:subscribe"),
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert marker(content_language) in page, url
        assert f'<html lang="{page_language}">' in page
        assert wrongly_marked(page, page_language, content_language) == [], url
