"""Configuration checks, roles and the demo content."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from core.models import PressroomProfile
from pressroom import checks, demo, roles
from releases.models import Release


def run_check(**env):
    environment = {**os.environ, "DEBUG": "false", **env}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )


PRODUCTION = {
    "SECRET_KEY": "p" + "Zq8#vN2$kL5!wR9@xT4%yU7^aB3&cD6*eF1(gH0)" * 2,
    "SITE_URL": "https://pressroom.example.org",
    "ALLOWED_HOSTS": "pressroom.example.org",
    "RELEASE_SIGNING_KEY": "yJQmXgX3m2R3dOQ2cAk5bS1oXv0bW7b1T9m0dW4eC8Q=",
}


def test_production_like_settings_pass_check_deploy():
    result = run_check(**PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_production_start_without_its_own_signing_key_is_reported():
    result = run_check(**{**PRODUCTION, "RELEASE_SIGNING_KEY": ""})
    assert result.returncode != 0
    assert "pressroom.W010" in result.stderr


def test_a_malformed_signing_key_stops_start_up():
    result = run_check(**{**PRODUCTION, "RELEASE_SIGNING_KEY": "not-a-key"})
    assert result.returncode != 0
    assert "pressroom.E010" in result.stderr


def test_a_bad_production_setting_stops_start_up():
    result = run_check(**{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "pressroom.E001" in result.stderr


@pytest.mark.parametrize(
    ("override", "errors"),
    [
        ({"SECRET_KEY": ""}, ["pressroom.E001"]),
        ({"SECRET_KEY": "short"}, ["pressroom.E002"]),
        ({"SECRET_KEY": "a" * 50}, ["pressroom.E002"]),
        ({"ALLOWED_HOSTS": []}, ["pressroom.E003", "pressroom.E005"]),
        ({"SITE_URL": "pressroom.example.org"}, ["pressroom.E004"]),
        ({"SITE_URL": "https://elsewhere.example.org"}, ["pressroom.E005"]),
    ],
)
def test_each_bad_production_setting_is_named_by_its_check(settings, override, errors):
    production = {
        "DEBUG": False,
        "SECRET_KEY": PRODUCTION["SECRET_KEY"],
        "SITE_URL": PRODUCTION["SITE_URL"],
        "ALLOWED_HOSTS": [PRODUCTION["ALLOWED_HOSTS"]],
    }
    for name, value in {**production, **override}.items():
        setattr(settings, name, value)
    assert [e.id for e in checks.check_settings(None)] == errors


def test_production_like_settings_raise_no_check(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = PRODUCTION["SECRET_KEY"]
    settings.SITE_URL = PRODUCTION["SITE_URL"]
    settings.ALLOWED_HOSTS = [".example.org"]
    assert checks.check_settings(None) == []


def test_host_matching_follows_django_rules():
    assert checks._host_allowed("a.example.org", [".example.org"])
    assert not checks._host_allowed("example.com", ["example.org"])


def test_after_migrate_each_role_holds_its_permissions(db):
    editor = Group.objects.get(name=roles.EDITOR)
    officer = Group.objects.get(name=roles.PRESS_OFFICER)
    assert editor.permissions.filter(codename="publish_release").exists()
    assert not officer.permissions.filter(codename="publish_release").exists()
    assert officer.permissions.filter(codename="add_release").exists()
    assert officer.permissions.filter(codename="add_releaseimage").exists()
    assert not officer.permissions.filter(codename="change_presscontact").exists()
    assert editor.permissions.filter(codename="change_mission").exists()
    # The last app's permissions too, which Django creates after the roles were synced.
    assert editor.permissions.filter(codename="view_deliveryreport").exists()
    assert not editor.permissions.filter(codename="view_subscriber").exists()


def test_demo_content_loads_once_and_a_second_run_changes_nothing(db):
    assert demo.load() > 0
    snapshot = list(Release.objects.order_by("pk").values())
    assert demo.load() == 0
    assert list(Release.objects.order_by("pk").values()) == snapshot
    profile = PressroomProfile.load()
    assert profile.title_en == "News from the Ministry of Foreign Affairs of Denmark"
    assert (profile.organisation_en, profile.organisation_da) == (
        "the Ministry of Foreign Affairs of Denmark",
        "Udenrigsministeriet",
    )
    assert profile.address_lines() == ["Asiatisk Plads 2", "1448 København K"]


def test_health_check_answers_without_the_database(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.content == b"ok\n"
