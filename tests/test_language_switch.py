"""A reader who switches language stays where they were: filters, query, page and feeds."""

import datetime
import re

import feedparser
import pytest
from django.utils import timezone

from missions.models import Mission, Organisation
from releases.models import ReleaseKind, Topic
from tests.conftest import make_release


@pytest.fixture
def filtered(profile):
    topic = Topic.objects.create(
        name_en="Middle East", name_da="Mellemøsten", slug_en="middle-east", slug_da="mellemoesten"
    )
    nato = Organisation.objects.create(acronym="NATO", name_en="NATO", name_da="NATO")
    mission = Mission.objects.create(
        slug="nmi",
        acronym="NMI",
        name_en="NATO Mission Iraq",
        name_da="NATO’s Mission Irak",
        organisation=nato,
    )
    year = timezone.localdate().year
    for index in range(22):
        release = make_release(
            f"Iraq news {index}", title_da=f"Irak-nyhed {index}", kind=ReleaseKind.NEWS
        )
        release.topics.add(topic)
        release.missions.add(mission)
    make_release("Other news", title_da="Anden nyhed", kind=ReleaseKind.NEWS)
    return {"topic": topic, "mission": mission, "year": year}


def links(page):
    """The language switch's link, the hreflang and canonical links, and the feed links."""
    return {
        "switch": re.search(r'<a href="([^"]+)" hreflang="da" lang="da">Dansk</a>', page),
        "hreflang": re.findall(
            r'<link rel="alternate" hreflang="(\w\w|x-default)" href="([^"]+)"', page
        ),
        "canonical": re.search(r'<link rel="canonical" href="([^"]+)"', page),
        "feeds": re.findall(r'<a href="(/\w\w/[^"]*/(?:rss|atom)/[^"]*)"', page),
    }


def test_the_switch_carries_filters_query_and_page_with_translated_slugs(client, filtered):
    year = filtered["year"]
    query = f"q=Iraq+news&kind=news&topic=middle-east&year={year}&mission=nmi&page=2"
    page = client.get(f"/en/releases/search/?{query}").content.decode()
    found = links(page)
    danish = (
        f"http://testserver/da/nyheder/soeg/?q=Iraq+news&amp;kind=news&amp;topic=mellemoesten"
        f"&amp;year={year}&amp;mission=nmi&amp;page=2"
    )
    english = danish.replace("/da/nyheder/soeg/", "/en/releases/search/").replace(
        "mellemoesten", "middle-east"
    )
    assert found["switch"].group(1) == danish
    assert found["hreflang"] == [("en", english), ("da", danish), ("x-default", english)]
    assert found["canonical"].group(1) == english
    assert found["feeds"] == [
        f"/en/releases/rss/?kind=news&amp;topic=middle-east&amp;year={year}&amp;mission=nmi",
        f"/en/releases/atom/?kind=news&amp;topic=middle-east&amp;year={year}&amp;mission=nmi",
    ]
    response = client.get(danish.replace("&amp;", "&").removeprefix("http://testserver"))
    assert response.status_code == 200
    assert "Side 2 af 2" in response.content.decode()
    assert '<option value="mellemoesten" selected>Mellemøsten</option>' in response.content.decode()


def test_a_topic_slug_of_the_other_language_is_understood_and_written_in_this_one(client, filtered):
    page = client.get("/da/nyheder/?topic=middle-east").content.decode()
    assert "Irak-nyhed 0" in page and "Anden nyhed" not in page
    assert links(page)["canonical"].group(1) == "http://testserver/da/nyheder/?topic=mellemoesten"


@pytest.mark.parametrize(
    "query", ["topic=nope", "kind=nope", "year=1066", "year=soon", "mission=nope"]
)
def test_an_unknown_filter_answers_404_on_lists_and_feeds_never_everything(client, filtered, query):
    for url in ("/en/releases/", "/da/nyheder/soeg/", "/da/nyheder/rss/", "/en/releases/atom/"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 404, url
        assert "Other news" not in response.content.decode()


def test_feeds_take_the_filters_of_the_list(client, filtered):
    year = filtered["year"]
    for query in ("topic=mellemoesten", "topic=middle-east", "mission=nmi", f"year={year}"):
        feed = feedparser.parse(client.get(f"/da/nyheder/rss/?{query}").content)
        titles = {entry.title for entry in feed.entries}
        assert "Anden nyhed" not in titles if "year" not in query else "Anden nyhed" in titles
        assert "Irak-nyhed 0" in titles
    last_year = feedparser.parse(client.get(f"/en/releases/rss/?year={year - 1}").content)
    assert client.get(f"/en/releases/rss/?year={year - 1}").status_code == 404
    assert last_year.entries == []


def test_atom_feeds_name_their_author_and_link_themselves_with_their_filters(client, filtered):
    body = client.get("/en/releases/atom/?topic=middle-east&kind=news").content.decode()
    feed = feedparser.parse(body)
    assert not feed.bozo
    assert feed.feed.author == "The Ministry of Foreign Affairs of Denmark"
    self_link = next(link.href for link in feed.feed.links if link.rel == "self")
    assert self_link == "http://testserver/en/releases/atom/?kind=news&topic=middle-east"
    assert feed.feed.title == (
        "News from the Ministry of Foreign Affairs of Denmark – News – Middle East"
    )


def test_the_404_page_switches_to_the_front_page_and_claims_no_alternates(client, profile):
    response = client.get("/da/nyheder/no-such-release/")
    page = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="da">' in page
    assert '<a href="http://testserver/en/" hreflang="en" lang="en">English</a>' in page
    assert 'rel="canonical"' not in page and "hreflang=" not in page.split("<body>")[0]


def test_sitemap_x_default_alternates_answer_200(client, filtered):
    body = client.get("/sitemap.xml").content.decode()
    defaults = re.findall(r'hreflang="x-default" href="http://testserver([^"]+)"', body)
    assert defaults and all(path.startswith("/en/") for path in defaults)
    for path in defaults[:5] + defaults[-3:]:
        assert client.get(path).status_code == 200, path


def test_time_elements_carry_no_fractions_of_a_second(client, profile):
    make_release(
        "Now",
        # A second ago, with a fraction: replacing it in "now" could make a future time.
        published_at=(timezone.now() - datetime.timedelta(seconds=1)).replace(microsecond=123456),
    )
    page = client.get("/en/releases/").content.decode()
    stamps = re.findall(r'<time datetime="([^"]+)"', page)
    assert stamps and all(
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", s) for s in stamps
    )


def test_the_site_has_a_favicon(client, profile):
    page = client.get("/en/").content.decode()
    assert '<link rel="icon" href="/static/pressroom/favicon.svg" type="image/svg+xml">' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/pressroom/favicon.svg"


def test_the_demo_release_of_2022_was_last_updated_in_2022(client, profile):
    from pressroom import demo

    demo.load()
    feed = feedparser.parse(client.get("/en/releases/atom/").content)
    handover = next(e for e in feed.entries if e.title.startswith("Denmark hands over"))
    assert handover.updated.startswith("2022-05-17T")
    assert datetime.datetime.fromisoformat(handover.updated).year == 2022
