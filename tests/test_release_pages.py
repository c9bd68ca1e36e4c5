"""What readers see: lists, filters, search, feeds, sitemap, the release page."""

import datetime
import re
import time

import feedparser
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.asserts import assertContains, assertNotContains

from core import caching
from releases import views
from releases.html import sanitize
from releases.models import Release, ReleaseKind, Status, Topic
from tests.conftest import make_release, run_queued_jobs, sign_in


@pytest.fixture
def scheduled():
    return make_release(
        "Embargoed handover",
        title_da="Embargo overdragelse",
        status=Status.SCHEDULED,
        published_at=timezone.now() + datetime.timedelta(hours=2),
    )


def test_time_is_shown_with_the_zone_named(client, profile):
    make_release(
        "Gaza aid",
        kind=ReleaseKind.NEWS,
        published_at=datetime.datetime(2023, 11, 9, 16, 8, 2, tzinfo=datetime.UTC),
    )
    assertContains(
        client.get("/en/"),
        '<p class="meta"><time datetime="2023-11-09T17:08:02+01:00">9.11.2023 17:08:02 CET</time>'
        ' | <span class="label">News</span></p>',
        html=True,
    )


def listed(release):
    """The heading under which a list, search or home page shows ``release``."""
    return f'<h3><a href="{release.get_absolute_url()}">{release.title}</a></h3>'


def public_places(client):
    """Each public place a release can appear, as {name: (kind, response)}."""
    with translation.override("en"):
        pages = {
            "home": reverse("home"),
            "list": reverse("releases:list"),
            "search": reverse("releases:search") + "?q=handover",
        }
        feeds = {"rss": reverse("releases:rss"), "atom": reverse("releases:atom")}
    places = {name: ("page", client.get(url)) for name, url in pages.items()}
    places.update({name: ("feed", client.get(url)) for name, url in feeds.items()})
    places["sitemap"] = ("sitemap", client.get("/sitemap.xml"))
    return places


def shows(kind, response, release):
    """Whether a page, feed or sitemap shows ``release``; the place itself must work."""
    assert response.status_code == 200
    if kind == "page":
        return f'href="{release.get_absolute_url()}"' in response.content.decode()
    if kind == "feed":
        entries = feedparser.parse(response.content).entries
        return release.title in [entry.title for entry in entries]
    return f"http://testserver{release.get_absolute_url()}</loc>" in response.content.decode()


def test_scheduled_release_is_nowhere_before_its_time(client, profile, scheduled):
    public = make_release("Public handover", title_da="Offentlig overdragelse")
    for name, (kind, response) in public_places(client).items():
        assert shows(kind, response, public), name  # the place works and lists releases
        assert not shows(kind, response, scheduled), name
        assert "Embargoed" not in response.content.decode(), name
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    page = client.get(reverse("releases:list"))
    assertContains(page, listed(public), html=True)
    assertNotContains(page, listed(scheduled), html=True)


def test_filters_combine_and_keep_their_feed(client, profile):
    topic = Topic.objects.create(
        name_en="Ukraine", name_da="Ukraine", slug_en="ukraine", slug_da="ukraine"
    )
    match = make_release("Heat for Ukraine", kind=ReleaseKind.NEWS)
    match.topics.add(topic)
    make_release("Other news", kind=ReleaseKind.NEWS)
    wrong_kind = make_release("Ukraine speech", kind=ReleaseKind.SPEECH)
    wrong_kind.topics.add(topic)
    page = client.get("/en/releases/?kind=news&topic=ukraine").content.decode()
    assert "Heat for Ukraine" in page
    assert "Other news" not in page and "Ukraine speech" not in page
    assert 'href="/en/releases/rss/?kind=news&amp;topic=ukraine"' in page


def test_an_unknown_filter_value_answers_404_with_the_filter_named_and_nothing_listed(
    client, profile
):
    make_release("Not listed under an unknown filter")
    response = client.get("/da/nyheder/?kind=bogus&q=kept")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Disse filtre findes ikke her, så intet vises:" in page
    assert (
        '<li id="id_kind_error">Type: Marker en gyldig valgmulighed. '
        "bogus er ikke en af de tilgængelige valgmuligheder.</li>"
    ) in page
    assert "Not listed under an unknown filter" not in page
    assert 'value="kept"' in page


@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [
        ("en", "helicopters", "Danish helicopters return"),
        ("en", "helicopter", "Danish helicopters return"),
        ("da", "helikopteren", "Danske helikoptere vender hjem"),
        ("da", "missionerne", "Danske helikoptere vender hjem"),
    ],
)
def test_search_stems_each_language(client, profile, language, query, expected):
    make_release(
        "Danish helicopters return",
        title_da="Danske helikoptere vender hjem",
        body_en="<p>Two transport helicopters come home from the mission.</p>",
        body_da="<p>To helikoptere vender hjem fra missionen.</p>",
    )
    make_release("Unrelated", title_da="Urelateret")
    with translation.override(language):
        url = reverse("releases:search")
    page = client.get(url, {"q": query}).content.decode()
    assert expected in page
    assert "Unrelated" not in page and "Urelateret" not in page
    assert "<mark>" in page


def test_search_snippets_are_escaped(client, profile):
    make_release("Escaping", body_en="<p>Use &lt;script&gt; tags with care in missions.</p>")
    page = client.get("/en/releases/search/", {"q": "missions"}).content.decode()
    assert "<script" not in page
    assert "tags with care in <mark>missions</mark>" in page


def test_empty_and_nonsense_searches_get_helpful_pages(client, profile):
    make_release("Something")
    empty = client.get("/en/releases/search/").content.decode()
    assert "Type one or more words to search all releases" in empty
    nonsense = client.get("/en/releases/search/", {"q": "qzxqzx"}).content.decode()
    assert "No releases match “qzxqzx”." in nonsense
    danish = client.get("/da/nyheder/soeg/", {"q": "qzxqzx"}).content.decode()
    assert "Ingen nyheder matcher “qzxqzx”." in danish


def test_feeds_parse_and_follow_type_and_language(client, profile):
    make_release("A statement", title_da="En udtalelse", kind=ReleaseKind.STATEMENT)
    make_release("Some news", title_da="En nyhed", kind=ReleaseKind.NEWS)
    rss = feedparser.parse(client.get("/en/releases/rss/?kind=news").content)
    assert not rss.bozo
    assert [entry.title for entry in rss.entries] == ["Some news"]
    atom = feedparser.parse(client.get("/da/nyheder/atom/").content)
    assert not atom.bozo
    assert atom.feed.language == "da" if "language" in atom.feed else True
    assert {entry.title for entry in atom.entries} == {"En udtalelse", "En nyhed"}
    assert atom.entries[0].link.startswith("http://testserver/da/nyheder/")


def test_sitemap_lists_both_languages_with_alternates(client, profile):
    release = make_release("Mapped", title_da="Kortlagt")
    body = client.get("/sitemap.xml").content.decode()
    with translation.override("da"):
        danish = release.get_absolute_url()
    assert f"<loc>http://testserver{danish}</loc>" in body
    assert f'hreflang="da" href="http://testserver{danish}"' in body


def test_robots_points_to_the_sitemap(client):
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()


def test_body_is_sanitised_to_a_safe_set():
    dirty = (
        '<p onclick="steal()">Hello <a href="javascript:alert(1)">x</a>'
        "<script>alert(1)</script><style>p{}</style><img src=x onerror=alert(1)></p>"
    )
    clean = sanitize(dirty)
    for bad in ("script", "style", "onclick", "onerror", "javascript:", "<img"):
        assert bad not in clean
    assert clean == "<p>Hello x</p>"  # an unsafe link keeps its text, not the link


def test_release_page_shows_what_the_seed_shows(client, profile, editor):
    from releases import demo

    demo.load()
    release = Release.objects.get(slug_en=demo.RELEASES[0]["slug_en"])
    response = client.get(release.get_absolute_url())
    page = response.content.decode()
    assertContains(
        response, "<h1>Denmark hands over command of NATO Mission Iraq to Italy</h1>", html=True
    )
    assert "17.5.2022 11:00:00 CEST" in page
    assertContains(
        response, "<figcaption>Jeppe Kofod, Minister for Foreign Affairs</figcaption>", html=True
    )
    assert "+45 61 97 92 47" in page and "+45 72 81 04 00" in page
    assert '"@type": "NewsArticle"' in page
    assert '<meta property="og:title" content="Denmark hands over command' in page
    with translation.override("da"):
        danish = client.get(release.get_absolute_url())
    assertContains(danish, "<figcaption>Jeppe Kofod, Udenrigsminister</figcaption>", html=True)


def test_one_language_release_is_marked_on_the_other_site(client, profile):
    release = make_release("English only")
    with translation.override("da"):
        url = release.get_absolute_url()
    page = client.get(url).content.decode()
    assert '<h1 lang="en">English only</h1>' in page
    assert '<p class="lead" lang="en">Lead of English only</p>' in page
    with translation.override("en"):
        english = settings.SITE_URL + release.get_absolute_url()
    assert (
        '<p class="notice">Denne nyhed findes kun på engelsk. '
        f'<a href="{english}" hreflang="en">Læs den på den engelske side</a></p>'
    ) in page
    assert '<span class="label">Pressemeddelelse</span>' in page
    # Search engines are told of the English page alone: the Danish address shows its text.
    assert f'<link rel="alternate" hreflang="en" href="{english}">' in page
    assert 'hreflang="da"' not in page
    assert f'<link rel="alternate" hreflang="x-default" href="{english}">' in page
    assert f'<link rel="canonical" href="{english}">' in page


def test_a_release_in_both_languages_has_an_alternate_and_a_canonical_address_in_each(
    client, profile
):
    release = make_release("Both", title_da="Begge")
    urls = {}
    for code in ("en", "da"):
        with translation.override(code):
            urls[code] = settings.SITE_URL + release.get_absolute_url()
    with translation.override("da"):
        page = client.get(release.get_absolute_url()).content.decode()
    for code, url in urls.items():
        assert f'<link rel="alternate" hreflang="{code}" href="{url}">' in page
    assert f'<link rel="alternate" hreflang="x-default" href="{urls["en"]}">' in page
    assert f'<link rel="canonical" href="{urls["da"]}">' in page


def test_a_danish_only_release_links_to_its_danish_page_from_the_english_site(client, profile):
    release = Release.objects.create(
        status=Status.PUBLISHED,
        published_at=timezone.now(),
        title_da="Kun på dansk",
        slug_da="kun-paa-dansk",
        lead_da="Et resumé.",
    )
    with translation.override("da"):
        danish = settings.SITE_URL + release.get_absolute_url()
    with translation.override("en"):
        page = client.get(release.get_absolute_url()).content.decode()
    assert (
        '<p class="notice">This release is only available in Danish. '
        f'<a href="{danish}" hreflang="da">Read it on the Danish site</a></p>'
    ) in page
    assert f'<link rel="canonical" href="{danish}">' in page
    assert 'hreflang="en"' not in page.split("</head>")[0]


def test_invitation_has_an_ics_download(client, profile):
    start = datetime.datetime(2030, 6, 1, 8, 0, tzinfo=datetime.UTC)
    release = make_release(
        "Press briefing",
        kind=ReleaseKind.PRESS_INVITATION,
        event_start=start,
        event_end=start + datetime.timedelta(hours=1),
        event_location_en="Asiatisk Plads 2",
    )
    response = client.get(reverse("releases:ics", args=[release.slug]))
    body = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "DTSTART:20300601T080000Z\r\n" in body
    assert "SUMMARY:Press briefing\r\n" in body
    assert "LOCATION:Asiatisk Plads 2\r\n" in body


@pytest.mark.parametrize("count", [3, 30])
def test_list_pages_use_constant_queries(client, profile, assert_page_queries, count):
    topic = Topic.objects.create(name_en="T", name_da="T", slug_en="t", slug_da="t")
    for index in range(count):
        make_release(f"Release {index}", title_da=f"Nyhed {index}").topics.add(topic)
    # release version, profile, years, topics, missions, count, page (a list entry shows no
    # topics)
    with assert_page_queries(7):
        assert client.get("/en/releases/").status_code == 200
    # + the sign-up box's topic and mission choices; the profile is kept from the first page,
    # and the release version, read for it a moment ago
    with assert_page_queries(4):
        assert client.get("/da/").status_code == 200
    with assert_page_queries(2):
        assert client.get("/en/releases/rss/").status_code == 200
    # years, the ranked page with its count, the page's releases (the topics and missions to
    # choose from are kept from the list)
    with assert_page_queries(3):
        assert client.get("/en/releases/search/", {"q": "release"}).status_code == 200
    # Served again from the page cache: within PAGE_VERSION_SECONDS of the version read for
    # the render, nothing; after it, only the release version is read.
    with assert_page_queries(0):
        assert client.get("/en/releases/").status_code == 200
    caching.forget_versions()
    with assert_page_queries(1):
        assert client.get("/en/releases/").status_code == 200


def test_cached_pages_change_within_a_second_of_a_release_going_live(
    client, profile, press_officer, editor, settings
):
    settings.PAGE_VERSION_SECONDS = 0.5
    make_release("Already out")
    assert "Already out" in client.get("/en/").content.decode()
    release = make_release("Fresh news", status=Status.DRAFT)
    release.submit(by=press_officer)
    at = timezone.now() + datetime.timedelta(seconds=30)
    release.publish(by=editor, at=at)
    assert "Fresh news" not in client.get("/en/").content.decode()
    # Its second comes (here by a bare UPDATE: no save in this process, no worker having
    # run): the process checks the release version again within PAGE_VERSION_SECONDS, and the
    # cached page is replaced.
    Release.objects.filter(pk=release.pk).update(published_at=timezone.now())
    time.sleep(settings.PAGE_VERSION_SECONDS)
    assert "Fresh news" in client.get("/en/").content.decode()


def test_a_process_checks_a_kept_pages_version_once_per_page_version_seconds(
    client, profile, editor, settings, django_assert_num_queries
):
    settings.PAGE_VERSION_SECONDS = 60
    release = make_release("Out for a while")
    client.get("/en/")
    client.get("/en/")  # the version found is kept
    with django_assert_num_queries(0):
        assert "Out for a while" in client.get("/en/").content.decode()
    # Unpublished behind the process's back (a bare UPDATE, another process): the kept
    # version still matches, so the page stays for at most PAGE_VERSION_SECONDS ...
    Release.objects.filter(pk=release.pk).update(status=Status.UNPUBLISHED)
    assert "Out for a while" in client.get("/en/").content.decode()
    # ... but any save in this process, such as an unpublishing here, is seen at once.
    release.refresh_from_db()
    release.status = Status.PUBLISHED
    release.save()
    release.unpublish(by=editor, reason="Published by mistake.")
    assert "Out for a while" not in client.get("/en/").content.decode()


def test_readers_pages_read_the_profile_once_per_page_cache_seconds_and_staff_at_once(
    client, profile, editor
):
    title = "<h1>News from the Ministry of Foreign Affairs of Denmark</h1>"
    assertContains(client.get("/en/"), title, html=True)
    # Changed behind this process's back (another process saved it): a page rendered afresh
    # for readers still has the kept profile, as the kept pages do ...
    type(profile).objects.filter(pk=profile.pk).update(title_en="The renamed pressroom")
    caching.clear()
    caching.store().clear()
    assertContains(client.get("/en/"), title, html=True)
    # ... while anyone with a session gets it read afresh.
    sign_in(client, editor)
    assertContains(client.get("/en/"), "<h1>The renamed pressroom</h1>", html=True)


def test_the_parts_made_of_the_profile_are_rendered_once_per_language_with_it(client, profile):
    """The footer, the head's links and description, the site's name in the header and the
    sign-up box's text are rendered once per language from the kept profile, and afresh
    from a saved one."""
    assert "+45 33 92 00 00" not in client.get("/en/").content.decode()
    from core.context_processors import _kept_profile

    parts = {"footer", "head links", "description", "site name", "subscribe box"}
    assert set(_kept_profile().page_parts["en"]) == parts
    client.get("/da/")
    assert set(_kept_profile().page_parts) == {"en", "da"}
    # Saved in this process: the next page renders its parts from the saved profile.
    profile.phone = "+45 33 92 00 00"
    profile.title_en = profile.organisation_en = "The renamed ministry"
    profile.about_en = "Renamed, and about it."
    profile.save()
    caching.clear()
    caching.store().clear()
    for path in ("/en/", "/da/"):
        assert "+45 33 92 00 00" in client.get(path).content.decode()
    page = client.get("/en/releases/").content.decode()
    assert "<title>Releases – The renamed ministry</title>" in page
    assert '<meta name="description" content="Renamed, and about it.">' in page
    assert '<a class="site-name" href="/en/">The renamed ministry</a>' in page
    home = client.get("/en/").content.decode()
    assert "Subscribe to releases from The renamed ministry" in home


def test_staff_with_a_session_never_get_cached_pages(client, profile, editor):
    home = "<h1>News from the Ministry of Foreign Affairs of Denmark</h1>"
    assertContains(client.get("/en/"), home, html=True)  # now kept in the page cache
    profile.title_en = "The renamed pressroom"
    profile.save()
    # Readers see a profile edit within PAGE_CACHE_SECONDS; an editor sees it at once.
    assertContains(client.get("/en/"), home, html=True)
    sign_in(client, editor)
    assertContains(client.get("/en/"), "<h1>The renamed pressroom</h1>", html=True)
    draft = make_release("Draft for staff", status=Status.DRAFT)
    assertContains(client.get(draft.get_absolute_url()), "<h1>Draft for staff</h1>", html=True)


def test_a_scheduled_release_appears_everywhere_at_once(client, profile, scheduled):
    Release.objects.filter(pk=scheduled.pk).update(published_at=timezone.now())
    scheduled.refresh_from_db()
    for name, (kind, response) in public_places(client).items():
        assert shows(kind, response, scheduled), name
    response = client.get(scheduled.get_absolute_url())
    assertContains(response, "<h1>Embargoed handover</h1>", html=True)
    assertContains(client.get(reverse("releases:list")), listed(scheduled), html=True)


@pytest.mark.parametrize(
    ("utc", "shown"),
    [
        (datetime.datetime(2023, 10, 29, 0, 30, tzinfo=datetime.UTC), "29.10.2023 02:30:00 CEST"),
        (datetime.datetime(2023, 10, 29, 1, 30, tzinfo=datetime.UTC), "29.10.2023 02:30:00 CET"),
        (datetime.datetime(2024, 3, 31, 1, 0, tzinfo=datetime.UTC), "31.3.2024 03:00:00 CEST"),
    ],
)
def test_times_are_right_across_daylight_saving_changes(utc, shown):
    from core.templatetags.core import shown_time

    assert shown_time(utc) == shown


def test_home_lists_press_contacts(client, profile):
    from releases.models import PressContact

    PressContact.objects.create(name="Press duty", phone="+45 33 92 00 00", is_duty_desk=True)
    page = client.get("/en/").content.decode()
    assert '<strong>Press duty</strong> <span class="label">Duty desk</span>' in page


def test_pages_with_the_sign_up_form_are_cached_without_cookies(
    client, profile, django_assert_num_queries
):
    release = make_release("Cached with a form", title_da="Gemt med formular")
    for url in ("/en/", release.get_absolute_url()):
        first = client.get(url)
        assert 'class="subscribe-form"' in first.content.decode()
        assert not first.cookies
        # Its version was read as it was rendered: none is asked for again so soon.
        with django_assert_num_queries(0):
            assert client.get(url).content == first.content


def test_sign_up_from_a_cached_page_needs_no_csrf_token(profile, mailoutbox):
    from django.core.management import call_command
    from django.test import Client

    call_command("createcachetable", verbosity=0)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/en/subscriptions/",
        {
            "email": "reader@example.org",
            "language": "en",
            "follow": "all",
            "frequency": "immediately",
        },
    )
    assert response.status_code == 302
    # The confirmation goes out through the task queue, as it does for every address.
    assert run_queued_jobs() == 1
    assert len(mailoutbox) == 1


def test_a_deep_list_page_found_by_its_ids_lists_the_same_releases(client, profile, monkeypatch):
    for index in range(45):
        make_release(
            f"Release {index:02}", published_at=timezone.now() - datetime.timedelta(hours=index)
        )
    make_release("Draft", status=Status.DRAFT)
    shallow = [client.get("/en/releases/", {"page": n}).context["page_obj"] for n in (1, 2, 3)]
    caching.clear()
    caching.store().clear()
    # From the second page on, the ids first (from the index), then those releases.
    monkeypatch.setattr(views.NewestFirstPaginator, "DEEP", 20)
    for number, before in zip((1, 2, 3), shallow, strict=True):
        page = client.get("/en/releases/", {"page": number}).context["page_obj"]
        assert [r.pk for r in page.object_list] == [r.pk for r in before.object_list]
    assert [r.title_en for r in page.object_list] == [f"Release {n}" for n in range(40, 45)]
    # The last page asked for by name is found from the list's queryset, built only for it.
    last = client.get("/en/releases/", {"page": "last"}).context["page_obj"]
    assert (last.number, [r.pk for r in last.object_list]) == (3, [r.pk for r in page.object_list])
    # The whole list keeps its ids while the release version holds: a publication moves
    # every deep page on by one on the next request.
    make_release("Newest", published_at=timezone.now())
    page = client.get("/en/releases/", {"page": 3}).context["page_obj"]
    assert [r.title_en for r in page.object_list] == [f"Release {n}" for n in range(39, 45)]
    # A filtered list finds a deep page's ids in the database.
    topic = Topic.objects.create(name_en="Arctic", slug_en="arctic")
    for release in Release.objects.all():
        release.topics.add(topic)
    make_release("Not on the topic", published_at=timezone.now())
    page = client.get("/en/releases/", {"page": 3, "topic": "arctic"}).context["page_obj"]
    assert [r.title_en for r in page.object_list] == [f"Release {n}" for n in range(39, 45)]


def test_releases_listed_by_id_are_releases_with_their_other_fields_read_when_asked(db):
    """A deep page's releases are made without the ORM's set-up; they are still releases."""
    older = make_release(
        "Older", title_da="Ældre", published_at=timezone.now() - datetime.timedelta(days=2)
    )
    newer = make_release("Newer", published_at=timezone.now() - datetime.timedelta(days=1))
    draft = make_release("Draft", status=Status.DRAFT)
    listed = Release.objects.listed_by_ids([older.pk, draft.pk, newer.pk])
    assert listed == [newer, older]  # public ones only, newest first
    assert listed[1].title_da == "Ældre" and listed[1].slug_en == older.slug_en
    assert listed[1].get_absolute_url() == older.get_absolute_url()
    assert listed[1].body_en == older.body_en  # not read with it: read when asked for


def test_the_year_filter_offers_only_years_that_have_releases(client, profile):
    for year in (2019, 2022):
        make_release(f"From {year}", published_at=timezone.now().replace(year=year, month=6))
    make_release("This year")
    draft = make_release("Draft from 2021", status=Status.DRAFT)
    Release.objects.filter(pk=draft.pk).update(
        published_at=timezone.now().replace(year=2021, month=6)
    )
    this_year = timezone.localtime().year
    page = client.get("/en/releases/").content.decode()
    offered = re.findall(r'<option value="(\d{4})"', page)
    assert offered == [str(this_year), "2022", "2019"]
    # A year between them without releases names nothing: the page says so.
    response = client.get("/en/releases/", {"year": 2020})
    assert response.status_code == 404
    assert "2020" in response.content.decode()
    assert client.get("/en/releases/", {"year": 2022}).status_code == 200


def test_a_page_not_found_names_the_site_in_its_title(client, profile):
    english = client.get("/en/releases/no-such-release/")
    assert english.status_code == 404
    assert (
        "<title>Page not found – News from the Ministry of Foreign Affairs of Denmark</title>"
        in english.content.decode()
    )
    danish = client.get("/da/nyheder/ingen-saadan-nyhed/")
    assert "<title>Siden findes ikke – Nyheder fra Udenrigsministeriet</title>" in (
        danish.content.decode()
    )
