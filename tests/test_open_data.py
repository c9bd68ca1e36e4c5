"""Releases as open data: the JSON API, its OpenAPI description and the CSV export."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.validation import validate_schema
from jsonschema import Draft202012Validator
from pytest_django.asserts import assertContains
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from releases.models import PressContact, ReleaseContact, ReleaseKind, Status, Topic
from releases.views import NewestFirstPaginator
from tests.conftest import add_document, add_image, make_mission, make_release

pytestmark = pytest.mark.usefixtures("cache_table")

LIST = "/api/v1/releases/"
CSV = "/api/v1/releases.csv"


def detail_url(release):
    return reverse("opendata:release", kwargs={"pk": release.pk})


@pytest.fixture
def openapi(client, db):
    response = client.get(reverse("opendata:schema"))
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    return schema


def check_against(schema, path, answer, status="200"):
    """Validate the JSON ``answer`` against the served schema's response for ``path``."""
    pointer = "/".join(
        part.replace("~", "~0").replace("/", "~1")
        for part in ["paths", path, "get", "responses", status, "content", "application/json"]
    )
    registry = Registry().with_resource("urn:api", Resource(schema, specification=DRAFT202012))
    validator = Draft202012Validator({"$ref": f"urn:api#/{pointer}/schema"}, registry=registry)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(answer)]
    assert errors == []


@pytest.fixture
def complete(editor):
    """A public release with every part: two languages, topic, mission, quote, contacts, media."""
    release = make_release(
        "NATO handover",
        title_da="NATO-overdragelse",
        body_en="<p>First paragraph.</p><p>Second <strong>one</strong>.</p>",
    )
    topic = Topic.objects.create(
        name_en="Security", name_da="Sikkerhed", slug_en="security", slug_da="sikkerhed"
    )
    release.topics.add(topic)
    release.missions.add(make_mission())
    release.quotes.create(
        speaker="Lars Løkke Rasmussen",
        role_en="Minister for Foreign Affairs",
        role_da="Udenrigsminister",
        text_en="A proud day.",
        text_da="En stolt dag.",
    )
    adviser = PressContact.objects.create(name_en="Anna Berg", phone="+45 33 92 00 00")
    desk = PressContact.objects.create(
        name_en="Press duty", name_da="Pressevagten", is_duty_desk=True, email="presse@um.dk"
    )
    ReleaseContact.objects.create(release=release, contact=adviser, order=0)
    ReleaseContact.objects.create(release=release, contact=desk, order=1)
    add_image(editor, release, credit_en="Photo: Ministry of Defence", is_lead=True)
    add_document(editor, release, b"%PDF-1.4\n%%EOF\n", "plan.pdf")
    release.corrections.create(text_en="An earlier version gave the wrong date.")
    return release


@pytest.fixture
def hidden():
    """Releases the public may not see: a draft, one submitted, one embargoed till tomorrow."""
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    return [
        make_release("Secret draft", status=Status.DRAFT),
        make_release("Secret submission", status=Status.SUBMITTED),
        make_release("Secret embargo", status=Status.SCHEDULED, published_at=tomorrow),
    ]


# The description ----------------------------------------------------------------------------


def test_the_openapi_description_is_valid_and_names_every_operation(openapi):
    assert openapi["openapi"].startswith("3.1")
    assert set(openapi["paths"]) == {
        "/api/v1/releases/",
        "/api/v1/releases/{id}/",
        "/api/v1/releases.csv",
    }
    parameters = {p["name"] for p in openapi["paths"]["/api/v1/releases/"]["get"]["parameters"]}
    assert parameters == {"q", "kind", "topic", "year", "mission", "page", "page_size"}


def test_the_list_and_a_record_validate_against_the_served_schema(client, complete, openapi):
    listing = client.get(LIST).json()
    check_against(openapi, "/api/v1/releases/", listing)
    record = client.get(detail_url(complete)).json()
    check_against(openapi, "/api/v1/releases/{id}/", record)
    english_only = make_release("Only in English")
    check_against(openapi, "/api/v1/releases/{id}/", client.get(detail_url(english_only)).json())
    errors = client.get(LIST, {"topic": "no-such-topic"})
    check_against(openapi, "/api/v1/releases/", errors.json(), status="400")


# What the answers say -----------------------------------------------------------------------


def test_a_record_has_both_languages_quotes_contacts_images_documents_and_corrections(
    client, complete
):
    record = client.get(detail_url(complete)).json()
    assert record["languages"] == ["en", "da"]
    assert record["en"]["title"] == "NATO handover"
    assert record["da"]["title"] == "NATO-overdragelse"
    assert record["en"]["url"] == f"http://testserver/en/releases/{complete.slug_en}/"
    assert record["da"]["url"] == f"http://testserver/da/nyheder/{complete.slug_da}/"
    assert record["en"]["body_text"] == "First paragraph.\nSecond one."
    assert record["en"]["body_html"] == complete.body_en
    assert record["topics"] == [
        {
            "slug_en": "security",
            "slug_da": "sikkerhed",
            "name_en": "Security",
            "name_da": "Sikkerhed",
        }
    ]
    assert [m["slug"] for m in record["missions"]] == ["nmi"]
    assert record["quotes"] == [
        {
            "speaker": "Lars Løkke Rasmussen",
            "role_en": "Minister for Foreign Affairs",
            "role_da": "Udenrigsminister",
            "text_en": "A proud day.",
            "text_da": "En stolt dag.",
        }
    ]
    assert [c["name_en"] for c in record["contacts"]] == ["Press duty", "Anna Berg"]
    assert record["contacts"][0]["email"] == "presse@um.dk"
    [image] = record["images"]
    assert image["credit_en"] == "Photo: Ministry of Defence"
    assert image["alt_da"] == "Soldater ved ceremonien"
    assert image["url"].startswith("http://testserver/media/releases/")
    assert image["renditions"] and image["renditions"][0]["url"].startswith("http://testserver/")
    assert client.get(image["url"].removeprefix("http://testserver")).status_code == 200
    [document] = record["documents"]
    assert (document["title_en"], document["file_type"]) == ("Fact sheet", "PDF")
    assert record["corrections"][0]["text_en"] == "An earlier version gave the wrong date."


def test_a_release_in_one_language_has_null_for_the_other(client, db):
    release = make_release("Only in English")
    record = client.get(detail_url(release)).json()
    assert record["languages"] == ["en"]
    assert record["da"] is None


def test_the_list_is_newest_first_and_paged(client, db):
    releases = [make_release(f"Release {n}") for n in range(5)]  # each an hour older
    first = client.get(LIST, {"page_size": 2}).json()
    assert first["count"] == 5
    assert [r["id"] for r in first["results"]] == [releases[0].pk, releases[1].pk]
    second = client.get(first["next"].removeprefix("http://testserver")).json()
    assert [r["id"] for r in second["results"]] == [releases[2].pk, releases[3].pk]
    assert client.get(LIST, {"page": 9}).status_code == 404


def test_deep_pages_found_by_their_ids_are_the_same_pages(client, db, monkeypatch):
    releases = [make_release(f"Release {n}") for n in range(7)]  # each an hour older
    monkeypatch.setattr(NewestFirstPaginator, "DEEP", 2)  # from the second page of two on
    pages = [client.get(LIST, {"page_size": 2, "page": n}).json() for n in (1, 2, 3, 4)]
    assert [[r["id"] for r in page["results"]] for page in pages] == [
        [release.pk for release in releases[start : start + 2]] for start in (0, 2, 4, 6)
    ]
    assert pages[3]["count"] == 7
    searched = client.get(LIST, {"page_size": 2, "page": 2, "q": "Release"}).json()
    assert len(searched["results"]) == 2


def test_the_list_takes_the_list_pages_filters(client, complete):
    other = make_release("Other news", kind=ReleaseKind.NEWS)
    old = make_release("Old", published_at=timezone.now().replace(year=2020, month=6))

    def ids(**params):
        return [r["id"] for r in client.get(LIST, params).json()["results"]]

    assert ids(kind="news") == [other.pk]
    assert ids(topic="security") == [complete.pk]
    assert ids(topic="sikkerhed") == [complete.pk]
    assert ids(mission="nmi") == [complete.pk]
    assert ids(year=2020) == [old.pk]
    assert ids(q="handover") == [complete.pk]
    assert ids(kind="press-release", topic="security", mission="nmi") == [complete.pk]


@pytest.mark.parametrize(
    "params",
    [
        {"topic": "no-such-topic"},
        {"kind": "gossip"},
        {"year": "abc"},
        {"year": "1850"},
        {"year": "9" * 25},
        {"mission": "no-such-mission"},
    ],
)
def test_a_filter_that_names_nothing_is_answered_400_with_the_reason(client, complete, params):
    response = client.get(LIST, params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == list(params)
    assert client.get(CSV, params).status_code == 400


@pytest.mark.parametrize(
    "path", ["/api/v1/releases/999999999/", "/api/v1/releases/" + "9" * 25 + "/"]
)
def test_unknown_and_absurd_record_numbers_are_404(client, db, path):
    assert client.get(path).status_code == 404


# The one visibility rule --------------------------------------------------------------------


def test_drafts_submissions_and_embargoed_releases_are_nowhere(client, complete, hidden):
    listing = client.get(LIST).json()
    assert [r["id"] for r in listing["results"]] == [complete.pk]
    for release in hidden:
        assert client.get(detail_url(release)).status_code == 404
    assert "Secret" not in client.get(CSV).content.decode()
    for kind in ReleaseKind.values:
        assert "Secret" not in client.get(LIST, {"kind": kind}).content.decode()


def test_an_embargoed_release_appears_at_its_second(client, db, time_machine):
    at = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=1)
    release = make_release("Embargoed", status=Status.SCHEDULED, published_at=at)
    time_machine.move_to(at - datetime.timedelta(seconds=1))
    assert client.get(detail_url(release)).status_code == 404
    time_machine.move_to(at)
    assert client.get(detail_url(release)).json()["en"]["title"] == "Embargoed"


def test_a_withdrawn_release_stays_with_its_status_and_reason(client, db):
    release = make_release("Pulled", status=Status.WITHDRAWN, withdrawn_reason_en="Wrong figures")
    record = client.get(detail_url(release)).json()
    assert record["status"] == "withdrawn"
    assert record["en"]["withdrawn_reason"] == "Wrong figures"


# HTTP ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [LIST, CSV, "/api/v1/openapi.json"])
def test_answers_are_publicly_cacheable_with_an_etag_and_answer_304(client, complete, path):
    first = client.get(path)
    assert first.status_code == 200
    assert "public" in first["Cache-Control"]
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


def test_a_change_to_a_release_changes_the_etag(client, complete):
    before = client.get(detail_url(complete))
    complete.title_en = "NATO handover, corrected"
    complete.save()
    after = client.get(detail_url(complete), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after.json()["en"]["title"] == "NATO handover, corrected"


def test_anonymous_clients_are_rate_limited_per_address(client, db, settings):
    settings.API_RATE_LIMIT = "3/min"
    answers = [client.get(LIST).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = client.get(LIST)
    assert int(limited["Retry-After"]) > 0
    assert "public" not in limited.get("Cache-Control", "")
    assert client.get(LIST, REMOTE_ADDR="192.0.2.7").status_code == 200


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_list_and_the_csv_cost_the_same_queries_for_3_or_30_releases(client, db):
    mission = make_mission()
    topic = Topic.objects.create(name_en="T", slug_en="t", slug_da="t-da")
    for count in (3, 30):
        while len(client.get(LIST, {"page_size": 100}).json()["results"]) < count:
            release = make_release("More")
            release.topics.add(topic)
            release.missions.add(mission)
        if count == 3:
            few = (_queries(client, LIST + "?page_size=100"), _queries(client, CSV))
    assert (_queries(client, LIST + "?page_size=100"), _queries(client, CSV)) == few


def test_a_record_costs_the_same_queries_with_one_or_ten_of_each_part(client, editor):
    release = make_release("Parts")
    release.quotes.create(speaker="A", text_en="One.")
    release.corrections.create(text_en="One.")
    first = PressContact.objects.create(name_en="First")
    ReleaseContact.objects.create(release=release, contact=first, order=99)
    release.topics.add(Topic.objects.create(name_en="T", slug_en="t", slug_da="d"))
    few = _queries(client, detail_url(release))
    for n in range(9):
        release.quotes.create(speaker=f"S{n}", text_en="More.")
        release.corrections.create(text_en="More.")
        contact = PressContact.objects.create(name_en=f"C{n}")
        ReleaseContact.objects.create(release=release, contact=contact, order=n)
        release.topics.add(Topic.objects.create(name_en=f"T{n}", slug_en=f"t{n}", slug_da=f"d{n}"))
    assert _queries(client, detail_url(release)) == few


# The CSV ------------------------------------------------------------------------------------


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_csv_has_one_row_per_public_release_with_both_languages(client, complete):
    response = client.get(CSV)
    assert response["Content-Disposition"] == 'attachment; filename="pressroom-releases.csv"'
    [row] = read_csv(response)
    assert row["id"] == str(complete.pk)
    assert (row["title_en"], row["title_da"]) == ("NATO handover", "NATO-overdragelse")
    assert row["body_text_en"] == "First paragraph.\nSecond one."
    assert row["topics"] == "security"
    assert row["missions"] == "nmi"
    assert row["languages"] == "en da"


def test_the_csv_takes_the_filters(client, complete):
    make_release("Other news", kind=ReleaseKind.NEWS)
    assert [row["title_en"] for row in read_csv(client.get(CSV, {"kind": "news"}))] == [
        "Other news"
    ]


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(client, db):
    for start in ("=", "+", "-", "@", "\t", "\r"):
        make_release(f"{start}HYPERLINK(1)", lead_en=f"{start}cmd")
    rows = read_csv(client.get(CSV))
    assert len(rows) == 6
    for row in rows:
        assert row["title_en"].startswith("'"), row["title_en"]
        assert row["lead_en"].startswith("'"), row["lead_en"]


@pytest.mark.parametrize("query", ["-1", "-", '"', "a -b", "%FF%FE", "9" * 25, "&|!():*"])
def test_any_search_words_are_answered_without_a_server_error(client, complete, query):
    client.raise_request_exception = False
    assert client.get(LIST, {"q": query}).status_code == 200
    assert client.get(CSV, {"q": query}).status_code == 200


def test_the_release_list_links_its_releases_as_open_data_with_its_filters(client, complete):
    page = client.get("/en/releases/", {"topic": "security"})
    assertContains(
        page, '<a href="/api/v1/releases.csv?topic=security" type="text/csv">CSV</a>', html=True
    )
    assertContains(
        page,
        '<a href="/api/v1/releases/?topic=security" type="application/json">JSON</a>',
        html=True,
    )


def test_the_csvs_rows_come_as_json_to_a_client_that_asks_for_json(client, complete):
    response = client.get(CSV, HTTP_ACCEPT="application/json")
    assert response["Content-Type"] == "application/json"
    assert "Content-Disposition" not in response
    assert "Accept" in response["Vary"]
    assert [row["id"] for row in response.json()] == [complete.pk]
