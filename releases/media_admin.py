"""The admin's forms and inlines for a release's images and documents."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core import images
from core.models import Licence, default_licence
from core.one_language import OneLanguageModelForm, OneLanguageStackedInline
from releases.media import (
    check_document,
    delete_files_on_commit,
    fallback_url,
    image_files,
    make_renditions,
)
from releases.models import ReleaseDocument, ReleaseImage


class ReleaseImageForm(OneLanguageModelForm):
    class Meta:
        model = ReleaseImage
        fields = [
            "image",
            "alt",
            "caption",
            "credit",
            "licence",
            "rights_expire_at",
            "is_lead",
            "order",
        ]
        field_classes = {"image": images.ImageUploadField}

    def clean_licence(self):
        # An image always has a licence: left empty, it keeps the pressroom's default.
        return self.cleaned_data.get("licence") or Licence.objects.get(pk=default_licence())

    def _get_validation_exclusions(self):
        # One lead image per release is checked across the formset, so that the lead
        # can move from one image to another in a single save.
        return {*super()._get_validation_exclusions(), "is_lead"}

    def save(self, commit=True):
        """Save, then make renditions of a new upload (with commit=False, call make_renditions)."""
        replaced = "image" in self.changed_data and self.instance.pk
        old_files = image_files(ReleaseImage.objects.get(pk=self.instance.pk)) if replaced else []
        if "rights_expire_at" in self.changed_data:
            self.instance.expiry_notice_sent_at = None  # a new date, a new notice
        release_image = super().save(commit=commit)
        if commit and "image" in self.changed_data:
            make_renditions(release_image)
            delete_files_on_commit(old_files)
        return release_image


class ReleaseDocumentForm(OneLanguageModelForm):
    class Meta:
        model = ReleaseDocument
        fields = ["file", "title", "order"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if "file" in self.changed_data:
            check_document(upload)
        return upload

    def save(self, commit=True):
        old_file = None
        if "file" in self.changed_data:
            self.instance.size = self.cleaned_data["file"].size
            if self.instance.pk:
                old_file = ReleaseDocument.objects.get(pk=self.instance.pk).file.name
        document = super().save(commit=commit)
        if commit:
            delete_files_on_commit([old_file])
        return document


class ReleaseImageFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        leads = [
            form
            for form in self.forms
            if form.cleaned_data.get("is_lead") and not self._should_delete_form(form)
        ]
        if len(leads) > 1:
            raise ValidationError(
                _("Only one image can be the lead image; untick “lead image” on the others."),
                code="leads",
            )


class ReleaseImageInline(OneLanguageStackedInline):
    model = ReleaseImage
    add_text = _("Add an image")
    form = ReleaseImageForm
    formset = ReleaseImageFormSet
    extra = 0
    fields = [
        "image",
        "preview",
        "alt",
        "caption",
        "credit",
        "licence",
        "rights_expire_at",
        "is_lead",
        "order",
    ]
    readonly_fields = ["preview"]

    @admin.display(description=_("preview"))
    def preview(self, release_image):
        if not release_image.pk:
            return "–"
        return format_html(
            '<img src="{}" alt="" width="240"><br>{}',
            fallback_url(release_image, max_width=480),
            _("%(width)s × %(height)s pixels")
            % {"width": release_image.width, "height": release_image.height},
        )


class ReleaseDocumentInline(OneLanguageStackedInline):
    model = ReleaseDocument
    add_text = _("Add a document")
    form = ReleaseDocumentForm
    extra = 0
