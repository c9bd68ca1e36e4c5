"""Staff sign-in: password and second factor, throttling per account and address, the log."""

import base64
import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from pressroom import demo
from signin.models import SignInFailure
from tests.conftest import authenticator, sign_in, totp_code

PASSWORD = "correct horse battery staple"
SIGN_IN = "/admin/sign-in/"
HERE, ELSEWHERE = "198.51.100.7", "203.0.113.9"


def password_step(client, username, password=PASSWORD, address=HERE, next_url=""):
    url = SIGN_IN + (f"?next={next_url}" if next_url else "")
    return client.post(
        url,
        {"sign_in_view-current_step": "auth", "auth-username": username, "auth-password": password},
        REMOTE_ADDR=address,
    )


def code_step(client, code, address=HERE, next_url="", step="token"):
    url = SIGN_IN + (f"?next={next_url}" if next_url else "")
    return client.post(
        url,
        {"sign_in_view-current_step": step, f"{step}-otp_token": code},
        REMOTE_ADDR=address,
    )


def signed_in(client):
    return SESSION_KEY in client.session


def verified(client):
    return DEVICE_ID_SESSION_KEY in client.session


def test_an_editor_signs_in_with_password_and_authenticator_code(client, editor):
    device = authenticator(editor)
    response = password_step(client, "erika")
    assert response.status_code == 200
    assert "enter the six-digit code your authenticator app shows" in response.content.decode()
    assert not signed_in(client)
    assert client.get("/admin/").status_code == 302

    response = code_step(client, totp_code(device))
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert signed_in(client) and verified(client)
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_keeps_the_editor_out_and_says_why(client, editor):
    device = authenticator(editor)
    password_step(client, "erika")
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = code_step(client, wrong)
    assert response.status_code == 200
    assert "That code is not right. Check it and try again." in response.content.decode()
    assert not signed_in(client)


def test_a_code_tried_again_too_soon_is_refused_with_the_count_and_the_wait(client, editor):
    device = authenticator(editor)
    password_step(client, "erika")
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    code_step(client, wrong)
    # At once after one wrong code (django-otp makes each next try wait 1, 2, 4 … seconds).
    response = code_step(client, totp_code(device))
    assert "After a wrong code, wait a moment before you try again." in response.content.decode()
    assert not signed_in(client)

    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=3, throttling_failure_timestamp=timezone.now()
    )
    response = code_step(client, totp_code(device))
    assert (
        "After 3 wrong codes in a row, wait a little before you try again: the wait doubles"
        in response.content.decode()
    )
    # Once the wait is over, the right code lets the editor in.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(seconds=10)
    )
    code_step(client, totp_code(device))
    assert verified(client)


def test_an_editor_without_a_second_factor_must_set_one_up_first(client, editor):
    password_step(client, "erika")
    # Signed in by password, but no admin page opens before the second factor exists.
    response = client.get("/admin/releases/release/")
    assert response.status_code == 302
    response = client.get(response["Location"])
    setup_url = reverse("two_factor:setup")
    assert response["Location"].startswith(setup_url)

    page = client.get(setup_url).content.decode()
    assert "so that nobody who learns a password can publish" in page
    client.post(setup_url, {"setup_view-current_step": "welcome"})
    client.post(setup_url, {"setup_view-current_step": "method", "method-method": "generator"})
    key = client.session["django_two_factor-qr_secret_key"]
    code = TOTP(base64.b32decode(key)).token()
    response = client.post(
        setup_url, {"setup_view-current_step": "generator", "generator-token": f"{code:06d}"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor:setup_complete"))
    assert TOTPDevice.objects.filter(user=editor, name="default", confirmed=True).exists()
    assert verified(client)
    assert client.get("/admin/releases/release/").status_code == 200


def test_a_press_officer_needs_no_second_factor_unless_the_setting_asks(
    client, press_officer, settings
):
    password_step(client, "olga")
    assert signed_in(client)
    assert client.get("/admin/").status_code == 200

    settings.TWO_FACTOR_FOR_PRESS_OFFICERS = True
    response = client.get("/admin/")
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"].startswith(reverse("two_factor:setup"))


def test_whoever_has_set_up_a_second_factor_is_asked_for_it(client, press_officer):
    device = authenticator(press_officer)
    password_step(client, "olga")
    assert not signed_in(client)
    code_step(client, totp_code(device))
    assert verified(client)


def recovery_code_step(client, editor, typed):
    """The editor, who has the recovery code abcd2345, signs in with ``typed``."""
    authenticator(editor)
    codes = StaticDevice.objects.create(user=editor, name="backup")
    codes.token_set.create(token="abcd2345")
    password_step(client, "erika")
    client.post(SIGN_IN, {"wizard_goto_step": "backup"}, REMOTE_ADDR=HERE)
    return codes, code_step(client, typed, step="backup")


def test_a_recovery_code_works_once(client, editor):
    codes, response = recovery_code_step(client, editor, "abcd2345")
    assert response.status_code == 302
    assert verified(client)
    assert not codes.token_set.exists()

    client.logout()
    password_step(client, "erika")
    client.post(SIGN_IN, {"wizard_goto_step": "backup"}, REMOTE_ADDR=HERE)
    response = code_step(client, "abcd2345", step="backup")
    assert response.status_code == 200
    assert not signed_in(client)
    assert SignInFailure.objects.filter(step=SignInFailure.Step.RECOVERY_CODE).count() == 1


def test_failed_passwords_pause_only_that_account_from_that_address(client, editor, second_editor):
    device = authenticator(editor)
    for _attempt in range(4):
        assert password_step(client, "erika", "wrong").status_code == 200
    assert password_step(client, "erika", "wrong").status_code == 429
    # The right password is refused from this address, with the reason and the name kept.
    response = password_step(client, "erika")
    page = response.content.decode()
    assert response.status_code == 429
    assert "Too many failed sign-ins for this account from your address" in page
    assert "paused for up to 15 minutes" in page
    assert 'value="erika"' in page
    assert not signed_in(client)

    # The real editor, elsewhere, is not locked out; nor is another account here.
    response = password_step(client, "erika", address=ELSEWHERE)
    assert "six-digit code" in response.content.decode()
    code_step(client, totp_code(device), address=ELSEWHERE)
    assert verified(client)
    client.logout()
    password_step(client, "edvard")
    assert signed_in(client)


def test_the_pause_ends_after_the_window(client, editor, settings):
    authenticator(editor)
    for _attempt in range(5):
        password_step(client, "erika", "wrong")
    assert password_step(client, "erika").status_code == 429
    # The window passes: the failures are now older than it.
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    )
    assert "six-digit code" in password_step(client, "erika").content.decode()


def test_wrong_codes_count_as_failures_and_send_back_to_the_password(client, editor):
    device = authenticator(editor)
    password_step(client, "erika")
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    for _attempt in range(4):
        assert code_step(client, wrong).status_code == 200
    response = code_step(client, wrong)
    assert response.status_code == 429
    # Even a right code now leads back to the password, which waits out the pause.
    response = code_step(client, totp_code(device))
    assert 'name="auth-password"' in response.content.decode()
    assert not signed_in(client)
    assert password_step(client, "erika").status_code == 429


def test_failed_sign_ins_are_logged_for_editors_to_read(client, editor, press_officer):
    device = authenticator(editor)
    password_step(client, "erika", "wrong")
    password_step(client, "nobody", "wrong", address=ELSEWHERE)
    password_step(client, "erika")
    code_step(client, "000000" if totp_code(device) != "000000" else "111111")
    log = list(SignInFailure.objects.order_by("pk").values_list("username", "user", "step"))
    assert log == [
        ("erika", editor.pk, SignInFailure.Step.PASSWORD),
        ("nobody", None, SignInFailure.Step.PASSWORD),
        ("erika", editor.pk, SignInFailure.Step.CODE),
    ]
    assert list(SignInFailure.objects.values_list("address", flat=True).distinct().order_by()) in (
        [HERE, ELSEWHERE],
        [ELSEWHERE, HERE],
    )

    url = reverse("admin:signin_signinfailure_changelist")
    sign_in(client, editor)
    page = client.get(url).content.decode()
    assert "Right password, wrong second-factor code or passkey" in page
    assert "nobody" in page
    sign_in(client, press_officer)
    assert client.get(url).status_code == 403


def test_refused_attempts_are_logged_as_refused(client, editor):
    for _attempt in range(6):
        password_step(client, "erika", "wrong")
    steps = list(SignInFailure.objects.order_by("pk").values_list("step", flat=True))
    assert steps == [SignInFailure.Step.PASSWORD] * 5 + [SignInFailure.Step.REFUSED]


def test_the_log_keeps_its_period(db, settings):
    old = SignInFailure.objects.create(username="a", step=SignInFailure.Step.PASSWORD)
    old.at = timezone.now() - datetime.timedelta(days=settings.SIGN_IN_LOG_DAYS + 1)
    old.save()
    recent = SignInFailure.objects.create(username="b", step=SignInFailure.Step.PASSWORD)
    assert list(SignInFailure.objects.expired()) == [old]
    assert recent not in SignInFailure.objects.expired()


@pytest.mark.parametrize(
    ("asked", "lands"),
    [
        ("https://evil.example.org/admin/", "/admin/"),
        ("//evil.example.org/", "/admin/"),
        ("javascript:alert(1)", "/admin/"),
        ("/admin/releases/release/", "/admin/releases/release/"),
    ],
)
def test_sign_in_goes_to_the_asked_page_only_on_this_site(client, editor, asked, lands):
    device = authenticator(editor)
    response = client.get(f"/admin/login/?next={asked}")
    assert response.status_code == 302
    start = response["Location"]
    assert start.startswith(SIGN_IN)
    client.get(start)
    next_url = start.split("next=", 1)[1]
    password_step(client, "erika", next_url=next_url)
    response = code_step(client, totp_code(device), next_url=next_url)
    assert response["Location"] == lands
    assert client.get(response["Location"]).status_code == 200


def test_an_editor_who_removes_the_second_factor_sets_up_a_new_one(client, editor):
    sign_in(client, editor)
    response = client.post(reverse("two_factor:disable"), {"understand": "on"})
    assert response["Location"] == reverse("two_factor:setup")
    assert not TOTPDevice.objects.filter(user=editor).exists()
    response = client.get("/admin/")
    assert response.status_code == 302


def test_a_recovery_code_is_taken_as_written_down_in_capitals_or_with_spaces(client, editor):
    _codes, response = recovery_code_step(client, editor, " ABCD 2345")
    assert response.status_code == 302
    assert verified(client)


def test_recovery_codes_are_made_on_request(client, editor):
    sign_in(client, editor)
    url = reverse("two_factor:backup_tokens")
    assert "You have no recovery codes" in client.get(url).content.decode()
    client.post(url)
    tokens = list(StaticDevice.objects.get(user=editor).token_set.values_list("token", flat=True))
    assert len(tokens) == 10
    page = client.get(url).content.decode()
    assert all(token in page for token in tokens)


def test_sign_in_pages_speak_danish(client, editor):
    authenticator(editor)
    client.cookies["django_language"] = "da"
    page = client.get(SIGN_IN, HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "Log ind med dit brugernavn og din adgangskode." in page
    page = password_step(client, "erika").content.decode()
    assert "Din adgangskode er rigtig." in page


def test_demo_logins_work_with_the_printed_second_factor(client, db):
    demo.load()
    for _role, username, password in demo.DEMO_ACCOUNTS:
        response = password_step(client, username, password)
        if username in demo.DEMO_TOTP_KEYS:
            assert not signed_in(client)
            key = base64.b32decode(demo.demo_key(username).replace(" ", ""))
            assert key == TOTPDevice.objects.get(user__username=username).bin_key
            code_step(client, totp_code(TOTPDevice.objects.get(user__username=username)))
            assert verified(client)
        assert response.status_code in (200, 302)
        assert client.get("/admin/").status_code == 200
        client.logout()
    # The printed recovery codes work too, and are topped up for the next start.
    codes = demo.demo_recovery_codes("editor")
    password_step(client, "editor", "demo-editor-2026")
    client.post(SIGN_IN, {"wizard_goto_step": "backup"}, REMOTE_ADDR=HERE)
    code_step(client, codes[0], step="backup")
    assert verified(client)
    assert codes[0] not in demo.demo_recovery_codes("editor")
    assert len(demo.demo_recovery_codes("editor")) == demo.DEMO_RECOVERY_CODES


def test_the_readme_gives_the_demo_editors_keys(settings):
    readme = (settings.BASE_DIR / "README.md").read_text()
    for username in demo.DEMO_TOTP_KEYS:
        assert f"`{demo.demo_key(username)}`" in readme
