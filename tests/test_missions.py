"""Missions: figures in words, validation, pages, exports, chart and query counts."""

import csv
import datetime
import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.asserts import assertContains, assertInHTML

from core.models import Licence, default_licence
from missions import demo
from missions.chart import personnel_chart
from missions.dates import PartialDate, Precision
from missions.models import (
    CommandPeriod,
    Contribution,
    ContributionKind,
    Figure,
    FigureKind,
    LegalBasis,
    Mission,
    Organisation,
    Participation,
    Qualifier,
    headline_figures,
)
from missions.wording import figure_wording
from tests.conftest import (
    make_figure,
    make_mission,
    make_photo,
    make_release,
    outline,
    sign_in,
    upload,
)

# Figures in words ---------------------------------------------------------------------------

WORDING = [
    # kind, qualifier, value, English, Danish
    (FigureKind.ACTUAL, Qualifier.EXACT, 4, "4", "4"),
    (FigureKind.ACTUAL, Qualifier.ABOUT, 60, "about 60", "ca. 60"),
    (FigureKind.ACTUAL, Qualifier.UP_TO, 60, "up to 60", "op til 60"),
    (FigureKind.CEILING, Qualifier.UP_TO_ABOUT, 60, "up to about 60", "op til ca. 60"),
    (FigureKind.ACTUAL, Qualifier.AT_LEAST, 60, "at least 60", "mindst 60"),
    (FigureKind.INITIAL, Qualifier.EXACT, 4, "initially 4", "indledningsvis 4"),
    (FigureKind.INITIAL, Qualifier.ABOUT, 4, "initially about 4", "indledningsvis ca. 4"),
    (FigureKind.PLANNED, Qualifier.UP_TO, 20, "planned: up to 20", "planlagt: op til 20"),
    (FigureKind.CEILING, Qualifier.EXACT, 15, "at most 15", "højst 15"),
    (FigureKind.CEILING, Qualifier.ABOUT, 15, "up to about 15", "op til ca. 15"),
    (FigureKind.ACTUAL, Qualifier.EXACT, 1200, "1,200", "1.200"),
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
            for kind in FigureKind.values:
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
    assert nmi.established == PartialDate(datetime.date(2018, 7, 1), Precision.MONTH)
    partners = nmi.participations.filter(role=Participation.Role.PARTNER)
    assert sorted(p.country.code for p in partners) == ["AU", "FI", "SE"]
    periods = list(nmi.command_periods.all())
    assert [p.lead_nation.code for p in periods] == ["DK", "DK", "IT"]
    assert periods[0].started_on == datetime.date(2020, 11, 1)
    assert periods[1].ended_on == datetime.date(2022, 5, 1)
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
        page = outline(response)
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
    assert "<dt>Type of mission</dt><dd>Training and capacity building; non-combat</dd>" in english
    danish = client.get("/da/missioner/nato-mission-iraq/").content.decode()
    assert "Personel: <strong>indledningsvis 4</strong>" in danish
    assert "Personel: <strong>op til ca. 15</strong>" in danish
    assert "kommanderet af Generalløjtnant Michael Lollesgaard" in danish
    assert "<dt>Missionstype</dt>" in danish


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
    Contribution.objects.create(mission=mali, kind=ContributionKind.AIR_TRANSPORT)
    Contribution.objects.create(mission=iraq, kind=ContributionKind.RADAR, country="NO")

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
    make_mission("old", ended_on=datetime.date(2020, 1, 1), ended_precision=Precision.YEAR)
    make_mission("new", acronym="NEW", name_en="New mission")
    response = client.get("/en/missions/")
    assert [m.slug for m in response.context["current_missions"]] == ["new"]
    assert [m.slug for m in response.context["ended_missions"]] == ["old"]
    assert 'Ended <span class="meta">(2020)</span>' in response.content.decode()


def test_an_empty_table_says_whether_a_filter_emptied_it(client, db, profile):
    make_mission("nmi", host_countries=["IQ"])
    english = client.get("/en/missions/").content.decode()
    assert "There are no ended missions." in english and "match" not in english
    danish = client.get("/da/missioner/").content.decode()
    assert "Der er ingen afsluttede missioner." in danish
    filtered = client.get("/en/missions/?contribution=radar").content.decode()
    assert "No current missions match." in filtered and "No ended missions match." in filtered


def test_missions_and_contributions_are_current_until_the_day_they_end():
    today = datetime.date(2024, 6, 1)
    for model in (Mission, Contribution):
        assert model(ended_on=None).is_current(today)
        assert model(ended_on=datetime.date(2024, 6, 2)).is_current(today)
        assert not model(ended_on=today).is_current(today)
        assert not model(ended_on=datetime.date(2024, 5, 31)).is_current(today)


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
    english = client.get(release.get_absolute_url())
    assertContains(
        english, '<h2 id="fact-nato-mission-iraq">NATO Mission Iraq (NMI)</h2>', html=True
    )
    assertContains(
        english,
        '<a href="/en/missions/nato-mission-iraq/">More about NATO Mission Iraq</a>',
        html=True,
    )
    with translation.override("da"):
        danish_url = release.get_absolute_url()
    danish = client.get(danish_url)
    assertContains(
        danish, '<h2 id="fact-nato-mission-iraq">NATO’s Mission Irak (NMI)</h2>', html=True
    )
    assertContains(
        danish,
        '<a href="/da/missioner/nato-mission-iraq/">Mere om NATO’s Mission Irak</a>',
        html=True,
    )
    mission_page = client.get("/en/missions/nato-mission-iraq/")
    assertContains(
        mission_page, f'<a href="{release.get_absolute_url()}">{release.title_en}</a>', html=True
    )


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


# Validation ----------------------------------------------------------------------------------


def _management(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(sum(1 for row in rows if row.get("id"))),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


def mission_admin_data(mission, command_periods=()):
    data = {
        "name_en": mission.name_en,
        "name_da": mission.name_da,
        "acronym": mission.acronym,
        "slug": mission.slug,
        "organisation": str(mission.organisation_id),
        "host_countries": ["IQ"],
        "established_precision": "day",
        "ended_precision": "day",
    }
    for prefix in ("legal_bases", "participations", "contributions"):
        data.update(_management(prefix, []))
    rows = [
        {
            "lead_nation": nation,
            "started_on": start,
            "started_precision": "month",
            "ended_on": end,
            "ended_precision": "month",
            "mission": str(mission.pk),
        }
        for nation, start, end in command_periods
    ]
    data.update(_management("command_periods", rows))
    return data


@pytest.fixture
def editor_client(client, editor):
    """A client signed in as an editor, second factor given: not a superuser."""
    sign_in(client, editor)
    return client


def test_admin_saves_command_periods_that_follow_each_other(editor_client, db):
    mission = make_mission()
    data = mission_admin_data(
        mission, [("DK", "2020-11-01", "2022-05-01"), ("IT", "2022-05-01", "")]
    )
    response = editor_client.post(f"/admin/missions/mission/{mission.pk}/change/", data)
    assert response.status_code == 302
    assert [p.lead_nation.code for p in mission.command_periods.all()] == ["DK", "IT"]


def test_admin_refuses_overlapping_command_periods_across_rows(editor_client, db):
    mission = make_mission()
    data = mission_admin_data(
        mission, [("DK", "2020-11-01", "2022-05-01"), ("IT", "2022-03-01", "")]
    )
    response = editor_client.post(f"/admin/missions/mission/{mission.pk}/change/", data)
    assert response.status_code == 200
    assert "overlap: one must end before or on the day the other begins" in (
        response.content.decode()
    )
    assert not mission.command_periods.exists()


def test_admin_refuses_a_period_that_overlaps_an_open_ended_one(editor_client, db):
    mission = make_mission()
    data = mission_admin_data(mission, [("IT", "2022-05-01", ""), ("DK", "2023-01-01", "")])
    response = editor_client.post(f"/admin/missions/mission/{mission.pk}/change/", data)
    assert response.status_code == 200
    assert "overlap" in response.context["inline_admin_formsets"][1].formset.non_form_errors()[0]
    assert not mission.command_periods.exists()


def test_admin_refuses_an_end_before_the_start(editor_client, db):
    mission = make_mission()
    data = mission_admin_data(mission, [("DK", "2022-05-01", "2020-11-01")])
    response = editor_client.post(f"/admin/missions/mission/{mission.pk}/change/", data)
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()
    assert not mission.command_periods.exists()


def test_admin_messages_are_in_danish_for_a_danish_editor(editor_client, db):
    mission = make_mission()
    data = mission_admin_data(mission, [("DK", "2022-05-01", "2020-11-01")])
    response = editor_client.post(
        f"/admin/missions/mission/{mission.pk}/change/", data, HTTP_ACCEPT_LANGUAGE="da"
    )
    assert "Slutdatoen kan ikke ligge før startdatoen." in response.content.decode()


def contribution_admin_data(contribution, figures):
    data = {
        "mission": str(contribution.mission_id),
        "country": "DK",
        "kind": contribution.kind,
        "started_precision": "day",
        "ended_precision": "day",
    }
    rows = [
        {
            "measure": "personnel",
            "kind": kind,
            "qualifier": "exact",
            "value": str(value),
            "dated_on": dated_on,
            "dated_precision": "day",
            "contribution": str(contribution.pk),
        }
        for kind, value, dated_on in figures
    ]
    data.update(_management("figures", rows))
    return data


def test_admin_refuses_a_ceiling_below_the_figure_it_bounds(editor_client, db):
    contribution = Contribution.objects.create(
        mission=make_mission(), kind=ContributionKind.FORCE_PROTECTION
    )
    data = contribution_admin_data(
        contribution, [("ceiling", 15, "2018-07-01"), ("actual", 20, "2019-01-01")]
    )
    url = f"/admin/missions/contribution/{contribution.pk}/change/"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "The ceiling of 15 is below the figure it bounds (20)" in response.content.decode()
    assert not contribution.figures.exists()
    # A later, higher ceiling bounds the later figure instead.
    data = contribution_admin_data(
        contribution,
        [
            ("ceiling", 15, "2018-07-01"),
            ("actual", 12, "2018-09-01"),
            ("ceiling", 25, "2019-01-01"),
            ("actual", 20, "2019-06-01"),
        ],
    )
    assert editor_client.post(url, data).status_code == 302
    assert contribution.figures.count() == 4


def test_admin_refuses_negative_figures(editor_client, db):
    contribution = Contribution.objects.create(
        mission=make_mission(), kind=ContributionKind.FORCE_PROTECTION
    )
    data = contribution_admin_data(contribution, [("actual", -3, "2019-01-01")])
    response = editor_client.post(f"/admin/missions/contribution/{contribution.pk}/change/", data)
    assert response.status_code == 200
    assert "A figure cannot be negative." in response.content.decode()
    assert not contribution.figures.exists()


def test_the_database_refuses_negative_figures_and_reversed_dates(db):
    mission = make_mission()
    contribution = Contribution.objects.create(mission=mission, kind=ContributionKind.RADAR)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_figure(contribution, -1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommandPeriod.objects.create(
            mission=mission,
            lead_nation="DK",
            started_on=datetime.date(2022, 5, 1),
            ended_on=datetime.date(2020, 11, 1),
        )


def test_model_validation_names_the_field_and_says_what_is_wrong(db):
    mission = make_mission()
    contribution = Contribution(
        mission=mission,
        kind=ContributionKind.RADAR,
        started_on=datetime.date(2022, 1, 1),
        ended_on=datetime.date(2021, 1, 1),
    )
    with pytest.raises(ValidationError) as error, translation.override("en"):
        contribution.full_clean()
    assert error.value.message_dict["ended_on"] == ["The end date cannot be before the start date."]
    figure = Figure(
        contribution=Contribution.objects.create(mission=mission, kind="radar"), value=-5
    )
    with pytest.raises(ValidationError) as error, translation.override("en"):
        figure.full_clean()
    assert error.value.message_dict["value"] == ["A figure cannot be negative."]


# Headline figures ----------------------------------------------------------------------------


def test_headline_never_adds_a_ceiling_to_an_actual_figure(db):
    mission = make_mission()
    first = Contribution.objects.create(mission=mission, kind=ContributionKind.RADAR)
    second = Contribution.objects.create(mission=mission, kind=ContributionKind.STAFF_OFFICERS)
    third = Contribution.objects.create(mission=mission, kind=ContributionKind.TRAINERS)
    make_figure(first, 10, dated_on=datetime.date(2024, 1, 1))
    make_figure(second, 5, dated_on=datetime.date(2024, 2, 1))
    make_figure(third, 60, FigureKind.CEILING, Qualifier.UP_TO_ABOUT)
    with translation.override("en"):
        assert [h.wording() for h in mission.current_danish_personnel()] == [
            "15",
            "up to about 60",
        ]


def test_headline_uses_the_latest_actual_figure_and_the_loosest_qualifier(db):
    mission = make_mission()
    first = Contribution.objects.create(mission=mission, kind=ContributionKind.RADAR)
    second = Contribution.objects.create(mission=mission, kind=ContributionKind.STAFF_OFFICERS)
    make_figure(first, 99, dated_on=datetime.date(2020, 1, 1))
    make_figure(first, 40, FigureKind.CEILING, Qualifier.UP_TO, dated_on=datetime.date(2024, 1, 1))
    make_figure(first, 30, qualifier=Qualifier.ABOUT, dated_on=datetime.date(2023, 1, 1))
    make_figure(second, 5, dated_on=datetime.date(2023, 6, 1))
    ended = Contribution.objects.create(
        mission=mission, kind=ContributionKind.TRAINERS, ended_on=datetime.date(2021, 1, 1)
    )
    make_figure(ended, 500)
    with translation.override("da"):
        assert [h.wording() for h in mission.current_danish_personnel()] == ["ca. 35"]
    assert headline_figures([]) == []


# Open data -----------------------------------------------------------------------------------


def _csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _json(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)["rows"]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_figure_export_parses_and_matches_the_database(client, demo_missions, fmt):
    response = client.get(f"/en/missions/data/figures.{fmt}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="pressroom-figures.{fmt}"'
    rows = _csv(response) if fmt == "csv" else _json(response)
    figures = Figure.objects.select_related("contribution__mission")
    assert len(rows) == figures.count() == 4
    by_key = {(r["mission"], str(r["contribution_id"]), r["figure_kind"]): r for r in rows}
    for figure in figures:
        row = by_key[(figure.contribution.mission.slug, str(figure.contribution_id), figure.kind)]
        assert str(row["value"]) == str(figure.value)
        assert row["qualifier"] == figure.qualifier
        assert row["measure"] == figure.measure
        assert row["country_alpha2"] == "DK"
        assert row["country_alpha3"] == "DNK"
        assert row["as_of"] == figure.dated.iso
    ceiling = by_key[
        (
            "nato-mission-iraq",
            str(Figure.objects.get(value=15).contribution_id),
            "ceiling",
        )
    ]
    assert ceiling["wording_en"] == "up to about 15"
    assert ceiling["wording_da"] == "op til ca. 15"
    assert ceiling["as_of"] == "2018"
    assert ceiling["as_of_precision"] == "year"


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_mission_and_command_period_exports_match_the_database(client, demo_missions, fmt):
    load = _csv if fmt == "csv" else _json
    missions = load(client.get(f"/en/missions/data/missions.{fmt}"))
    assert [
        (r["mission"], r["host_country_alpha2"], r["host_country_alpha3"]) for r in missions
    ] == [
        ("nato-mission-iraq", "IQ", "IRQ"),
        ("operation-inherent-resolve", "IQ", "IRQ"),
    ]
    assert missions[0]["established"] == "2018-07"
    assert missions[0]["name_da"] == "NATO’s Mission Irak"
    periods = load(client.get(f"/en/missions/data/command-periods.{fmt}"))
    assert [
        (r["lead_nation_alpha3"], r["commander_name"], r["start"], r["end"]) for r in periods
    ] == [
        ("DNK", "Per Pease", "2020-11", "2021"),
        ("DNK", "Michael Lollesgaard", "2021", "2022-05"),
        ("ITA", "", "2022-05", ""),
    ]
    contributions = load(client.get(f"/en/missions/data/contributions.{fmt}"))
    assert len(contributions) == Contribution.objects.count()
    assert {r["type"] for r in contributions} >= {"special-forces", "radar", "air-transport"}


def test_every_export_row_has_the_documented_columns_in_order(client, demo_missions):
    from missions import exports

    for dataset, columns in exports.COLUMNS.items():
        rows = _json(client.get(f"/en/missions/data/{dataset}.json"))
        assert rows and all(list(row) == columns for row in rows), dataset


def test_an_empty_export_still_has_its_header(client, db):
    mission = make_mission()
    response = client.get(f"/en/missions/data/command-periods.csv?mission={mission.slug}")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines() == [
        "mission,lead_nation_alpha2,lead_nation_alpha3,lead_nation_name_en,commander_rank_en,"
        "commander_rank_da,commander_name,start,start_precision,end,end_precision"
    ]


def test_export_can_be_narrowed_to_one_mission(client, demo_missions):
    rows = _json(
        client.get("/en/missions/data/contributions.json?mission=operation-inherent-resolve")
    )
    assert {r["mission"] for r in rows} == {"operation-inherent-resolve"}
    assert len(rows) == 3
    assert client.get("/en/missions/data/contributions.json?mission=nope").status_code == 404
    assert client.get("/en/missions/data/unknown.csv").status_code == 404
    assert client.get("/en/missions/data/figures.xml").status_code == 404


def test_pages_link_to_the_downloads(client, demo_missions):
    listing = client.get("/en/missions/")
    assertContains(listing, '<a href="/en/missions/data/figures.csv" download>CSV</a>', html=True)
    page = client.get("/en/missions/nato-mission-iraq/").content.decode()
    assert (
        '<a href="/en/missions/data/figures.json?mission=nato-mission-iraq" download>JSON</a>'
        in page
    )


# The chart -----------------------------------------------------------------------------------


class _ChartParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.circles, self.rows, self.paths = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        key = (attrs.get("data-date"), attrs.get("data-value"), attrs.get("data-kind"))
        if tag == "circle":
            self.circles.append(key)
        elif tag == "tr" and "data-date" in attrs:
            self.rows.append(key)
        elif tag == "path":
            self.paths.append(attrs)


def test_chart_and_its_table_show_the_same_figures(client, db, profile):
    mission = make_mission()
    force = Contribution.objects.create(mission=mission, kind=ContributionKind.FORCE_PROTECTION)
    make_figure(force, 4, FigureKind.INITIAL, dated_on=datetime.date(2018, 7, 1))
    make_figure(
        force, 15, FigureKind.CEILING, Qualifier.UP_TO_ABOUT, dated_on=datetime.date(2018, 7, 1)
    )
    make_figure(force, 12, FigureKind.ACTUAL, Qualifier.ABOUT, dated_on=datetime.date(2019, 3, 1))
    make_figure(force, 9, FigureKind.ACTUAL, dated_on=datetime.date(2020, 3, 1))
    make_figure(
        force,
        2,
        FigureKind.ACTUAL,
        measure=Figure.Measure.AIRCRAFT,
        dated_on=datetime.date(2020, 3, 1),
    )
    make_figure(force, 30, FigureKind.CEILING, dated_on=None)
    body = client.get(mission.get_absolute_url()).content.decode()
    chart = _ChartParser()
    chart.feed(body[body.index('<section class="chart"') :])
    assert sorted(chart.circles) == sorted(chart.rows)
    assert sorted(chart.rows) == sorted(
        [
            ("2018-07-01", "4", "initial"),
            ("2018-07-01", "15", "ceiling"),
            ("2019-03-01", "12", "actual"),
            ("2020-03-01", "9", "actual"),
        ]
    )
    dashed = [p for p in chart.paths if p.get("stroke-dasharray")]
    solid = [p for p in chart.paths if not p.get("stroke-dasharray")]
    assert len(dashed) == 1 and len(solid) == 1
    assert '<svg viewBox="0 0 640 280" role="img" aria-labelledby="chart-title chart-desc"' in body
    assertInHTML("<caption>The figures in the chart</caption>", body)
    # A phone shows every other year (missions.css), from the first, which starts at the axis.
    years = re.findall(
        r'<text x="[\d.]+" y="266" text-anchor="(\w+)"( class="tick-between")?>(\d+)', body
    )
    assert [(year, anchor, bool(between)) for anchor, between, year in years] == [
        ("2018", "start", False),
        ("2019", "middle", True),
        ("2020", "middle", False),
        ("2021", "middle", True),
    ] + [
        (str(year), "middle", year % 2 == 1) for year in range(2022, datetime.date.today().year + 2)
    ]
    assert "an initial figure that nothing follows is a dot alone" in body


def test_chart_coordinates_are_not_localised(client, db, profile):
    mission = make_mission()
    force = Contribution.objects.create(mission=mission, kind=ContributionKind.FORCE_PROTECTION)
    make_figure(force, 7, dated_on=datetime.date(2019, 3, 1))
    body = client.get(f"/da/missioner/{mission.slug}/").content.decode()
    chart = _ChartParser()
    chart.feed(body)
    assert "," not in chart.paths[0]["d"]
    assertInHTML("<caption>Tallene i diagrammet</caption>", body)


def test_chart_steps_from_figure_to_figure_and_never_draws_an_initial_figure_onwards(db):
    mission = make_mission()
    force = Contribution.objects.create(
        mission=mission, kind=ContributionKind.FORCE_PROTECTION, ended_on=datetime.date(2021, 1, 1)
    )
    make_figure(force, 4, FigureKind.INITIAL, dated_on=datetime.date(2019, 1, 1))
    make_figure(force, 8, FigureKind.CEILING, dated_on=datetime.date(2019, 1, 1))
    force = Contribution.objects.prefetch_related("figures").get()
    chart = personnel_chart([force], today=datetime.date(2030, 1, 1))
    ceiling, actual = chart.series
    assert ceiling.dashed and not actual.dashed
    assert actual.path == f"M{actual.points[0].x} {actual.points[0].y}"
    # The ceiling holds until the contribution ends.
    assert ceiling.path.startswith(f"M{ceiling.points[0].x} {ceiling.points[0].y}H")
    assert [year for _x, year in chart.x_ticks] == [2019, 2020, 2021, 2022]
    assert personnel_chart([]) is None


# Query counts --------------------------------------------------------------------------------


def _grow(count):
    start = Mission.objects.count()
    for n in range(start, start + count):
        mission = make_mission(f"mission-{n}", host_countries=["IQ", "SY"])
        for kind in (ContributionKind.RADAR, ContributionKind.TRAINERS):
            contribution = Contribution.objects.create(mission=mission, kind=kind)
            make_figure(contribution, 10 + n, dated_on=datetime.date(2020, 1, 1))
            make_figure(
                contribution, 20 + n, FigureKind.CEILING, dated_on=datetime.date(2020, 1, 1)
            )


@pytest.mark.parametrize("language", ["en", "da"])
def test_mission_list_queries_stay_constant_as_missions_and_figures_grow(
    client, profile, django_assert_num_queries, language
):
    url = "/en/missions/" if language == "en" else "/da/missioner/"
    _grow(2)
    client.get(url)  # warms the profile and session caches
    with django_assert_num_queries(5) as small:
        client.get(url)
    _grow(12)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["current_missions"]) == 14


def test_mission_page_queries_stay_constant_as_figures_grow(
    client, profile, django_assert_num_queries
):
    mission = make_mission()
    for n in range(2):
        contribution = Contribution.objects.create(mission=mission, kind="radar")
        make_figure(contribution, n + 1, dated_on=datetime.date(2020 + n, 1, 1))
    from missions.views import forget_kept_pages

    client.get(mission.get_absolute_url())
    # Kept as it was: the digest of what it shows, and its releases.
    with django_assert_num_queries(2):
        client.get(mission.get_absolute_url())
    # Read afresh: the digest, the mission, its legal bases, command periods, participations,
    # contributions, figures and releases; the sign-up box's form was rendered by the first
    # request and is kept.
    forget_kept_pages()
    with django_assert_num_queries(8) as small:
        client.get(mission.get_absolute_url())
    for n in range(10):
        contribution = Contribution.objects.create(mission=mission, kind="trainers")
        make_figure(contribution, n + 1, dated_on=datetime.date(2020 + n % 5, 1, 1))
        CommandPeriod.objects.create(
            mission=mission,
            lead_nation="DK",
            started_on=datetime.date(2000 + n, 1, 1),
            ended_on=datetime.date(2001 + n, 1, 1),
        )
    # The digest moved on: read afresh, with as many queries as before.
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(mission.get_absolute_url())


def test_an_editor_works_in_the_mission_admin_pages(editor_client, editor, demo_missions):
    assert not editor.is_superuser
    oir = Mission.objects.get(slug="operation-inherent-resolve")
    nmi_url = f"/admin/missions/mission/{demo_missions.pk}/change/"
    personnel = demo_missions.contributions.get(kind=ContributionKind.PERSONNEL)

    missions = editor_client.get("/admin/missions/mission/")
    assertContains(missions, "<h1>Select mission to change</h1>", html=True)
    assertContains(missions, f'<a href="{nmi_url}">NATO Mission Iraq</a>', html=True)
    assertContains(
        missions,
        f'<a href="/admin/missions/mission/{oir.pk}/change/">Operation Inherent Resolve</a>',
        html=True,
    )

    # The form pages are large; what they show is read from their context.
    add = editor_client.get("/admin/missions/mission/add/")
    assert (add.context["title"], add.context["add"]) == ("Add mission", True)
    assert add.context["has_add_permission"]

    change = editor_client.get(nmi_url)
    assert change.context["title"] == "Change mission"  # not "View mission"
    assert change.context["original"] == demo_missions
    assert change.context["has_change_permission"]
    periods = inline_instances(change, "command_periods")
    assert [p.commander_name for p in periods] == ["Per Pease", "Michael Lollesgaard", ""]

    contributions = editor_client.get("/admin/missions/contribution/")
    assertContains(contributions, "<h1>Select contribution to change</h1>", html=True)
    assertContains(
        contributions,
        f'<a href="/admin/missions/contribution/{personnel.pk}/change/">'
        "Denmark: Personnel for the mission</a>",
        html=True,
    )
    assert contributions.context["cl"].result_count == Contribution.objects.count()

    contribution = editor_client.get(f"/admin/missions/contribution/{personnel.pk}/change/")
    assertContains(contribution, "<h1>Change contribution</h1>", html=True)
    assertContains(contribution, "<h2>Denmark: Personnel for the mission</h2>", html=True)
    assert inline_instances(contribution, "figures") == list(personnel.figures.all())

    organisations = editor_client.get("/admin/missions/organisation/")
    assertContains(organisations, "<h1>Select organisation to change</h1>", html=True)
    assertContains(
        organisations, '<td class="field-name">North Atlantic Treaty Organization</td>', html=True
    )
    assertContains(
        organisations, '<td class="field-name">Global Coalition against Daesh</td>', html=True
    )


def inline_instances(response, prefix):
    """The saved rows an admin change page shows in its inline ``prefix``."""
    [formset] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
    ]
    return [form.instance for form in formset.initial_forms]


def test_sitemap_lists_the_mission_pages(client, demo_missions):
    body = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/en/missions/nato-mission-iraq/" in body
    assert "http://testserver/da/missioner/nato-mission-iraq/" in body


def test_a_figure_older_than_a_year_is_not_called_denmarks_personnel_now(client, demo_missions):
    body = client.get("/en/missions/nato-mission-iraq/").content.decode()
    assert (
        "<dt>Danish personnel, latest figure known</dt>"
        '<dd>up to about 15 <span class="meta">(2018)</span></dd>'
    ) in body
    assert "Danish personnel now" not in body
    contribution = Contribution.objects.get(mission__slug="nato-mission-iraq", kind="personnel")
    contribution.figures.create(
        kind="actual",
        qualifier="about",
        value=12,
        dated_on=timezone.localdate(),
        measure="personnel",
    )
    body = client.get("/en/missions/nato-mission-iraq/").content.decode()
    assert '<dt>Danish personnel now</dt><dd>about 12 <span class="meta">(' in body


def test_a_description_that_only_repeats_the_type_is_not_shown_again(client, demo_missions):
    danish = client.get("/da/missioner/nato-mission-iraq/").content.decode()
    assert "<strong>Styrkebeskyttelse</strong>\n  \n" in danish
    assert "Styrkebeskyttelse." not in danish
    english = client.get("/en/missions/nato-mission-iraq/").content.decode()
    assert "<strong>Force protection</strong>\n  <br>Force protection personnel." in english


def test_mission_page_shows_the_lead_image_with_caption_and_credit_apart(client, db, profile):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#335577").save(buffer, "PNG")
    mission = make_mission(
        image=SimpleUploadedFile("training.png", buffer.getvalue(), "image/png"),
        image_alt_en="Danish soldiers training Iraqi soldiers",
        image_caption_en="Danish soldiers train Iraqi soldiers at the Al Asad base in Iraq.",
        image_credit_en="Ministry of Defence",
        image_credit_da="Forsvarsministeriet",
        image_licence_id=default_licence(),
    )
    body = client.get(mission.get_absolute_url()).content.decode()
    assert 'alt="Danish soldiers training Iraqi soldiers" width="40" height="30"' in body
    assert (
        '<figcaption><p class="caption">Danish soldiers train Iraqi soldiers at the Al Asad '
        'base in Iraq.</p><p class="credit">Photo: Ministry of Defence</p><p class="credit">'
        '<span class="licence">Licence: <span>Free for editorial use with credit</span></span>'
        in body
    )
    danish = client.get(f"/da/missioner/{mission.slug}/").content.decode()
    assert '<p class="caption" lang="en">Danish soldiers train' in danish
    assert '<p class="credit">Foto: Forsvarsministeriet</p><p class="credit">' in danish


def test_mission_validation_refuses_an_end_before_it_was_established(db):
    mission = make_mission(established_on=datetime.date(2018, 7, 1))
    mission.ended_on = datetime.date(2017, 1, 1)
    with pytest.raises(ValidationError) as error, translation.override("en"):
        mission.full_clean()
    assert error.value.message_dict["ended_on"] == ["The end date cannot be before the start date."]


def test_contribution_admin_offers_only_the_missions_own_legal_bases(editor_client, demo_missions):
    contribution = demo_missions.contributions.first()
    response = editor_client.get(f"/admin/missions/contribution/{contribution.pk}/change/")
    choices = list(response.context["adminform"].form.fields["mandate"].queryset)
    assert choices == list(demo_missions.legal_bases.all())
    assert len(choices) == 2


def test_admin_gives_a_new_lead_image_the_default_licence_and_its_rights_expiry(editor_client, db):
    mission = make_mission()
    expire = timezone.localtime() + datetime.timedelta(days=30)
    data = mission_admin_data(mission)
    data.update(
        image=upload(make_photo(300, 200), "lead.jpg"),
        image_alt_en="Soldiers training",
        image_licence="",
        image_rights_expire_at_0=expire.strftime("%Y-%m-%d"),
        image_rights_expire_at_1=expire.strftime("%H:%M:%S"),
    )
    response = editor_client.post(f"/admin/missions/mission/{mission.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    mission.refresh_from_db()
    assert mission.image_licence == Licence.objects.order_by("pk").first()
    assert mission.image_rights_expire_at == expire.replace(microsecond=0)
    assert mission.image_size == mission.image.size > 0
    assert mission.image_renditions


def test_admin_offers_the_default_licence_and_a_new_expiry_date_brings_a_new_notice(
    editor_client, db
):
    page = editor_client.get("/admin/missions/mission/add/")
    assert page.context["adminform"].form["image_licence"].initial == default_licence()
    mission = make_mission(
        image_rights_expire_at=timezone.now(), image_expiry_notice_sent_at=timezone.now()
    )
    later = timezone.localtime() + datetime.timedelta(days=5)
    data = mission_admin_data(mission)
    data.update(
        image_rights_expire_at_0=later.strftime("%Y-%m-%d"),
        image_rights_expire_at_1=later.strftime("%H:%M:%S"),
    )
    response = editor_client.post(f"/admin/missions/mission/{mission.pk}/change/", data)
    assert response.status_code == 302
    assert Mission.objects.get(pk=mission.pk).image_expiry_notice_sent_at is None


def test_the_database_refuses_a_lead_image_without_a_licence(db):
    mission = make_mission(
        image=upload(make_photo(40, 30), "lead.jpg"), image_licence_id=default_licence()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Mission.objects.filter(pk=mission.pk).update(image_licence=None)
    Mission.objects.filter(pk=mission.pk).update(image="", image_licence=None)


def test_a_mission_page_rendered_from_kept_parts_shows_any_edit_at_once(client, demo_missions):
    """The page's parts are kept by a digest of what they show: an edit of a figure, even a
    bare UPDATE in another process, shows on the next request, and the rest is unchanged."""
    from missions.views import _kept

    url = "/en/missions/nato-mission-iraq/"
    first = client.get(url).content.decode()
    assert client.get(url).content.decode() == first
    assert len(_kept) == 1
    figure = Figure.objects.get(contribution__mission__slug="nato-mission-iraq", value=15)
    Figure.objects.filter(pk=figure.pk).update(value=16)
    edited = client.get(url).content.decode()
    assert "Personnel: <strong>up to about 16</strong>" in edited
    assert "about 15" in first and "about 15" not in edited
    assert len(_kept) == 2
    Mission.objects.filter(slug="nato-mission-iraq").update(description_en="Renewed mandate.")
    assert "Renewed mandate." in client.get(url).content.decode()
    # Every kind of row the page shows is in the digest.
    Organisation.objects.filter(missions__slug="nato-mission-iraq").update(
        name_en="North Atlantic Alliance"
    )
    assert "North Atlantic Alliance" in client.get(url).content.decode()
    LegalBasis.objects.filter(mission__slug="nato-mission-iraq").update(title_en="Decision B 99")
    assert "Decision B 99" in client.get(url).content.decode()
    CommandPeriod.objects.filter(mission__slug="nato-mission-iraq").update(commander_name="Ann Vig")
    assert "Ann Vig" in client.get(url).content.decode()
    nation = Participation.objects.filter(mission__slug="nato-mission-iraq").first()
    Participation.objects.filter(pk=nation.pk).update(country="LU")
    assert "Luxembourg" in client.get(url).content.decode()
