"""One language is enough: every translated text can be written in Danish or English only."""

import datetime

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from modeltranslation.translator import translator

from core.models import PressroomProfile
from core.one_language import needs_one_language
from missions.models import Contribution, Mission, Organisation
from releases.models import PressContact, Release, Status
from tests.conftest import form_data, inline_management, make_photo, make_release, sign_in

LANGUAGES = ("en", "da")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _organisation():
    return Organisation.objects.create(name_en="North Atlantic Treaty Organization")


def _mission():
    return Mission.objects.create(
        name_en="NATO Mission Iraq", slug="nmi", organisation=_organisation()
    )


def _contribution():
    return Contribution.objects.create(mission=_mission(), kind="staff-officers")


# Per translated model: the parent an inline row belongs to, the values of its other
# required fields, and the files it needs. Every registered model must be listed.
CASES = {
    "releases.Topic": (None, {}, {}),
    "core.Licence": (None, {"url": ""}, {}),
    "releases.PressContact": (None, {"phone": "", "email": ""}, {}),
    "releases.Release": (None, {"kind": "news"}, {}),
    "releases.Quote": (make_release, {"speaker": "Lars Løkke Rasmussen", "order": "0"}, {}),
    "releases.Correction": (
        make_release,
        {"created_at_0": "2026-11-20", "created_at_1": "10:00:00"},
        {},
    ),
    "releases.ReleaseImage": (
        lambda: make_release(status=Status.DRAFT),
        {"order": "0"},
        {"image": lambda: SimpleUploadedFile("kyiv.jpg", make_photo(600, 400), "image/jpeg")},
    ),
    "releases.ReleaseDocument": (
        lambda: make_release(status=Status.DRAFT),
        {"order": "0"},
        {"file": lambda: SimpleUploadedFile("fakta.pdf", b"%PDF-1.7\n" + b"x" * 100)},
    ),
    "core.PressroomProfile": (None, {"address": "", "phone": "", "email": ""}, {}),
    "missions.Organisation": (None, {"acronym": "NATO"}, {}),
    "missions.Mission": (
        None,
        {
            "slug": "nmi",
            "organisation": lambda: str(_organisation().pk),
            "established_precision": "day",
            "ended_precision": "day",
        },
        {},
    ),
    "missions.LegalBasis": (_mission, {"kind": "un-resolution", "dated_precision": "day"}, {}),
    "missions.CommandPeriod": (
        _mission,
        {
            "lead_nation": "DK",
            "started_on": "2022-05-17",
            "started_precision": "day",
            "ended_precision": "day",
        },
        {},
    ),
    "missions.Contribution": (
        None,
        {
            "mission": lambda: str(_mission().pk),
            "country": "DK",
            "kind": "staff-officers",
            "started_precision": "day",
            "ended_precision": "day",
        },
        {},
    ),
    "missions.Figure": (
        _contribution,
        {
            "measure": "personnel",
            "kind": "actual",
            "qualifier": "exact",
            "value": "12",
            "dated_precision": "day",
        },
        {},
    ),
}


def _label(model):
    return model._meta.label


def admin_form_class(model, request):
    """The form the admin shows for ``model``: its own page's, or the inline's it is edited in."""
    if model in admin.site._registry:
        return admin.site._registry[model].get_form(request), None
    for parent_admin in admin.site._registry.values():
        for inline_class in parent_admin.inlines:
            if inline_class.model is model:
                formset = inline_class(parent_admin.model, admin.site).get_formset(request)
                return formset.form, formset.fk.name
    raise AssertionError(f"{_label(model)} is edited nowhere in the admin")


def _texts(model, language):
    """A text for every translated field in ``language`` and none in the other."""
    options = translator.get_options_for_model(model)
    values = {}
    for name in options.all_fields:
        for code in LANGUAGES:
            field = f"{name}_{code}"
            if code != language:
                values[field] = ""
            elif name == "slug":
                values[field] = f"{model._meta.model_name}-{language}"
            else:
                values[field] = f"{name} {language}"[: model._meta.get_field(field).max_length]
    return values


def _bound_form(model, editor, texts):
    request = RequestFactory().post("/")
    request.user = editor
    form_class, parent_field = admin_form_class(model, request)
    make_parent, other_values, files = CASES[_label(model)]
    data = {key: value() if callable(value) else value for key, value in other_values.items()}
    data.update(texts)
    instance = PressroomProfile(pk=1) if model is PressroomProfile else model()
    if parent_field:
        parent = make_parent()
        setattr(instance, parent_field, parent)
        data[parent_field] = str(parent.pk)
    return form_class(data, {key: make() for key, make in files.items()}, instance=instance)


def test_every_translated_model_has_a_case_here():
    assert sorted(_label(m) for m in translator.get_registered_models()) == sorted(CASES)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("label", sorted(CASES))
def test_every_translated_model_saves_with_its_texts_in_one_language_only(editor, label, language):
    model = next(m for m in translator.get_registered_models() if _label(m) == label)
    form = _bound_form(model, editor, _texts(model, language))
    assert form.is_valid(), form.errors
    saved = form.save()
    saved.refresh_from_db()
    other = "da" if language == "en" else "en"
    for name in translator.get_options_for_model(model).all_fields:
        if f"{name}_{language}" not in form.fields:
            continue
        assert getattr(saved, f"{name}_{language}"), name
        assert not getattr(saved, f"{name}_{other}"), name


@pytest.mark.parametrize("label", sorted(CASES))
def test_a_required_text_in_neither_language_is_refused_on_both_with_a_clear_message(editor, label):
    model = next(m for m in translator.get_registered_models() if _label(m) == label)
    required = needs_one_language(model)
    texts = _texts(model, "da")
    for name in required:
        texts[f"{name}_da"] = ""
    form = _bound_form(model, editor, texts)
    if not required:
        assert form.is_valid(), form.errors
        return
    assert not form.is_valid()
    for name in required:
        label_text = model._meta.get_field(name).verbose_name
        message = f"Fill in “{label_text}” in at least one language; one is enough."
        assert form.errors[f"{name}_en"] == [message]
        assert form.errors[f"{name}_da"] == [message]


def test_the_refusal_is_in_danish_for_a_danish_editor(editor):
    with translation.override("da"):
        form = _bound_form(Release, editor, {"title_en": "", "title_da": ""})
        assert not form.is_valid()
        assert form.errors["title_da"] == ["Udfyld “titel” på mindst ét sprog; ét er nok."]


def test_a_danish_only_release_with_quote_image_and_document_is_added_in_the_admin(
    client, press_officer
):
    sign_in(client, press_officer)
    data = {
        "kind": "press-release",
        "title_en": "",
        "title_da": "Særlig udsending til Mellemøsten",
        "lead_da": "Danmark udpeger en særlig udsending.",
        "body_da": "<p>Udsendingen rejser i dag.</p>",
        **inline_management("quotes", 1),
        "quotes-0-speaker": "Lars Løkke Rasmussen",
        "quotes-0-text_da": "Vi står sammen.",
        "quotes-0-order": "0",
        **inline_management("release_contacts", 0),
        **inline_management("images", 1),
        "images-0-alt_da": "Udsendingen i Amman",
        "images-0-order": "0",
        "images-0-image": SimpleUploadedFile("amman.jpg", make_photo(600, 400), "image/jpeg"),
        **inline_management("documents", 1),
        "documents-0-title_da": "Faktaark",
        "documents-0-order": "0",
        "documents-0-file": SimpleUploadedFile("faktaark.pdf", b"%PDF-1.7\n" + b"x" * 100),
    }
    response = client.post(reverse("admin:releases_release_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    release = Release.objects.get()
    assert not release.title_en
    assert release.title_da == "Særlig udsending til Mellemøsten"
    assert release.quotes.get().text_da == "Vi står sammen."
    assert release.images.get().alt_da == "Udsendingen i Amman"
    assert release.documents.get().title_da == "Faktaark"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_release_in_one_language_only_can_be_edited_in_the_admin(client, press_officer, language):
    other = "da" if language == "en" else "en"
    release = make_release(
        "",
        status=Status.DRAFT,
        **{f"title_{language}": "Nyt om missionen", f"slug_{language}": "nyt-om-missionen"},
    )
    release.quotes.create(speaker="Troels Lund Poulsen", **{f"text_{language}": "Vi hjælper."})
    sign_in(client, press_officer)
    url = reverse("admin:releases_release_change", args=[release.pk])
    data = form_data(client.get(url))
    data[f"title_{language}"] = "Nyt om missionen i Irak"
    data["quotes-0-text_" + language] = "Vi hjælper fortsat."
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    release.refresh_from_db()
    assert getattr(release, f"title_{language}") == "Nyt om missionen i Irak"
    assert not getattr(release, f"title_{other}")
    assert getattr(release.quotes.get(), f"text_{language}") == "Vi hjælper fortsat."


def test_a_contact_with_a_danish_title_only_is_saved(client, editor):
    sign_in(client, editor)
    response = client.post(
        reverse("admin:releases_presscontact_add"),
        {"name_da": "Pressevagten", "title_da": "Pressevagt", "phone": "", "email": ""},
    )
    assert response.status_code == 302
    assert PressContact.objects.get().title_da == "Pressevagt"


def test_a_correction_in_danish_only_is_added_to_a_published_release(client, editor, second_editor):
    release = make_release("Published", title_da="Offentliggjort")
    sign_in(client, editor)
    url = reverse("admin:releases_release_change", args=[release.pk])
    data = form_data(client.get(url))
    data.update(
        {
            **inline_management("corrections", 1),
            "corrections-0-text_da": "En tidligere version havde en forkert dato.",
            "corrections-0-created_at_0": "2026-11-20",
            "corrections-0-created_at_1": "10:00:00",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    release.refresh_from_db()
    release.publish(by=second_editor)  # a correction is public once a second editor approves
    correction = release.corrections.get()
    assert not correction.text_en
    assert correction.text_da == "En tidligere version havde en forkert dato."
    assert correction.created_at.date() == datetime.date(2026, 11, 20)
