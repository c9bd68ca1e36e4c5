"""What editors and readers type stays data in calendars and spreadsheets."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from core.encoders import FORMULA_STARTS, ical_text, spreadsheet_cell
from releases.models import ReleaseKind
from subscriptions.models import Subscriber
from tests.conftest import make_mission, make_release, make_subscriber, sign_in

# Each starts a line of its own for some calendar program, and a property if unescaped.
LINE_BREAKS = ["\r", "\n", "\r\n", "\v", "\f", "\x85", "\u2028", "\u2029"]
PROPERTIES = {
    "BEGIN",
    "VERSION",
    "PRODID",
    "CALSCALE",
    "METHOD",
    "UID",
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "SUMMARY",
    "DESCRIPTION",
    "LOCATION",
    "URL",
    "CATEGORIES",
    "END",
}


def _unfolded_lines(body):
    assert body.endswith("\r\n")
    return body.replace("\r\n ", "").split("\r\n")[:-1]


@pytest.mark.parametrize("line_break", LINE_BREAKS)
def test_a_line_break_in_an_invitation_cannot_add_a_line_to_its_calendar_file(
    client, profile, line_break
):
    injected = f"{line_break}URL:https://evil.example/{line_break}BEGIN:VALARM{line_break}"
    start = timezone.now() + datetime.timedelta(days=3)
    release = make_release(
        "Invitation",
        kind=ReleaseKind.PRESS_INVITATION,
        lead_en=f"Meet the minister{injected}TRIGGER:-PT5M",
        event_start=start,
        event_location=f"Eigtveds Pakhus{injected}END:VEVENT",
    )
    response = client.get(reverse("releases:ics", args=[release.slug_en]))
    assert response.status_code == 200
    body = response.content.decode()
    lines = _unfolded_lines(body)

    assert [line.split(":", 1)[0] for line in lines if line.startswith("BEGIN")] == [
        "BEGIN",
        "BEGIN",
    ]
    assert {line.split(":", 1)[0].split(";", 1)[0] for line in lines} <= PROPERTIES
    assert [line for line in lines if line.startswith("URL:")] == [
        f"URL:http://testserver{release.get_absolute_url()}"
    ]
    assert "VALARM" not in [line.split(":", 1)[-1] for line in lines if line.startswith("BEGIN")]
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert description == (
        "DESCRIPTION:Meet the minister\\nURL:https://evil.example/\\nBEGIN:VALARM\\nTRIGGER:-PT5M"
    )
    # Nothing but the file's own CRLFs breaks a line.
    for line in lines:
        assert not any(mark in line for mark in LINE_BREAKS)


def test_every_control_character_is_kept_out_of_calendar_text():
    every_control = "".join(chr(code) for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)])
    text = ical_text(f"a{every_control}b; c, d\\e")
    # The tab stays; \n, \v, \f, \r and NEL each become an escaped \n; the rest go.
    assert text == "a\t\\n\\n\\n\\n\\nb\\; c\\, d\\\\e"


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_a_cell_that_a_spreadsheet_would_run_is_written_as_text(start):
    assert spreadsheet_cell(f"{start}HYPERLINK(1)") == f"'{start}HYPERLINK(1)"
    assert spreadsheet_cell(f"x{start}1") == f"x{start}1"
    assert spreadsheet_cell(-3) == -3
    assert spreadsheet_cell(None) is None


def test_the_mission_open_data_writes_formulas_as_text(client, db):
    mission = make_mission(name_en='=HYPERLINK("https://evil.example","Open")', acronym="@SUM")
    mission.organisation.name_en = "+cmd|' /C calc'!A0"
    mission.organisation.save()
    response = client.get(f"/en/missions/data/missions.csv?mission={mission.slug}")
    assert response.status_code == 200
    (row,) = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert row["name_en"] == '\'=HYPERLINK("https://evil.example","Open")'
    assert row["mission_acronym"] == "'@SUM"
    assert row["organisation_name_en"] == "'+cmd|' /C calc'!A0"
    assert row["mission"] == mission.slug
    # The JSON export is data, not a spreadsheet: it keeps the text as typed.
    json_row = client.get(f"/en/missions/data/missions.json?mission={mission.slug}").json()
    assert json_row["rows"][0]["name_en"] == mission.name_en


def test_the_subscriber_export_writes_formulas_as_text(client, profile):
    make_subscriber("-2+3@example.org")
    make_subscriber("\tplain@example.org")
    make_subscriber("reader@example.org")
    staff = get_user_model().objects.create_user("exporter", password="x" * 20, is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_subscriber", "export_subscriber"])
    )
    sign_in(client, type(staff).objects.get(pk=staff.pk))
    response = client.post(
        reverse("admin:subscriptions_subscriber_changelist"),
        {
            "action": "export_csv",
            "_selected_action": list(Subscriber.objects.values_list("pk", flat=True)),
        },
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[0] for row in rows] == [
        "email",
        "'-2+3@example.org",
        "'\tplain@example.org",
        "reader@example.org",
    ]
