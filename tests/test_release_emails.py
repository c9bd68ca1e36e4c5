"""The whole release in the email: body, quotes, lead image and documents, in both parts."""

import datetime
import re
import zoneinfo
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from releases import html as rich_text
from releases.models import PressContact, Quote, ReleaseContact
from subscriptions import delivery, digests, emails
from subscriptions.models import Delivery, Frequency
from tests.conftest import (
    add_document,
    add_image,
    html_part,
    make_release,
    make_subscriber,
    path_of,
    text_part,
)

pytestmark = pytest.mark.usefixtures("cache_table")

BODY_EN = (
    "<h2>What changes</h2>"
    "<p>Denmark hands over command of the mission on <strong>1 December</strong>. "
    'Read <a href="/en/releases/earlier/">the earlier release</a> or '
    '<a href="https://www.nato.int/nmi">the mission’s page</a>.</p>'
    "<ul><li><p>Two hundred soldiers come home</p></li><li><p>Forty stay as advisers</p></li></ul>"
)
BODY_DA = (
    "<h2>Hvad ændrer sig</h2>"
    "<p>Danmark overdrager kommandoen over missionen den <strong>1. december</strong>. "
    'Læs <a href="/da/nyheder/tidligere/">den tidligere nyhed</a>.</p>'
    "<ol><li><p>To hundrede soldater kommer hjem</p></li>"
    "<li><p>Fyrre bliver som rådgivere</p></li></ol>"
)


def words(text):
    """Text with every run of white space one space, as a reader of either part sees it."""
    return " ".join(text.split())


def parts(message):
    """The HTML and the plain text of ``message``, with its lines ending in newlines."""
    return (
        html_part(message).replace("\r\n", "\n"),
        text_part(message).replace("\r\n", "\n"),
    )


@pytest.fixture
def full_release(editor):
    release = make_release(
        "Denmark hands over command",
        title_da="Danmark overdrager kommandoen",
        body_en=BODY_EN,
        body_da=BODY_DA,
    )
    Quote.objects.create(
        release=release,
        speaker="Troels Lund Poulsen",
        role_en="Minister of Defence",
        role_da="Forsvarsminister",
        text_en="Our soldiers have done a remarkable job.",
        text_da="Vores soldater har gjort et bemærkelsesværdigt stykke arbejde.",
    )
    add_image(
        editor,
        release,
        is_lead=True,
        caption_en="The ceremony in Baghdad",
        caption_da="Ceremonien i Bagdad",
        credit_en="Photo: Ministry of Defence",
        credit_da="Foto: Forsvarsministeriet",
    )
    add_document(editor, release, b"%PDF-1.7\n" + b"x" * 200, "facts.pdf")
    contact = PressContact.objects.create(name="Press duty", phone="+45 33 92 00 00")
    ReleaseContact.objects.create(release=release, contact=contact)
    return release


def test_a_release_email_carries_the_whole_release_in_both_parts_and_languages(
    client, profile, smtp, full_release
):
    make_subscriber("en@example.org", language="en")
    make_subscriber("da@example.org", language="da")
    image = full_release.images.get()
    document = full_release.documents.get()

    delivery.release_went_live(full_release)
    assert delivery.send_due() == 2

    [en] = smtp.to("en@example.org")
    html, text = parts(en)
    image_url = f"http://testserver{image.image.url}"
    assert words(
        "<h2>What changes</h2><p>Denmark hands over command of the mission on "
        "<strong>1 December</strong>. Read "
        '<a href="http://testserver/en/releases/earlier/" rel="noopener noreferrer">'
        "the earlier release</a>"
    ) in words(html)
    assert "<li><p>Two hundred soldiers come home</p></li>" in html
    assert (
        '<blockquote style="margin:0"><p>Our soldiers have done a remarkable job.</p>'
        "</blockquote>\n"
        '<figcaption style="font-weight:bold">– Troels Lund Poulsen, Minister of Defence'
        "</figcaption>"
    ) in html
    assert re.search(
        rf'<a href="{image_url}"><img src="http://testserver/media/\S+\.jpg" '
        r'alt="Soldiers at the ceremony" width="480" height="240"',
        html,
    )
    assert "The ceremony in Baghdad</span> <span>Photo: Ministry of Defence</span>" in html
    original_url = f"http://testserver/en/media/images/{image.pk}/original/"
    assert f'href="{original_url}"' in html
    assert "Licence: <span>Free for editorial use with credit</span>" in html
    assert (
        f'<a href="http://testserver{document.file.url}" style="color:#0b4a86">Fact sheet</a>'
        in html
    )
    assert (
        "What changes\n============\n\nDenmark hands over command of the mission on 1 December."
        in text
    )
    assert "the earlier release <http://testserver/en/releases/earlier/>" in words(text)
    assert "the mission’s page <https://www.nato.int/nmi>" in words(text)
    assert "- Two hundred soldiers come home\n- Forty stay as advisers" in text
    assert (
        "> Our soldiers have done a remarkable job.\n– Troels Lund Poulsen, Minister of Defence"
        in text
    )
    assert (
        "Image: Soldiers at the ceremony\nThe ceremony in Baghdad Photo: Ministry of Defence\n"
        in text
    )
    assert "Defence\nLicence: Free for editorial use with credit\n" in text
    assert f"Download the original image (640 × 320 pixels): {original_url}" in text
    assert f"- Fact sheet (PDF, 209\xa0bytes): http://testserver{document.file.url}" in text
    assert "Press duty" in text  # the contacts and the footer are still there
    assert "You get this email because en@example.org subscribed" in text
    assert client.get(path_of(image_url)).status_code == 200

    [da] = smtp.to("da@example.org")
    html, text = parts(da)
    assert words(
        "<h2>Hvad ændrer sig</h2><p>Danmark overdrager kommandoen over missionen den "
        "<strong>1. december</strong>."
    ) in words(html)
    assert "Vores soldater har gjort et bemærkelsesværdigt stykke arbejde." in html
    assert "– Troels Lund Poulsen, Forsvarsminister</figcaption>" in html
    assert 'alt="Soldater ved ceremonien"' in html
    assert "Ceremonien i Bagdad</span> <span>Foto: Forsvarsministeriet</span>" in html
    assert ">Faktaark</a>" in html
    assert "Hvad ændrer sig\n===============" in text
    assert "den tidligere nyhed <http://testserver/da/nyheder/tidligere/>" in words(text)
    assert "1. To hundrede soldater kommer hjem\n2. Fyrre bliver som rådgivere" in text
    assert "> Vores soldater har gjort et bemærkelsesværdigt stykke arbejde." in text
    assert "– Troels Lund Poulsen, Forsvarsminister" in text
    assert "Billede: Soldater ved ceremonien\nCeremonien i Bagdad Foto: Forsvarsministeriet" in text
    assert (
        "Hent originalbilledet (640 × 320 pixels): "
        f"http://testserver/da/medier/billeder/{image.pk}/original/"
    ) in text
    assert "Licens: Fri til redaktionel brug med kreditering" in text
    assert "Dokumenter:\n- Faktaark (PDF" in text
    assert "Du får denne e-mail, fordi da@example.org abonnerer" in text
    assert da["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_release_in_the_other_language_only_is_sent_whole_and_marked(profile, smtp):
    release = make_release(
        None,
        title_da="Kun på dansk",
        slug_da="kun-dansk",
        body_da="<p>Kun dansk tekst.</p>",
    )
    Quote.objects.create(release=release, speaker="Lars", role_da="Ambassadør", text_da="Godt.")
    make_subscriber("en@example.org", language="en")

    delivery.release_went_live(release)
    delivery.send_due()

    html, text = parts(smtp.messages[0])
    assert '<div lang="da">\n<p>Kun dansk tekst.</p>\n</div>' in html
    assert '<blockquote style="margin:0" lang="da"><p>Godt.</p></blockquote>' in html
    assert '– Lars, <span lang="da">Ambassadør</span></figcaption>' in html
    assert "Kun dansk tekst.\n\n> Godt.\n– Lars, Ambassadør" in text
    assert "Read the release: http://testserver/en/releases/kun-dansk/" in text


def test_a_long_body_keeps_the_prepared_email_and_its_lines_short(profile, smtp):
    paragraph = "<p>" + " ".join(["Denmark keeps its word to its allies."] * 60) + "</p>"
    release = make_release("Long", body_en=paragraph * 3)
    subscriber = make_subscriber("en@example.org")
    context = {
        **emails.release_context(release, "en"),
        "content": emails.release_content(release, "en"),
        **emails.Personal.context(),
    }
    prepared = emails.Prepared(emails.render("release", context, language="en"))
    assert prepared.ok  # the body did not force quoted-printable
    _from, _to, data = prepared.raw(subscriber, emails.subscriber_links(subscriber))
    assert max(len(line) for line in data.split(b"\r\n")) <= 998

    delivery.release_went_live(release)
    delivery.send_due()
    [message] = smtp.messages
    assert words(parts(message)[0]).count(" ".join(["Denmark keeps its word to its allies."] * 60))
    text = parts(message)[1]
    body_lines = [line for line in text.splitlines() if "allies" in line]
    assert len(body_lines) > 3 and max(len(line) for line in body_lines) <= 78
    assert words(text).count(" ".join(["Denmark keeps its word to its allies."] * 60)) == 3


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attributes = set(), set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes |= {name for name, _value in attrs}


# What the email templates themselves write around the release's rich text.
TEMPLATE_TAGS = {"html", "head", "meta", "title", "body", "div", "p", "h1", "h2", "a", "img"}
TEMPLATE_TAGS |= {"span", "br", "strong", "figure", "blockquote", "figcaption", "ul", "li", "hr"}
TEMPLATE_ATTRIBUTES = {"lang", "charset", "name", "content", "style", "role"}
TEMPLATE_ATTRIBUTES |= {"aria-roledescription", "href", "src", "alt", "width", "height"}


def test_nothing_outside_the_allow_list_reaches_the_html(editor, profile, smtp):
    release = make_release(
        "Handover",
        body_en=(
            '<p onclick="steal()" style="color:red" class="x">Kept text</p>'
            "<script>alert('body')</script><iframe src='https://evil.example'></iframe>"
            '<p><a href="javascript:alert(1)">bad link</a> <img src=x onerror="alert(2)"></p>'
            "<table><tr><td>cell</td></tr></table><h1>Big</h1><form action='/x'><input></form>"
        ),
    )
    Quote.objects.create(
        release=release, speaker="<b>Mallory</b>", text_en="<script>alert('quote')</script>"
    )
    add_image(editor, release, alt_en='"><script>alert("alt")</script>')
    make_subscriber("en@example.org")

    delivery.release_went_live(release)
    delivery.send_due()

    html, _text = parts(smtp.messages[0])
    markup = _Markup()
    markup.feed(html)
    assert markup.tags <= TEMPLATE_TAGS | rich_text.TAGS
    assert markup.attributes <= TEMPLATE_ATTRIBUTES | {"rel"}
    for unsafe in ("<script", "onclick", "onerror", "javascript:", "evil.example", "<b>", "<td"):
        assert unsafe not in html
    assert "<p>Kept text</p>" in html
    assert "<h2>Big</h2>" in html
    assert "&lt;b&gt;Mallory&lt;/b&gt;" in html
    assert "&lt;script&gt;alert(&#x27;quote&#x27;)&lt;/script&gt;" in html


COPENHAGEN = zoneinfo.ZoneInfo("Europe/Copenhagen")


def test_a_digest_carries_each_release_whole_and_folds_a_long_one(profile, smtp, settings):
    settings.DIGEST_TIME = "07:00"
    long_body = "<h2>Background</h2>" + "<p>" + "The mission trains Iraqi officers. " * 40 + "</p>"
    short = make_release("Short", body_en="<p>A short note.</p>")
    long = make_release("Long", body_en=long_body)
    Quote.objects.create(release=long, speaker="Lars", role_en="Ambassador", text_en="Well done.")
    make_subscriber("daily@example.org", frequency=Frequency.DAILY)
    delivery.release_went_live(short)
    delivery.release_went_live(long)
    Delivery.objects.update(created_at=datetime.datetime(2026, 11, 20, 15, tzinfo=COPENHAGEN))

    now = datetime.datetime(2026, 11, 21, 7, 1, tzinfo=COPENHAGEN)
    assert digests.send_digests(Frequency.DAILY, now=now) == 1

    [digest] = smtp.messages
    html, text = parts(digest)
    assert html.count("<details>") == 1
    folded = html[html.index("<details>") : html.index("</details>")]
    assert "Read more</summary>" in folded
    assert "<h3>Background</h3>" in folded  # under the item's own <h2>
    assert "The mission trains Iraqi officers." in folded
    assert "– Lars, Ambassador</figcaption>" in folded
    assert "<p>A short note.</p>" in html and "A short note." not in folded
    assert "A short note." in text
    assert "Background\n==========" in text
    assert words(text).count("The mission trains Iraqi officers.") == 40
    assert "> Well done.\n– Lars, Ambassador" in text
    assert text.count("Read the release: http://testserver/en/releases/") == 2


def _queries(run):
    """The queries ``run`` makes, leaving out each delivery's own "sent" mark."""
    with CaptureQueriesContext(connection) as captured:
        run()
    return [q["sql"] for q in captured if "attempts = attempts + 1 WHERE id" not in q["sql"]]


def test_sending_a_release_costs_the_same_queries_for_few_and_many_subscribers(
    profile, smtp, full_release, editor
):
    make_subscriber("en@example.org", language="en")
    make_subscriber("da@example.org", language="da")
    delivery.release_went_live(full_release)
    few = _queries(delivery.send_due)

    for n in range(10):
        make_subscriber(f"reader{n}@example.org", language="da" if n % 2 else "en")
    second = make_release("Second", title_da="Anden", body_en=BODY_EN, body_da=BODY_DA)
    Quote.objects.create(release=second, speaker="Someone", text_en="Words", text_da="Ord")
    add_image(editor, second)
    ReleaseContact.objects.create(release=second, contact=PressContact.objects.get())
    add_document(editor, second, b"%PDF-1.7\n" + b"y" * 200, "more.pdf")
    delivery.release_went_live(second)
    many = _queries(delivery.send_due)

    assert len(smtp.messages) == 2 + 12
    assert len(many) == len(few), "\n".join(many)


def test_a_digest_reads_each_releases_quotes_images_and_documents_once(profile, smtp, full_release):
    for n in range(5):
        make_subscriber(f"d{n}@example.org", frequency=Frequency.DAILY, language="da")
    delivery.release_went_live(full_release)
    Delivery.objects.update(created_at=datetime.datetime(2026, 11, 20, 15, tzinfo=COPENHAGEN))

    sql = _queries(lambda: digests.send_digests(Frequency.DAILY))

    assert len(smtp.messages) == 5
    for table in ("releases_quote", "releases_releaseimage", "releases_releasedocument"):
        assert sum(f'FROM "{table}"' in query for query in sql) == 1, table
