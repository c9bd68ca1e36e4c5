"""Guard: every public page answers in both languages with exactly one <h1>."""

import pytest
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains

from missions.models import Mission, Organisation
from tests.conftest import make_release, outline


@pytest.fixture
def content(profile):
    release = make_release("NATO handover", title_da="NATO-overdragelse")
    nato = Organisation.objects.create(acronym="NATO", name_en="NATO", name_da="NATO")
    mission = Mission.objects.create(
        slug="nmi",
        acronym="NMI",
        name_en="NATO Mission Iraq",
        name_da="NATO’s Mission Irak",
        organisation=nato,
    )
    return {"release": release, "mission": mission}


def public_urls(content):
    return [
        reverse("home"),
        reverse("about"),
        reverse("releases:list"),
        reverse("releases:contacts"),
        reverse("library:list"),
        content["release"].get_absolute_url(),
        reverse("missions:list"),
        content["mission"].get_absolute_url(),
        reverse("subscriptions:subscribe"),
        reverse("verification:verify"),
    ]


@pytest.mark.parametrize("language", ["en", "da"])
def test_every_public_page_answers_with_one_h1_in_its_language(client, content, language):
    with translation.override(language):
        urls = public_urls(content)
    for url in urls:
        assert url.startswith(f"/{language}/"), url
        response = client.get(url)
        assert response.status_code == 200, url
        page = outline(response)
        assert page.h1 == 1, f"{url} has {page.h1} <h1> elements"
        assert page.html_lang == language, url


def test_danish_paths_use_danish_words(content):
    with translation.override("da"):
        assert reverse("releases:list") == "/da/nyheder/"
        assert reverse("missions:list") == "/da/missioner/"
        assert reverse("about") == "/da/om/"


def test_root_redirects_to_the_readers_language(client, profile):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 302
    assert response["Location"] == "/da/"


def test_language_switch_leads_to_the_same_page_in_the_other_language(client, content):
    with translation.override("en"):
        english_url = content["release"].get_absolute_url()
    with translation.override("da"):
        danish_url = content["release"].get_absolute_url()
    release = content["release"]
    assert english_url == f"/en/releases/{release.slug_en}/"
    assert danish_url == f"/da/nyheder/{release.slug_da}/"
    response = client.get(english_url)
    assertContains(
        response,
        f'<a href="http://testserver{danish_url}" hreflang="da" lang="da">Dansk</a>',
        html=True,
    )
    assertContains(
        response,
        f'<link rel="alternate" hreflang="da" href="http://testserver{danish_url}">',
        html=True,
    )


def test_home_shows_the_profile_in_the_readers_language(client, profile):
    english = client.get("/en/")
    danish = client.get("/da/")
    assertContains(
        english, "<h1>News from the Ministry of Foreign Affairs of Denmark</h1>", html=True
    )
    assertContains(danish, "<h1>Nyheder fra Udenrigsministeriet</h1>", html=True)
    assertContains(english, '<a class="skip-link" href="#content">Skip to content</a>', html=True)
    assertContains(danish, '<a class="skip-link" href="#content">Gå til indhold</a>', html=True)


def test_every_interface_string_has_a_danish_translation(settings):
    import polib

    catalogue = polib.pofile(str(settings.BASE_DIR / "locale/da/LC_MESSAGES/django.po"))
    untranslated = [entry.msgid for entry in catalogue if not entry.translated()]
    assert untranslated == []


def test_catalogue_covers_every_string_in_code_and_templates(settings, tmp_path):
    """Extract the strings afresh (in a copy of the tree) and find each one translated."""
    import shutil
    import subprocess
    import sys

    import polib

    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext is not installed; .ci/run installs it.")
    base = settings.BASE_DIR
    for name in [
        "core",
        "pressroom",
        "releases",
        "missions",
        "opendata",
        "verification",
        "subscriptions",
        "signin",
        "templates",
        "locale",
    ]:
        shutil.copytree(base / name, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(base / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "da", "--no-location", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(tmp_path / "locale/da/LC_MESSAGES/django.po"))
    missing = [entry.msgid for entry in fresh if not entry.translated()]
    assert missing == [], "run makemessages and translate these"


def test_the_main_navigation_marks_the_page_it_leads_to_in_both_languages(client, profile):
    """The navigation is rendered once per language and linked page: each of its pages is
    marked current, and any other page (a release, search) marks none."""
    import re

    release = make_release("Frigate sails", title_da="Fregat sejler")

    def current(path):
        page = client.get(path).content.decode()
        nav = page[page.index('<nav class="wrap main-nav"') :]
        nav = nav[: nav.index("</nav>")]
        return re.findall(r'<a href="([^"]*)" aria-current="page"', nav)

    assert current(release.get_absolute_url()) == []  # rendered first: learns the links
    for path in ("/en/releases/", "/en/missions/", "/en/subscriptions/", "/da/nyheder/"):
        assert current(path) == [path]
    assert current("/en/") == []
    assert current("/en/releases/search/") == []
    assert current("/da/") == []
