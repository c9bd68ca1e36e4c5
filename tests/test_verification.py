"""Verifiable releases: every public version signed, checked by text or by signed document."""

import base64
import datetime
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.asserts import assertContains, assertNotContains

from releases.models import Status
from tests.conftest import make_release, outline
from verification import keys, versions
from verification.models import SignedVersion

pytestmark = pytest.mark.usefixtures("cache_table")

BODY = (
    "<p>Denmark hands over command of NATO Mission Iraq after a year.</p>"
    "<p>The mission trains Iraqi security institutions.</p>"
)


@pytest.fixture(autouse=True)
def signing_key(settings):
    settings.RELEASE_SIGNING_KEY = keys.new_key_text()
    return settings.RELEASE_SIGNING_KEY


@pytest.fixture
def release(profile):
    release = make_release("Denmark hands over command", title_da="Danmark afleverer", body_en=BODY)
    release.quotes.create(speaker="Lars Løkke Rasmussen", text_en="A proud day for Denmark.")
    return release


def signed_document(client, release, language="en"):
    response = client.get(reverse("signed:document", args=[release.pk, language]))
    assert response.status_code == 200
    return response.content.decode()


def check(client, language="en", **data):
    with translation.override(language):
        url = reverse("verification:verify")
    return client.post(url, data)


# Signing ------------------------------------------------------------------------------------


def test_each_language_of_a_public_release_is_signed_over_its_canonical_text(client, release):
    document = json.loads(signed_document(client, release))
    assert document["algorithm"] == "Ed25519"
    payload = json.loads(document["payload"])
    assert payload["title"] == "Denmark hands over command"
    assert payload["language"] == "en"
    assert payload["url"] == f"http://testserver/en/releases/{release.slug_en}/"
    assert payload["body"] == (
        "Denmark hands over command of NATO Mission Iraq after a year.\n"
        "The mission trains Iraqi security institutions."
    )
    assert payload["quotes"] == [
        {"speaker": "Lars Løkke Rasmussen", "role": "", "text": "A proud day for Denmark."}
    ]
    assert payload["version"] == 1
    assert document["payload"] == versions.canonical(payload)
    danish = json.loads(json.loads(signed_document(client, release, "da"))["payload"])
    assert (danish["title"], danish["language"]) == ("Danmark afleverer", "da")


def test_anyone_can_check_a_signature_with_the_published_public_key(client, release):
    document = json.loads(signed_document(client, release))
    published = client.get("/.well-known/pressroom-signing-key.json").json()
    [key] = published["keys"]
    assert key["key_id"] == document["key_id"]
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(key["public_key"]))
    public.verify(base64.b64decode(document["signature"]), document["payload"].encode())


def test_the_public_key_is_on_the_about_page_in_both_languages(client, profile):
    for path in ("/en/about/", "/da/om/"):
        page = client.get(path)
        assertContains(page, keys.public_key_pem().strip())
        assertContains(page, keys.key_id())


def test_drafts_and_embargoed_releases_have_no_signed_document(client, profile):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    for release in (
        make_release("Draft", status=Status.DRAFT),
        make_release("Embargoed", status=Status.SCHEDULED, published_at=tomorrow),
    ):
        assert client.get(reverse("signed:document", args=[release.pk, "en"])).status_code == 404
        assert versions.sign_release(release) == []
    assert SignedVersion.objects.count() == 0


def test_an_unchanged_release_keeps_its_version_and_a_change_makes_the_next(release):
    [first, _danish] = versions.sign_release(release)
    assert versions.sign_release(release) == []
    release.body_en = BODY.replace("a year", "two years")
    release.save()
    [second] = versions.sign_release(release)
    assert (first.language, second.number) == ("en", 2)
    first.refresh_from_db()
    assert first.superseded_at == second.signed_at
    assert first.successor() == second


def test_the_sweep_signs_public_releases_changed_since_their_last_signature(release):
    assert list(versions.unsigned_releases()) == [release]
    versions.sign_release(release)
    assert list(versions.unsigned_releases()) == []
    release.corrections.create(text_en="An earlier version gave the wrong year.")
    release.save()
    assert list(versions.unsigned_releases()) == [release]
    made = versions.sign_release(release)
    assert [v.number for v in made] == [2, 2]  # the correction shows in both languages


def test_going_live_signs_the_release_in_its_transaction(profile):
    at = timezone.now() - datetime.timedelta(seconds=1)
    release = make_release("Scheduled", status=Status.SCHEDULED, published_at=at)
    assert release.go_live()
    assert SignedVersion.objects.filter(release=release, number=1).count() == 1


def test_an_approved_change_signs_a_new_version_and_a_waiting_one_signs_nothing(
    client, editor, second_editor, profile
):
    from tests.test_desk import edit

    release = make_release("Live release", body_en=BODY)
    [first] = versions.sign_release(release)
    edit(release, editor, body_en=BODY.replace("a year", "two years"))
    assert versions.sign_release(release) == []  # the change waits for review
    release.publish(by=second_editor)
    first.refresh_from_db()
    assert first.successor().number == 2
    assert "two years" in json.loads(first.successor().payload)["body"]
    answer = check(client, text=json.dumps(versions.document(first)))
    assertContains(answer, "This is version 1. It was superseded by version 2")


# Checking a signed document ----------------------------------------------------------------


def test_an_unaltered_signed_document_verifies_and_names_its_release(client, release):
    answer = check(client, text=signed_document(client, release))
    assert answer.status_code == 200
    assertContains(answer, "Genuine: an unaltered release")
    assertContains(
        answer,
        f'<a href="http://testserver/en/releases/{release.slug_en}/" lang="en">'
        "Denmark hands over command</a>",
        html=True,
    )


def test_an_uploaded_signed_document_verifies(client, release):
    upload = SimpleUploadedFile("release.json", signed_document(client, release).encode())
    assertContains(check(client, document=upload), "Genuine: an unaltered release")


def test_a_tampered_signed_document_is_refused(client, release):
    document = json.loads(signed_document(client, release))
    document["payload"] = document["payload"].replace("after a year", "after ten years")
    answer = check(client, text=json.dumps(document))
    assertContains(answer, "Refused: not an unaltered release")
    assertNotContains(answer, "Genuine")


def test_a_document_signed_with_another_key_is_refused(client, release, settings):
    text = signed_document(client, release)
    settings.RELEASE_SIGNING_KEY = keys.new_key_text()
    assertContains(check(client, text=text), "Refused: not an unaltered release")


def test_a_superseded_version_verifies_as_superseded_by_the_newer_one(client, release):
    old = signed_document(client, release)
    release.body_en = BODY.replace("a year", "two years")
    release.save()
    release.corrections.create(text_en="An earlier version gave the wrong length of service.")
    assert json.loads(json.loads(signed_document(client, release))["payload"])["version"] == 2
    answer = check(client, text=old)
    assertContains(answer, "Genuine, but superseded")
    assertContains(answer, "This is version 1. It was superseded by version 2")
    assertContains(check(client, text=signed_document(client, release)), "Genuine: an unaltered")


def test_an_old_version_stays_downloadable_by_its_number(client, release):
    first = signed_document(client, release)
    release.title_en = "Denmark hands over command, corrected"
    release.save()
    signed_document(client, release)
    response = client.get(reverse("signed:version", args=[release.pk, "en", 1]))
    assert response.content.decode() == first


# Checking a pasted text ----------------------------------------------------------------------


def test_a_pasted_text_of_the_release_verifies(client, release):
    versions.sign_release(release)
    pasted = (
        "Denmark hands over command\n\n"
        "Denmark hands over command of NATO Mission\nIraq after a year.\n\n"  # wrapped by email
        "“A proud day for Denmark.”"
    )
    answer = check(client, text=pasted)
    assertContains(answer, "Genuine: an unaltered release")
    assertContains(answer, "Denmark hands over command</a>")


def test_a_tampered_text_is_refused(client, release):
    versions.sign_release(release)
    answer = check(client, text="Denmark hands over command of NATO Mission Iraq after ten years.")
    assertContains(answer, "Not found in any release")
    assertNotContains(answer, "Genuine")


def test_a_text_from_a_corrected_release_is_reported_superseded(client, release):
    versions.sign_release(release)
    release.body_en = BODY.replace("after a year", "after two years")
    release.save()
    versions.sign_release(release)
    old = check(client, text="Denmark hands over command of NATO Mission Iraq after a year.")
    assertContains(old, "Genuine, but superseded")
    new = check(client, text="Denmark hands over command of NATO Mission Iraq after two years.")
    assertContains(new, "Genuine: an unaltered release")


def test_text_too_short_to_prove_anything_is_not_looked_up(client, release):
    versions.sign_release(release)
    assertContains(check(client, text="Denmark"), "Nothing to check")
    assertContains(check(client, text="   "), "Paste a text or choose a file to check.")


def test_a_draft_is_never_confirmed(client, profile):
    draft = make_release(
        "Secret plan", status=Status.DRAFT, body_en="<p>" + "Secret " * 10 + "</p>"
    )
    versions.sign_release(draft)
    assertContains(check(client, text="Secret " * 10), "Not found in any release")


def test_checks_are_limited_per_client(client, release):
    for _ in range(versions_limit()):
        check(client, text="Anything at all that is long enough to look up.")
    assert check(client, text="One more check than allowed.").status_code == 429


def versions_limit():
    from verification.views import CHECKS_PER_MINUTE

    return CHECKS_PER_MINUTE


# The page -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "path", "heading"),
    [("en", "/en/verify/", "Verify a release"), ("da", "/da/bekraeft/", "Bekræft en nyhed")],
)
def test_the_verify_page_has_one_h1_in_its_language_and_works_without_script(
    client, profile, language, path, heading
):
    with translation.override(language):
        assert reverse("verification:verify") == path
    page = client.get(path)
    assert page.status_code == 200
    shape = outline(page)
    assert (shape.h1, shape.html_lang) == (1, language)
    assertContains(page, f"<h1>{heading}</h1>", html=True)
    assertContains(page, 'method="post" enctype="multipart/form-data"')
    assertNotContains(page, "<script")
    assert "public" in page["Cache-Control"]


def test_the_release_page_links_its_signed_version_and_the_verify_page(client, release):
    page = client.get(f"/da/nyheder/{release.slug_da}/")
    assertContains(page, f'href="/signed/releases/{release.pk}/da.json"')
    assertContains(page, 'href="/da/bekraeft/"')


def test_checking_needs_no_session_nor_csrf_token_so_the_page_can_be_cached(release):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    answer = strict.post("/en/verify/", {"text": signed_document(strict, release)})
    assertContains(answer, "Genuine: an unaltered release")
    assert "no-store" in answer["Cache-Control"]
    assert not answer.cookies


def test_documents_signed_with_a_retired_key_still_verify_after_the_key_changes(
    client, release, settings
):
    text = signed_document(client, release)
    old_public = keys.public_key_base64()
    settings.RELEASE_SIGNING_KEY = keys.new_key_text()
    settings.RELEASE_SIGNING_RETIRED_KEYS = [old_public]
    assertContains(check(client, text=text), "Genuine: an unaltered release")
    published = client.get("/.well-known/pressroom-signing-key.json").json()["keys"]
    assert [(k["public_key"], k["retired"]) for k in published] == [
        (keys.public_key_base64(), False),
        (old_public, True),
    ]
    document = json.loads(text)
    document["payload"] = document["payload"].replace("a year", "ten years")
    assertContains(check(client, text=json.dumps(document)), "Refused")
