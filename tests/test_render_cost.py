"""What rendering a page afresh costs: a number of queries that does not grow with the releases."""

import pytest

from core import caching
from releases.models import Release, Topic
from subscriptions.templatetags.subscriptions import forget_rendered_forms
from tests.conftest import make_mission, make_release


def _releases(count, topic, mission):
    for index in range(count):
        release = make_release(f"Release {index}", title_da=f"Nyhed {index}")
        release.topics.add(topic)
        release.missions.add(mission)
    return release


@pytest.mark.parametrize("count", [3, 30])
def test_release_mission_and_home_pages_use_constant_queries(
    client, profile, assert_page_queries, count
):
    topic = Topic.objects.create(name_en="T", name_da="T", slug_en="t", slug_da="t")
    mission = make_mission()
    release = _releases(count, topic, mission)
    # the release with which parts it has and its topic ids, every topic (kept, as the
    # list's filters keep them), its missions (it has no quotes, images, documents,
    # corrections or contacts: nothing is asked of those), the newest releases and their
    # topics (latest and related releases are picked from them; the newest of them is the
    # page's version), profile, the sign-up box's topics and missions
    with assert_page_queries(8):
        assert client.get(release.get_absolute_url()).status_code == 200
    # Rendered again (the page cache emptied): the profile and the sign-up form are kept
    # for a while, the release with its parts and its page's article while it stays as it
    # is, and the newest releases: the release. (The check that the newest are still as
    # kept, which reads the page's version, is made once per PAGE_VERSION_SECONDS.)
    caching.clear()
    caching.store().clear()
    with assert_page_queries(1):
        assert client.get(release.get_absolute_url()).status_code == 200
    # release version, latest releases, press contacts, and the sign-up box's topic and
    # mission choices; then only the page's own queries
    forget_rendered_forms()
    with assert_page_queries(5):
        assert client.get("/en/").status_code == 200
    # Rendered again: the press contacts are kept as rendered, like the sign-up form; the
    # release version and the latest releases.
    caching.clear()
    caching.store().clear()
    with assert_page_queries(2):
        assert client.get("/en/").status_code == 200
    page = client.get(mission.get_absolute_url())
    assert page.status_code == 200
    # the digest of what the mission's page shows, and its releases
    with assert_page_queries(2):
        assert client.get(mission.get_absolute_url()).status_code == 200


def test_the_kept_sign_up_form_shows_a_new_topic_at_once(client, profile):
    Topic.objects.create(name_en="Arctic", name_da="Arktis", slug_en="arctic", slug_da="arktis")
    assert "Arctic" in client.get("/en/").content.decode()
    Topic.objects.create(name_en="Baltic", name_da="Østersøen", slug_en="baltic", slug_da="baltic")
    make_release("Changes the release version")
    assert "Baltic" in client.get("/en/").content.decode()


def _clear_pages():
    caching.clear()
    caching.store().clear()


def test_a_list_entry_is_rendered_once_and_again_after_the_release_is_saved(client, profile):
    from releases.templatetags import release_items

    release = make_release("Frigate sails", title_da="Fregat sejler")
    client.get("/en/releases/")
    client.get("/da/nyheder/")
    assert len(release_items._rendered) == 2  # one entry per language
    release.title_en = "Frigate returns"
    release.save()
    _clear_pages()
    page = client.get("/en/releases/").content.decode()
    assert ">Frigate returns</a>" in page and ">Frigate sails</a>" not in page
    assert "Fregat sejler" in client.get("/da/nyheder/").content.decode()


def test_a_withdrawn_release_is_marked_in_the_kept_entry_at_once(client, profile):
    release = make_release("Exercise announced")
    assert "Withdrawn" not in client.get("/en/").content.decode()
    Release.objects.filter(pk=release.pk).update(status="withdrawn")  # no save(), no new edit
    _clear_pages()
    assert "<strong>Withdrawn</strong>" in client.get("/en/").content.decode()


def test_the_same_entry_shows_on_every_page_that_lists_the_release(client, profile):
    topic = Topic.objects.create(name_en="T", name_da="T", slug_en="t", slug_da="t")
    first = make_release("Older news")
    first.topics.add(topic)
    newest = make_release("Newest news")
    newest.topics.add(topic)
    other = make_release("Third")
    other.topics.add(topic)
    entry = _entry(client.get("/en/").content.decode(), "Older news")
    assert entry in client.get("/en/releases/").content.decode()
    assert entry in client.get(newest.get_absolute_url()).content.decode()


def test_search_entries_carry_the_words_found_and_are_not_kept(client, profile):
    from releases.templatetags import release_items

    make_release("Humanitarian aid to Ukraine")
    page = client.get("/en/releases/search/?q=aid").content.decode()
    assert "Humanitarian aid to Ukraine" in page
    assert release_items._rendered == {}


def _entry(page, title):
    start = page.index('<article class="release-item">', page.index(title) - 400)
    return page[start : page.index("</article>", start) + len("</article>")]


def test_the_kept_count_of_a_list_follows_each_publication(client, profile):
    for index in range(20):
        make_release(f"Release {index}")
    assert "Page 1 of" not in client.get("/en/releases/").content.decode()
    make_release("The twenty-first")  # a new release version: counted afresh
    _clear_pages()
    assert "Page 1 of 2" in client.get("/en/releases/").content.decode()
    # Another filter is another count under the same version.
    make_release("An invitation", kind="press-invitation")
    _clear_pages()
    assert "Page 1 of 2" in client.get("/en/releases/").content.decode()
    assert "Page 1 of" not in client.get("/en/releases/?kind=press-invitation").content.decode()
    # Filters that name nothing list nothing: never the kept count of the whole list.
    unknown = client.get("/en/releases/?kind=bogus")
    assert unknown.status_code == 404
    assert "Page 1 of" not in unknown.content.decode()


def test_the_kept_years_follow_a_publication_from_another_year(client, profile):
    import datetime

    from django.utils import timezone

    make_release("This year")
    assert '<option value="2015">' not in client.get("/en/releases/").content.decode()
    make_release("Old news", published_at=timezone.now().replace(year=2015, month=6, day=1))
    make_release("Newest", published_at=timezone.now() - datetime.timedelta(seconds=1))
    _clear_pages()
    assert '<option value="2015">' in client.get("/en/releases/").content.decode()


def test_a_release_page_rendered_again_shows_an_edited_part_at_once(client, profile):
    from releases.models import Correction, PressContact

    release = make_release("Frigate sails")
    assert "Fleet desk" not in client.get(release.get_absolute_url()).content.decode()
    contact = PressContact.objects.create(name="Fleet desk", phone="+45 1234 5678")
    release.release_contacts.create(contact=contact)
    _clear_pages()
    assert "Fleet desk" in client.get(release.get_absolute_url()).content.decode()
    contact.name = "Navy desk"
    contact.save()
    _clear_pages()
    assert "Navy desk" in client.get(release.get_absolute_url()).content.decode()
    Correction.objects.create(release=release, text="The frigate sails on Monday.")
    _clear_pages()
    assert "sails on Monday" in client.get(release.get_absolute_url()).content.decode()


def test_a_page_from_a_kept_release_is_stored_as_old_as_the_release_was_read(client, profile):
    import datetime
    import time

    import time_machine
    from django.utils import timezone

    release = make_release("Frigate sails")
    read = time.time()
    client.get(release.get_absolute_url())
    _clear_pages()
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=30), tick=False):
        client.get(release.get_absolute_url())
        entry = caching.store().get(caching._entry_key(release.get_absolute_url()))
    # Kept 60 s from when the release was read, not from the second rendering.
    assert read <= entry.stored_at < read + 5


def test_the_kept_filter_selects_show_the_choice_made_and_a_new_topic(client, profile):
    Topic.objects.create(name_en="Arctic", name_da="Arktis", slug_en="arctic", slug_da="arktis")
    make_release("Frigate sails")
    page = client.get("/en/releases/?topic=arctic").content.decode()
    assert '<option value="arctic" selected>Arctic</option>' in page
    page = client.get("/en/releases/").content.decode()
    assert '<option value="arctic">Arctic</option>' in page
    Topic.objects.create(name_en="Baltic", name_da="Østersøen", slug_en="baltic", slug_da="baltic")
    _clear_pages()
    assert '<option value="baltic">Baltic</option>' in client.get("/en/releases/").content.decode()
    bad = client.get("/en/releases/?topic=nowhere").content.decode()
    assert 'aria-invalid="true"' in bad


def test_the_kept_topic_choices_are_in_each_languages_own_order(client, profile):
    """The topics to choose from are kept per language: the Danish list, asked for after the
    English one, is ordered by the Danish names, and the other way round."""
    Topic.objects.create(name_en="Arctic", name_da="Østersø", slug_en="arctic", slug_da="oster")
    Topic.objects.create(name_en="Baltic", name_da="Arktis", slug_en="baltic", slug_da="arktis")
    make_release("Frigate sails")
    english = client.get("/en/releases/").content.decode()
    assert english.index(">Arctic</option>") < english.index(">Baltic</option>")
    danish = client.get("/da/nyheder/").content.decode()
    assert danish.index(">Arktis</option>") < danish.index(">Østersø</option>")


def test_kept_parts_render_the_same_page_as_a_cold_render(client, profile):
    """A release page rendered from its kept head and article is the page rendered cold."""
    from bench.render_times import forget_fragments

    topic = Topic.objects.create(name_en="T", name_da="T", slug_en="t", slug_da="t")
    release = _releases(6, topic, make_mission())
    for language in ("en", "da"):
        from django.utils import translation

        with translation.override(language):
            url = release.get_absolute_url()
        first = client.get(url).content
        _clear_pages()
        kept = client.get(url).content
        _clear_pages()
        forget_fragments()
        cold = client.get(url).content
        assert first == kept == cold


def test_a_page_rendered_again_after_a_publication_lists_it_and_keeps_its_article(client, profile):
    from releases.views import _kept_releases

    topic = Topic.objects.create(name_en="T", name_da="T", slug_en="t", slug_da="t")
    release = _releases(4, topic, make_mission())
    before = client.get(release.get_absolute_url()).content.decode()
    parts = next(iter(_kept_releases.values()))[2]
    assert set(parts[release.get_absolute_url()]) == {"meta", "article", "alternates"}
    newer = make_release("Newest of all")
    newer.topics.add(topic)
    _clear_pages()
    after = client.get(release.get_absolute_url()).content.decode()
    assert "Newest of all" not in before and "Newest of all" in after
    article = before[before.index("<article") : before.index("</article>")]
    assert article in after


def test_the_list_filters_show_a_new_topic_at_once(client, profile):
    make_release("Out")
    assert "Arctic" not in client.get("/en/releases/").content.decode()
    Topic.objects.create(name_en="Arctic", name_da="Arktis", slug_en="arctic", slug_da="arktis")
    make_release("Changes the release version")
    assert ">Arctic</option>" in client.get("/en/releases/").content.decode()


def test_a_release_page_asks_only_for_the_parts_its_release_has(
    client, profile, assert_page_queries
):
    from releases.models import Correction, PressContact, Quote, ReleaseContact, ReleaseDocument

    topic = Topic.objects.create(name_en="T", name_da="T", slug_en="t", slug_da="t")
    release = _releases(3, topic, make_mission())
    contact = PressContact.objects.create(name_en="Anna Berg", email="anna@um.example")
    ReleaseContact.objects.create(release=release, contact=contact)
    Quote.objects.create(release=release, speaker="Jeppe Kofod", text_en="Quoted.")
    ReleaseDocument.objects.create(release=release, file="releases/fact.pdf", title_en="Facts")
    Correction.objects.create(release=release, text_en="A date was wrong.")
    # As with no parts (8), and its quotes, documents, corrections, contacts with their
    # press contacts: one query more for each.
    with assert_page_queries(13):
        page = client.get(release.get_absolute_url()).content.decode()
    for shown in ("Anna Berg", "Quoted.", "Facts", "A date was wrong."):
        assert shown in page


def test_a_list_entry_written_in_python_is_the_template_byte_for_byte(db, settings):
    """``entry_html`` stands in for ``includes/release_item.html``: the same bytes for
    releases in one language or both, withdrawn, with and without a lead, with characters
    to escape, in both languages."""
    from django.template.loader import get_template
    from django.utils import translation

    from releases.models import ReleaseKind, Status
    from releases.templatetags.release_items import entry_html

    releases = [
        make_release('Frigate <sails> & "returns"', title_da="Fregat sejler"),
        make_release("English only", lead_en="A lead " + "word " * 80),
        make_release("", title_da="Kun dansk", slug_da="kun-dansk", lead_da="Et <resumé>"),
        make_release("Withdrawn one", status=Status.WITHDRAWN, lead_en=""),
        make_release("Invitation", kind=ReleaseKind.PRESS_INVITATION, lead_en="Come & see"),
        make_release("Spaced", lead_en="  Two\n\nlines,\t tabbed  ", lead_da="Kun <b>dansk</b>"),
        make_release("Fifty words", lead_en=" ".join(["ord"] * 49 + ["…", "more"])),
        make_release("Exactly fifty", lead_en=" ".join(["word"] * 50)),
    ]
    template = get_template("includes/release_item.html")
    for language in ("en", "da"):
        with translation.override(language):
            for release in releases:
                assert entry_html(release) == template.render({"release": release})


def test_a_release_pages_hot_statements_are_prepared_and_planned_once(client, profile, settings):
    """The release by slug, the state of the releases shown and the release version are
    prepared on the connection once run a few times, with one generic plan each."""
    from django.db import connection

    settings.PAGE_VERSION_SECONDS = 0  # every render checks the newest releases

    release = _releases(4, Topic.objects.create(name_en="T", slug_en="t"), make_mission())
    for _n in range(7):
        _clear_pages()
        assert client.get(release.get_absolute_url()).status_code == 200
        assert client.get("/en/releases/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"
    assert any('"slug_en" = $' in statement for statement in prepared)
    assert any("array_agg" in statement for statement in prepared)
    assert any('ORDER BY 1 DESC LIMIT 1), (SELECT "releases' in statement for statement in prepared)
    # Django's own queries bind on the client and are never prepared.
    assert not any("core_pressroomprofile" in statement for statement in prepared)
    # Run prepared, they are logged (and counted) as any other.
    from django.test.utils import CaptureQueriesContext

    _clear_pages()
    with CaptureQueriesContext(connection) as queries:
        client.get(release.get_absolute_url())
    assert any('"slug_en" = ' in query["sql"] for query in queries.captured_queries)


def test_a_lists_feed_links_are_kept_with_its_filters(client, profile):
    """A list's head and feed links are rendered once per language and filters, and each
    page carries its own filters in them."""
    Topic.objects.create(name_en="Arctic", name_da="Arktis", slug_en="arctic", slug_da="arktis")
    make_release("Frigate sails")
    for _n in range(2):
        _clear_pages()
        page = client.get("/en/releases/?topic=arctic").content.decode()
        assert 'href="http://testserver/en/releases/rss/?topic=arctic"' in page
        assert 'href="/api/v1/releases.csv?topic=arctic"' in page
        assert '<meta name="robots" content="noindex, follow">' in page
        page = client.get("/en/releases/").content.decode()
        assert 'href="http://testserver/en/releases/rss/"' in page
        assert "noindex" not in page
        page = client.get("/da/nyheder/?topic=arktis").content.decode()
        assert "rss/?topic=arktis" in page


def test_a_list_and_its_search_page_keep_their_own_heading_and_form(client, profile):
    """The list and the search page share their kept filters, each with its own form."""
    make_release("Frigate sails")
    for _n in range(2):
        _clear_pages()
        listed = client.get("/en/releases/").content.decode()
        searched = client.get("/en/releases/search/").content.decode()
        assert "<h1>Releases</h1>" in listed and 'action="/en/releases/"' in listed
        assert "<h1>Search releases</h1>" in searched
        assert 'action="/en/releases/search/"' in searched


def test_the_pagination_written_in_python_is_the_template_byte_for_byte(settings):
    """``{% pagination %}`` stands in for ``includes/pagination.html``: the same bytes for a
    single page, the first, a middle and the last, with and without filters to escape, in
    both languages, and with numbers large enough to be grouped where the settings say so."""
    from django.core.paginator import Paginator
    from django.template import Context, Template
    from django.template.loader import get_template
    from django.utils import translation

    template = get_template("includes/pagination.html")
    tag = Template("{% load core %}{% pagination %}")
    for grouped in (False, True):
        settings.USE_THOUSAND_SEPARATOR = grouped
        for count, numbers in ((5, [1]), (60, [1, 2, 3]), (30_000, [1, 2, 1200, 1500])):
            paginator = Paginator(range(count), 20)
            for number in numbers:
                for query in ("", "kind=news", "topic=%C3%B8st&year=2024&q=a%3Cb%26c"):
                    context = {
                        "is_paginated": paginator.num_pages > 1,
                        "page_obj": paginator.page(number),
                        "query_string": query,
                    }
                    for language in ("en", "da"):
                        with translation.override(language):
                            expected = template.render(context)
                            assert tag.render(Context(context)) == expected
