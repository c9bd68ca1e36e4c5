"""Missions: figures in words, validation, pages, exports, chart and query counts."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from missions import demo
from missions.dates import PartialDate, Precision
from missions.models import (
    Contribution,
    ContributionType,
    Figure,
    Mission,
    Organisation,
    Participation,
)
from missions.wording import figure_wording
from tests.conftest import make_release

Kind, Qualifier = Figure.Kind, Figure.Qualifier


# Figures in words ---------------------------------------------------------------------------

WORDING = [
    # kind, qualifier, value, English, Danish
    (Kind.ACTUAL, Qualifier.EXACT, 4, "4", "4"),
    (Kind.ACTUAL, Qualifier.ABOUT, 60, "about 60", "ca. 60"),
    (Kind.ACTUAL, Qualifier.UP_TO, 60, "up to 60", "op til 60"),
    (Kind.CEILING, Qualifier.UP_TO_ABOUT, 60, "up to about 60", "op til ca. 60"),
    (Kind.ACTUAL, Qualifier.AT_LEAST, 60, "at least 60", "mindst 60"),
    (Kind.INITIAL, Qualifier.EXACT, 4, "initially 4", "indledningsvis 4"),
    (Kind.INITIAL, Qualifier.ABOUT, 4, "initially about 4", "indledningsvis ca. 4"),
    (Kind.PLANNED, Qualifier.UP_TO, 20, "planned: up to 20", "planlagt: op til 20"),
    (Kind.CEILING, Qualifier.EXACT, 15, "at most 15", "højst 15"),
    (Kind.CEILING, Qualifier.ABOUT, 15, "up to about 15", "op til ca. 15"),
    (Kind.ACTUAL, Qualifier.EXACT, 1200, "1,200", "1.200"),
]


@pytest.mark.parametrize(("kind", "qualifier", "value", "english", "danish"), WORDING)
def test_figure_wording_in_both_languages(kind, qualifier, value, english, danish):
    with translation.override("en"):
        assert figure_wording(kind, qualifier, value) == english
    with translation.override("da"):
        assert figure_wording(kind, qualifier, value) == danish


def test_every_qualifier_and_kind_has_wording_in_both_languages():
    for language in ("en", "da"):
        with translation.override(language):
            for kind in Kind.values:
                for qualifier in Qualifier.values:
                    assert "7" in figure_wording(kind, qualifier, 7)


def test_partial_dates_show_no_more_than_is_known():
    day = datetime.date(2022, 5, 17)
    with translation.override("en"):
        assert str(PartialDate(day, Precision.MONTH)) == "May 2022"
        assert str(PartialDate(day, Precision.YEAR)) == "2022"
    with translation.override("da"):
        assert str(PartialDate(day, Precision.DAY)) == "17. maj 2022"
        assert str(PartialDate(day, Precision.MONTH)) == "maj 2022"
    assert PartialDate(day, Precision.MONTH).iso == "2022-05"
    assert PartialDate(day, Precision.YEAR).iso == "2022"
    assert PartialDate(day).iso == "2022-05-17"


# Factories -----------------------------------------------------------------------------------


def make_mission(slug="nmi", *, organisation=None, **fields):
    organisation = (
        organisation
        or Organisation.objects.get_or_create(
            acronym="NATO", defaults={"name_en": "North Atlantic Treaty Organization"}
        )[0]
    )
    values = {
        "acronym": "NMI",
        "name_en": "NATO Mission Iraq",
        "name_da": "NATO’s Mission Irak",
        "summary_en": "A non-combat mission.",
        "summary_da": "En ikke-kampmission.",
        "host_countries": ["IQ"],
    }
    values.update(fields)
    return Mission.objects.create(slug=slug, organisation=organisation, **values)


def make_figure(contribution, value, kind=Kind.ACTUAL, qualifier=Qualifier.EXACT, **fields):
    return Figure.objects.create(
        contribution=contribution, value=value, kind=kind, qualifier=qualifier, **fields
    )


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.html_lang = None

    def handle_starttag(self, tag, attrs):
        if tag == "h1":
            self.h1 += 1
        if tag == "html":
            self.html_lang = dict(attrs).get("lang")


@pytest.fixture
def demo_missions(db, profile):
    from pressroom import demo as pressroom_demo

    pressroom_demo.load()
    return Mission.objects.get(slug="nato-mission-iraq")


# Demo content --------------------------------------------------------------------------------


def test_demo_is_idempotent_and_holds_the_seed_facts(db):
    assert demo.load() > 0
    assert demo.load() == 0
    nmi = Mission.objects.get(slug="nato-mission-iraq")
    assert nmi.non_combat and nmi.host_countries == ["IQ"]
    assert nmi.established_on == PartialDate(datetime.date(2018, 7, 1), Precision.MONTH)
    partners = nmi.participations.filter(role=Participation.Role.PARTNER)
    assert sorted(p.country.code for p in partners) == ["AU", "FI", "SE"]
    periods = list(nmi.command_periods.all())
    assert [p.lead_nation.code for p in periods] == ["DK", "DK", "IT"]
    assert periods[0].start == datetime.date(2020, 11, 1)
    assert periods[1].end == datetime.date(2022, 5, 1)
    with translation.override("en"):
        assert [h.wording() for h in nmi.current_danish_personnel()] == ["up to about 15"]
        oir = Mission.objects.get(slug="operation-inherent-resolve")
        assert [h.wording() for h in oir.current_danish_personnel()] == ["up to about 60"]


# Pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "da"])
def test_mission_pages_answer_with_one_h1_in_their_language(client, demo_missions, language):
    with translation.override(language):
        urls = [
            reverse("missions:list"),
            demo_missions.get_absolute_url(),
            Mission.objects.get(slug="operation-inherent-resolve").get_absolute_url(),
            reverse("missions:list") + "?country=IQ&contribution=radar",
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = _Page()
        page.feed(response.content.decode())
        assert page.h1 == 1, url
        assert page.html_lang == language, url


def test_mission_page_tells_who_led_when_and_what_denmark_contributes(client, demo_missions):
    english = client.get("/en/missions/nato-mission-iraq/").content.decode()
    assert (
        '<time datetime="2020-11">November 2020</time> – <time datetime="2021">2021</time>'
        "</strong>: Denmark, commanded by Lieutenant General Per Pease" in english
    )
    assert "since May 2022</strong>: Italy</li>" in english
    assert 'Australia <span class="meta">(partner)</span>' in english
    assert "Personnel: <strong>initially 4</strong>" in english
    assert "Personnel: <strong>up to about 15</strong>" in english
    assert "Aircraft: <strong>2</strong>" in english
    danish = client.get("/da/missioner/nato-mission-iraq/").content.decode()
    assert "Personel: <strong>indledningsvis 4</strong>" in danish
    assert "Personel: <strong>op til ca. 15</strong>" in danish
    assert "kommanderet af Generalløjtnant Michael Lollesgaard" in danish


def test_mission_list_shows_denmarks_current_personnel_and_status(client, demo_missions):
    english = client.get("/en/missions/").content.decode()
    assert 'up to about 15 <span class="meta">(2018)</span>' in english
    assert ">up to about 60</td>" in english
    danish = client.get("/da/missioner/").content.decode()
    assert 'op til ca. 15 <span class="meta">(2018)</span>' in danish
    assert 'Aktuel <span class="meta">(siden juli 2018)</span>' in danish


def test_mission_list_filters_by_organisation_country_and_contribution_type(client, db, profile):
    nato = Organisation.objects.create(acronym="NATO", name_en="NATO")
    un = Organisation.objects.create(acronym="UN", name_en="United Nations")
    iraq = make_mission("nmi", organisation=nato, host_countries=["IQ"])
    mali = make_mission(
        "minusma", organisation=un, acronym="MINUSMA", name_en="MINUSMA", host_countries=["ML"]
    )
    Contribution.objects.create(mission=mali, kind=ContributionType.AIR_TRANSPORT)
    Contribution.objects.create(mission=iraq, kind=ContributionType.RADAR, country="NO")

    def listed(query):
        response = client.get("/en/missions/" + query)
        return {m.slug for m in response.context["object_list"]}

    assert listed("") == {"nmi", "minusma"}
    assert listed(f"?organisation={un.pk}") == {"minusma"}
    assert listed("?country=IQ") == {"nmi"}
    assert listed("?contribution=air-transport") == {"minusma"}
    # Only Denmark's contributions count in this filter.
    assert listed("?contribution=radar") == set()


def test_ended_missions_are_listed_apart(client, db, profile):
    make_mission("old", ended=datetime.date(2020, 1, 1), ended_precision=Precision.YEAR)
    make_mission("new", acronym="NEW", name_en="New mission")
    response = client.get("/en/missions/")
    assert [m.slug for m in response.context["current_missions"]] == ["new"]
    assert [m.slug for m in response.context["ended_missions"]] == ["old"]
    assert 'Ended <span class="meta">(2020)</span>' in response.content.decode()


def test_mission_page_lists_its_published_releases_newest_first(client, db, profile):
    mission = make_mission()
    now = timezone.now()
    older = make_release("Older release", published_at=now - datetime.timedelta(days=2))
    newer = make_release("Newer release", published_at=now - datetime.timedelta(days=1))
    draft = make_release("Draft release", status="draft")
    for release in (older, newer, draft):
        release.missions.add(mission)
    body = client.get(mission.get_absolute_url()).content.decode()
    assert body.index("Newer release") < body.index("Older release")
    assert "Draft release" not in body


def test_release_page_shows_the_fact_box_linking_to_the_mission(client, demo_missions):
    from releases.models import Release

    release = Release.objects.get(
        slug_en="denmark-hands-over-command-of-nato-mission-iraq-to-italy"
    )
    body = client.get(release.get_absolute_url()).content.decode()
    assert '<h2 id="fact-nato-mission-iraq">NATO Mission Iraq (NMI)</h2>' in body
    assert '<a href="/en/missions/nato-mission-iraq/">More about NATO Mission Iraq</a>' in body
    with translation.override("da"):
        danish_url = release.get_absolute_url()
    danish = client.get(danish_url).content.decode()
    assert '<h2 id="fact-nato-mission-iraq">NATO’s Mission Irak (NMI)</h2>' in danish
    assert '<a href="/da/missioner/nato-mission-iraq/">' in danish
    mission_page = client.get("/en/missions/nato-mission-iraq/").content.decode()
    assert f'<a href="{release.get_absolute_url()}">{release.title_en}</a>' in mission_page


def test_fact_box_needs_no_queries_beyond_the_prefetch(demo_missions, django_assert_num_queries):
    from django.db.models import Prefetch
    from django.template.loader import render_to_string

    from releases.models import Release

    with django_assert_num_queries(2):
        release = Release.objects.prefetch_related(
            Prefetch("missions", queryset=Mission.objects.for_fact_box())
        ).get(slug_en="denmark-hands-over-command-of-nato-mission-iraq-to-italy")
    with django_assert_num_queries(0):
        html = "".join(
            render_to_string("missions/includes/fact_box.html", {"mission": m})
            for m in release.missions.all()
        )
    assert "North Atlantic Treaty Organization" in html
