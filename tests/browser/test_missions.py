"""From a release's fact box to the mission page and back, in Chromium, with axe."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.browser.test_release_journey import log_in

pytestmark = pytest.mark.browser

RELEASE_EN = "/en/releases/denmark-hands-over-command-of-nato-mission-iraq-to-italy/"


def test_reader_goes_from_the_release_fact_box_to_the_mission_and_back(page, demo_site):
    page.goto(demo_site.url + RELEASE_EN)
    fact_box = page.get_by_role("complementary", name="NATO Mission Iraq (NMI)")
    assert fact_box.get_by_role("heading", level=2).inner_text() == "NATO Mission Iraq (NMI)"
    assert axe_violations(page) == []

    fact_box.get_by_role("link", name="More about NATO Mission Iraq").click()
    page.wait_for_url(demo_site.url + "/en/missions/nato-mission-iraq/")
    assert page.locator("h1").inner_text() == "NATO Mission Iraq (NMI)"
    timeline = page.locator("ol.timeline li")
    assert timeline.nth(1).inner_text() == (
        "2021 – May 2022: Denmark, commanded by Lieutenant General Michael Lollesgaard"
    )
    assert timeline.nth(2).inner_text() == "since May 2022: Italy"
    table = page.get_by_role("table", name="The figures in the chart")
    assert table.get_by_role("row").nth(2).inner_text().split("\t") == [
        "2018",
        "Personnel for the mission",
        "Ceiling",
        "up to about 15",
    ]
    chart = page.get_by_role("img", name="Danish personnel over time")
    assert chart.is_visible()
    assert axe_violations(page) == []

    page.get_by_role(
        "link", name="Denmark hands over command of NATO Mission Iraq to Italy"
    ).click()
    page.wait_for_url(demo_site.url + RELEASE_EN)
    assert page.locator("h1").inner_text() == (
        "Denmark hands over command of NATO Mission Iraq to Italy"
    )


def test_mission_pages_in_danish_switch_language_and_pass_axe(page, demo_site):
    page.goto(demo_site.url + "/da/missioner/")
    assert page.locator("h1").inner_text() == "Missioner i udlandet"
    row = page.get_by_role("row", name="NATO’s Mission Irak (NMI)")
    assert "op til ca. 15 (2018)" in row.inner_text()
    assert axe_violations(page) == []

    page.get_by_role("link", name="NATO’s Mission Irak (NMI)").click()
    page.wait_for_url(demo_site.url + "/da/missioner/nato-mission-iraq/")
    assert page.locator("html").get_attribute("lang") == "da"
    assert "Personel: indledningsvis 4" in page.locator("ul.contributions").first.inner_text()
    assert axe_violations(page) == []

    page.get_by_role("link", name="English").click()
    page.wait_for_url(demo_site.url + "/en/missions/nato-mission-iraq/")
    assert page.locator("h1").inner_text() == "NATO Mission Iraq (NMI)"


def test_filtered_mission_list_passes_axe(page, demo_site):
    page.goto(demo_site.url + "/en/missions/?country=IQ&contribution=special-forces")
    assert page.locator("table tbody tr").count() == 1
    assert axe_violations(page) == []


# axe runs as JavaScript, so the pages without it are checked by the tests above.
def test_mission_list_filters_without_javascript(browser, demo_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_site.url + "/en/missions/")
    page.get_by_label("Denmark's contribution").select_option("radar")
    page.get_by_role("button", name="Show missions").click()
    # The filtered list is a new page: wait for it, not for whatever is loaded at the moment.
    page.wait_for_url("**/en/missions/?*contribution=radar*")
    page.wait_for_load_state()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    assert rows.first.get_by_role("rowheader").inner_text() == "Operation Inherent Resolve (OIR)"
    page.get_by_role("link", name="Operation Inherent Resolve (OIR)").click()
    assert page.locator("h1").inner_text() == "Operation Inherent Resolve (OIR)"
    context.close()


def test_the_mission_form_does_not_widen_the_admin_page(browser, demo_site):
    """The command periods' wide table scrolls inside its own box, not the whole form."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, demo_site.url, "editor2")
    page.goto(f"{demo_site.url}/admin/missions/mission/")
    with page.expect_navigation():
        page.locator("#result_list tbody th a", has_text="NATO Mission Iraq").click()
    assert page.locator(".field-image_licence select").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.context.close()
