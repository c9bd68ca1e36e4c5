"""Configuration checks, roles, login throttling and the demo content."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from core.models import PressroomProfile
from pressroom import checks, demo, roles
from releases.models import Release
from tests.conftest import reset_cache


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
}


def test_production_like_settings_pass_check_deploy():
    result = run_check(**PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "error"),
    [
        ({"SECRET_KEY": ""}, "pressroom.E001"),
        ({"SECRET_KEY": "short"}, "pressroom.E002"),
        ({"ALLOWED_HOSTS": ""}, "pressroom.E003"),
        ({"SITE_URL": "pressroom.example.org"}, "pressroom.E004"),
        ({"SITE_URL": "https://elsewhere.example.org"}, "pressroom.E005"),
    ],
)
def test_bad_production_settings_stop_start_up(override, error):
    result = run_check(**{**PRODUCTION, **override})
    assert result.returncode != 0
    assert error in result.stderr


def test_host_matching_follows_django_rules():
    assert checks._host_allowed("a.example.org", [".example.org"])
    assert not checks._host_allowed("example.com", ["example.org"])


def test_roles_grant_publishing_to_editors_only(db):
    roles.sync_role_permissions()
    editor = Group.objects.get(name=roles.EDITOR)
    officer = Group.objects.get(name=roles.PRESS_OFFICER)
    assert editor.permissions.filter(codename="publish_release").exists()
    assert not officer.permissions.filter(codename="publish_release").exists()
    assert officer.permissions.filter(codename="add_release").exists()
    assert officer.permissions.filter(codename="add_releaseimage").exists()
    assert not officer.permissions.filter(codename="change_presscontact").exists()
    assert editor.permissions.filter(codename="change_mission").exists()


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


@pytest.fixture
def cache_table(db):
    reset_cache()


def test_repeated_failed_admin_logins_are_refused(client, editor, cache_table, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _attempt in range(3):
        response = client.post("/admin/login/", {"username": "erika", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(
        "/admin/login/", {"username": "erika", "password": "correct horse battery staple"}
    )
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_demo_logins_work_in_the_admin(client, db):
    demo.load()
    for _role, username, password in demo.DEMO_ACCOUNTS:
        assert client.login(username=username, password=password)
        assert client.get("/admin/").status_code == 200
        client.logout()


def test_health_check_answers_without_the_database(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.content == b"ok\n"
