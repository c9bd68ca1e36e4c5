"""What rendering a page afresh costs: a number of queries that does not grow with the releases."""

import pytest

from core import caching
from releases.models import Topic
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
    # release version, the release, its topics, quotes, images, documents, corrections,
    # missions, contacts, profile, latest releases, related releases, the sign-up box's
    # topics and missions
    with assert_page_queries(14):
        assert client.get(release.get_absolute_url()).status_code == 200
    # Rendered again (the page cache emptied): the sign-up form is kept for a while.
    caching.clear()
    caching.store().clear()
    with assert_page_queries(12):
        assert client.get(release.get_absolute_url()).status_code == 200
    # release version, profile, latest releases, their topics, press contacts, and the
    # sign-up box's topic and mission choices; then only the page's own queries
    forget_rendered_forms()
    with assert_page_queries(7):
        assert client.get("/en/").status_code == 200
    caching.clear()
    caching.store().clear()
    with assert_page_queries(5):
        assert client.get("/en/").status_code == 200
    page = client.get(mission.get_absolute_url())
    assert page.status_code == 200
    with assert_page_queries(8):
        assert client.get(mission.get_absolute_url()).status_code == 200


def test_the_kept_sign_up_form_shows_a_new_topic_at_once(client, profile):
    Topic.objects.create(name_en="Arctic", name_da="Arktis", slug_en="arctic", slug_da="arktis")
    assert "Arctic" in client.get("/en/").content.decode()
    Topic.objects.create(name_en="Baltic", name_da="Østersøen", slug_en="baltic", slug_da="baltic")
    make_release("Changes the release version")
    assert "Baltic" in client.get("/en/").content.decode()
