from django import forms
from django.utils.translation import gettext_lazy as _

# A signed document is a few kilobytes; nothing bigger is read.
MAX_UPLOAD_BYTES = 1024 * 1024


class VerifyForm(forms.Form):
    text = forms.CharField(
        label=_("Text or signed document"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 60}),
        help_text=_(
            "Paste the text you were given (its title, lead, paragraphs or quotes), or the "
            "signed document (JSON) of a release."
        ),
    )
    document = forms.FileField(
        label=_("Or upload a signed document (.json)"),
        required=False,
        help_text=_("The file you downloaded from a release's “Signed version” link."),
    )

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload is None:
            return ""
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("This file is too large to be a signed release."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                _("This file is not a signed release: it is not text.")
            ) from error

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("text", "").strip() and not cleaned.get("document"):
            raise forms.ValidationError(_("Paste a text or choose a file to check."))
        return cleaned
