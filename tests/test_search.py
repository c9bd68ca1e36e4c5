"""Search as readers type it: natural phrases, inflections, quotes, people, typos, syntax."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from missions import demo as missions_demo
from releases import demo as releases_demo
from releases import search
from releases.models import (
    Quote,
    Release,
    ReleaseDocument,
    ReleaseImage,
    SearchWord,
    Status,
    Topic,
)
from tests.conftest import make_release, sign_in

HANDOVER = "Denmark hands over command of NATO Mission Iraq to Italy"
HANDOVER_DA = "Danmark overdrager kommandoen over NATO’s Mission Irak til Italien"
SUMMIT = "NATO summit in Vilnius"
GAZA = "Denmark sends new humanitarian aid package to the civilian population in Gaza"
UKRAINE = "New reconstruction package ensuring heat for Ukrainians"


@pytest.fixture
def seeded(profile):
    missions_demo.load()
    releases_demo.load()
    make_release(SUMMIT, body_en="<p>Allies meet in Lithuania.</p>", dateline_en="Vilnius")
    search.refresh_words()


def found(client, language, query, **filters):
    """The titles on the first page of results, in order, and the page's text."""
    with translation.override(language):
        url = reverse("releases:search")
    page = client.get(url, {"q": query, **filters}).content.decode()
    titles = re.findall(r'<h3(?: lang="\w\w")?><a href="[^"]+">([^<]+)</a></h3>', page)
    return [title.replace("&#x27;", "'") for title in titles], page


@pytest.mark.parametrize(
    ("language", "query", "first"),
    [
        # A natural phrase: the text says "hands over"; not every word is there.
        ("en", "handover of NATO Mission Iraq to Italy", HANDOVER),
        # An inflected Danish word that the text does not contain as typed.
        ("da", "overdragelsen", HANDOVER_DA),
        # Words said in a quotation, and the people quoted.
        ("en", "testimony", HANDOVER),
        ("en", "Kofod", HANDOVER),
        ("da", "Bødskov", HANDOVER_DA),
        ("en", "Minister for Foreign Affairs", HANDOVER),
        # A quoted phrase.
        ("en", '"hands over command"', HANDOVER),
        # The last word as its beginning, while the reader is still typing.
        ("en", "transport helicop", HANDOVER),
        # A topic and a dateline.
        ("en", "Middle East Iraq", HANDOVER),
        ("en", "Vilnius", SUMMIT),
    ],
)
def test_readers_find_the_release_by_what_they_remember(client, seeded, language, query, first):
    titles, _page = found(client, language, query)
    assert titles[0] == first


def test_a_natural_phrase_says_that_not_every_word_was_found(client, seeded):
    titles, page = found(client, "en", "handover of NATO Mission Iraq to Italy")
    assert titles == [HANDOVER, SUMMIT]
    assert (
        "No release has every word of “handover of NATO Mission Iraq to Italy”; these 2 "
        "have some of them, those with the most first."
    ) in page


def test_every_word_found_gives_the_count_and_marks_the_words(client, seeded):
    titles, page = found(client, "en", "Kofod")
    assert titles == [HANDOVER]
    assert "One release matches “Kofod”." in page
    assert "Jeppe <mark>Kofod</mark>: The Danish leadership" in page


def test_a_typo_is_answered_with_a_suggestion_that_searches_the_right_word(client, seeded):
    titles, page = found(client, "en", "NATO Itlay", kind="press-release")
    assert set(titles) == {HANDOVER, SUMMIT}
    link = '<a href="/en/releases/search/?q=NATO+Italy&amp;kind=press-release">NATO Italy</a>'
    assert f"Did you mean {link}?" in page
    suggested, _page = found(client, "en", "NATO Italy", kind="press-release")
    assert suggested == [HANDOVER]


def test_a_typo_in_danish_is_answered_in_danish(client, seeded):
    _titles, page = found(client, "da", "Bødscov")
    assert ">Bødskov</a>?" in page and "Mente du" in page


def test_a_quoted_phrase_needs_its_words_in_that_order(client, seeded):
    assert found(client, "en", '"command hands over"')[0] == []


def test_a_minus_leaves_out_the_releases_with_that_word_in_either_language(client, seeded):
    titles, _page = found(client, "en", "NATO -Italy")
    assert titles == [SUMMIT]
    titles, _page = found(client, "da", "NATO -Italien")
    assert titles == [SUMMIT]


def test_search_combines_with_filters_and_keeps_the_query_in_every_link(client, seeded):
    for index in range(21):
        make_release(f"Aid & relief #{index} 100% done", body_en="<p>aid+relief</p>")
    titles, page = found(client, "en", 'aid & relief "100%" #')
    assert len(titles) == 20
    assert 'href="?q=aid+%26+relief+%22100%25%22+%23&amp;page=2"' in page
    response = client.get("/en/releases/search/", {"q": 'aid & relief "100%" #', "page": 2})
    assert response.status_code == 200
    assert "Page 2 of 2" in response.content.decode()
    assert 'value="aid &amp; relief &quot;100%&quot; #"' in response.content.decode()


def test_nothing_found_says_so_and_suggests_nothing_for_unknown_words(client, seeded):
    titles, page = found(client, "en", "qzxqzx")
    assert titles == []
    assert "No releases match “qzxqzx”." in page
    assert "Did you mean" not in page


def test_search_documents_follow_every_write_to_the_parts(seeded):
    release = Release.objects.get(title_en=SUMMIT)
    in_search = Release.objects.published().search

    Quote.objects.create(release=release, speaker="Lars Løkke Rasmussen", text_en="Unity.")
    assert list(in_search("Løkke")) == [release]
    Quote.objects.filter(release=release).update(text_en="Solidarity.")
    assert list(in_search("solidarity")) == [release] and not in_search("unity")
    Quote.objects.filter(release=release).delete()
    assert not in_search("Løkke")

    topic = Topic.objects.create(name_en="Baltic", name_da="Baltikum", slug_en="b", slug_da="b")
    release.topics.add(topic)
    assert list(in_search("Baltic")) == [release]
    Topic.objects.filter(pk=topic.pk).update(name_en="Nordic-Baltic")
    Topic.objects.get(pk=topic.pk).save()
    assert list(in_search("Nordic")) == [release]

    ReleaseImage.objects.create(
        release=release, image="x.jpg", width=1, height=1, alt_en="A table", caption_en="Dusk"
    )
    ReleaseDocument.objects.create(release=release, file="x.pdf", title_en="Communiqué")
    assert list(in_search("dusk")) == [release]
    assert list(in_search("communiqué")) == [release]


def test_titles_weigh_more_than_lead_quotes_body_and_the_rest(profile):
    in_title = make_release("Demining in Ukraine", body_en="<p>Other words.</p>")
    in_body = make_release("Other news", body_en="<p>Demining goes on.</p>")
    in_dateline = make_release("More news", body_en="<p>Nothing.</p>", dateline_en="Demining")
    assert list(Release.objects.published().search("demining")) == [
        in_title,
        in_body,
        in_dateline,
    ]


def test_suggestions_offer_only_words_of_releases_the_public_may_see(client, profile):
    make_release("Embargoed Kalaallit", status=Status.DRAFT)
    make_release("Greenland visit")
    search.refresh_words()
    assert SearchWord.objects.filter(word="greenland").exists()
    assert not SearchWord.objects.filter(word="kalaallit").exists()
    _titles, page = found(client, "en", "Kalaalit")
    assert "Did you mean" not in page
    _titles, page = found(client, "en", "Grenland")
    assert 'Did you mean <a href="/en/releases/search/?q=Greenland">Greenland</a>?' in page


@pytest.mark.parametrize(
    ("typed", "word", "distance"),
    [("itlay", "italy", 1), ("italy", "italy", 0), ("kofd", "kofod", 1), ("abc", "xyz", 3)],
)
def test_edit_distance_counts_a_swap_of_neighbours_as_one(typed, word, distance):
    assert search.edit_distance(typed, word) == distance


@pytest.mark.parametrize(
    ("text", "positive", "negative", "prefix"),
    [
        ("NATO Ital", ("NATO",), (), "Ital"),
        ("NATO -Italy", ("NATO",), ("Italy",), ""),
        ('"hands over" command', ('"hands over"',), (), "command"),
        ('Iraq -"Mission Iraq"', ("Iraq",), ('"Mission Iraq"',), ""),
        ("NATO's mission", ("NATO's",), (), "mission"),
        ("e-mail", ("e-mail",), (), ""),
    ],
)
def test_queries_are_read_as_websearch_syntax(text, positive, negative, prefix):
    terms = search.Terms.parse(text)
    assert (terms.positive, terms.negative, terms.prefix) == (positive, negative, prefix)


def test_the_admin_release_list_searches_like_readers_and_finds_people(client, seeded, editor):
    draft = make_release("Draft about Greenland", status=Status.DRAFT, body_en="<p>Arctic.</p>")
    sign_in(client, editor)

    def listed(query):
        page = client.get("/admin/releases/release/", {"q": query}).content.decode()
        return set(re.findall(r'<th class="field-title"><a href="[^"]+">([^<]+)</a>', page))

    assert listed("Bødskov") == {HANDOVER}
    assert listed("Mette Holm") == {HANDOVER, GAZA, UKRAINE}
    assert listed("arctic") == {draft.title_en}
    assert listed("handover of NATO Mission Iraq to Italy") == {HANDOVER, SUMMIT}


def test_a_snippet_cut_mid_sentence_says_so():
    from releases.search import MARK_START, MARK_STOP, marked

    word = f"{MARK_START}heating{MARK_STOP}"
    assert marked(f"will provide 20 mobile {word} boilers for") == (
        "…will provide 20 mobile <mark>heating</mark> boilers for…"
    )
    assert marked(f"Denmark sends {word} boilers.") == "Denmark sends <mark>heating</mark> boilers."
    assert marked("") == ""


def test_a_search_says_its_feeds_follow_its_filters_not_its_words(client, seeded):
    _titles, page = found(client, "en", "NATO")
    assert "Follow all new releases (feeds and email do not follow search words):" in page
    assert "Follow these releases:" not in page
    _titles, danish = found(client, "da", "NATO", kind="news")
    assert "Følg nye nyheder med disse filtre (feeds og e-mail følger ikke søgeord):" in danish
    # The feeds keep the filters, and only them.
    assert re.search(r'<a href="/da/[^"?]+\?kind=news">RSS</a>', danish)


def test_when_no_word_is_found_titles_that_look_like_the_query_are_offered(client, seeded):
    titles, page = found(client, "en", "humanitarain")
    assert titles == [GAZA]
    assert "Did you mean" in page and ">humanitarian</a>?" in page
    # Said as it is: none has the word; this one has a title like it.
    assert "No release has “humanitarain”; one has a similar title." in page
    assert "every word" not in page
    _titles, danish = found(client, "da", "humanitarain")
    assert "Ingen nyhed indeholder “humanitarain”; én har en lignende titel." in danish
