"""The seed release's page has every element of the seed page."""

import re

import pytest
from django.utils import translation

from pressroom import demo
from releases.models import Release, ReleaseImage
from tests.conftest import make_release


@pytest.fixture
def handover(db):
    demo.load()
    return Release.objects.get(slug_en="denmark-hands-over-command-of-nato-mission-iraq-to-italy")


def english(release):
    with translation.override("en"):
        return release.get_absolute_url()


def section(page, heading_id):
    """The HTML of the section labelled by ``heading_id``."""
    start = page.index(f'aria-labelledby="{heading_id}"')
    return page[start : page.index("</section>", start)]


def test_every_release_page_lists_the_latest_releases_whatever_their_topic(client, handover):
    page = client.get(english(handover)).content.decode()
    latest = section(page, "latest-heading")
    assert "Latest releases from the Ministry of Foreign Affairs of Denmark</h2>" in latest
    titles = re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', latest)
    assert titles == [
        "Denmark sends new humanitarian aid package to the civilian population in Gaza",
        "New reconstruction package ensuring heat for Ukrainians",
    ]
    assert '9.11.2023 17:08:02 CET</time> | <span class="label">News</span>' in latest
    assert "Related releases" not in page  # every related release is among the latest already


def test_related_releases_follow_the_latest_without_repeating_them(client, handover):
    topic = handover.topics.get(slug_en="security-policy")
    older = make_release("An older security release", published_at=handover.published_at)
    older.topics.add(topic)
    for index in range(3):
        make_release(f"Newer release {index}")
    page = client.get(english(handover)).content.decode()
    latest, related = section(page, "latest-heading"), section(page, "related-heading")
    assert "Newer release 0" in latest and "An older security release" in related
    assert "Newer release" not in related
    assert page.index('id="latest-heading"') < page.index('id="related-heading"')


def test_the_fact_box_holds_the_seed_paragraphs(client, handover):
    page = client.get(english(handover)).content.decode()
    box = page[page.index('<aside class="box fact-box"') : page.index("</aside>")]
    text = box[box.index('<div class="fact-text">') : box.index("</div>")]
    paragraphs = re.findall(r"<p>(.*?)</p>", text, re.S)
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("NMI is a non-combat mission responsible for providing")
    assert paragraphs[1].startswith("Denmark will continue to contribute significantly to NMI")
    assert paragraphs[2].startswith("The military effort complements a broader framework")
    assert (
        '<p class="meta">Conducted by North Atlantic Treaty Organization | Non-combat mission</p>'
    ) in box


def test_contacts_show_name_role_organisation_phone_and_email(client, handover):
    with translation.override("da"):
        page = client.get(handover.get_absolute_url()).content.decode()
    contacts = section(page, "contacts-heading")
    assert (
        '<p class="fn"><strong>Mette Holm</strong></p>\n  <p>Presserådgiver, '
        "Udenrigsministeriet</p>\n  <p>Telefon: "
        '<a href="tel:+4561979247">+45 61 97 92 47</a></p>\n  <p>E-mail: '
        '<a href="mailto:mette.holm@um.example">mette.holm@um.example</a></p>'
    ) in contacts
    assert "<strong>Søren Lund</strong>" in contacts and "+45 72 81 04 00" in contacts


def test_caption_and_credit_are_separate_paragraphs(client, handover):
    ReleaseImage.objects.create(
        release=handover,
        image="releases/photo.jpg",
        width=40,
        height=30,
        alt_en="Soldiers at a ceremony",
        caption_en="The handover ceremony in Baghdad",
        credit_en="Photo: Ministry of Defence",
    )
    page = client.get(english(handover)).content.decode()
    assert (
        '<p class="caption">The handover ceremony in Baghdad</p>\n'
        '    <p class="credit">Photo: Ministry of Defence</p>'
    ) in page
