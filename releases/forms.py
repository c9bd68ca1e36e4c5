from django import forms
from django.conf import settings
from django.contrib.admin import widgets as admin_widgets
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_prose_editor.widgets import AdminProseEditorWidget

from releases.html import EDITOR_CONFIG, sanitize
from releases.models import Release, ReleaseKind

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class ReleaseAdminForm(forms.ModelForm):
    class Meta:
        model = Release
        fields = [
            "kind",
            "title",
            "slug",
            "lead",
            "body",
            "dateline",
            "event_start",
            "event_end",
            "event_location",
            "topics",
            "missions",
        ]
        widgets = {
            f"body_{code}": AdminProseEditorWidget(config=EDITOR_CONFIG) for code in LANGUAGE_CODES
        }

    def clean(self):
        cleaned = super().clean()
        for code in LANGUAGE_CODES:
            body = f"body_{code}"
            if cleaned.get(body):
                cleaned[body] = sanitize(cleaned[body])
            title, slug = cleaned.get(f"title_{code}"), f"slug_{code}"
            if title and not cleaned.get(slug):
                cleaned[slug] = slugify(title)[:250]
        if not any(cleaned.get(f"title_{code}") for code in LANGUAGE_CODES):
            raise forms.ValidationError(_("Write a title in at least one language."))
        start, end = cleaned.get("event_start"), cleaned.get("event_end")
        if end and (not start or end < start):
            self.add_error("event_end", _("The event cannot end before it starts."))
        if cleaned.get("kind") == ReleaseKind.PRESS_INVITATION and not start:
            self.add_error("event_start", _("A press invitation needs the time of the event."))
        return cleaned


class PublishForm(forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        choices=[("now", _("Publish now")), ("at", _("Schedule for a set time"))],
        widget=forms.RadioSelect,
        initial="now",
    )
    at = forms.SplitDateTimeField(
        label=_("Publication time (Copenhagen time)"),
        required=False,
        widget=admin_widgets.AdminSplitDateTime,
        help_text=_(
            "Date and time to the second, in Copenhagen time (CET in winter, CEST in "
            "summer). The release stays invisible everywhere until then."
        ),
    )
    notify = forms.BooleanField(
        label=_("Email subscribers when it goes live"), required=False, initial=True
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("when") == "at":
            at = cleaned.get("at")
            if at is None:
                if "at" not in self.errors:
                    self.add_error("at", _("Give the date and time to publish at."))
            elif at <= timezone.now():
                self.add_error(
                    "at", _("That time has passed; choose a future time or publish now.")
                )
        else:
            cleaned["at"] = None
        return cleaned


class WithdrawForm(forms.Form):
    reason_en = forms.CharField(label=_("Reason (English)"), widget=forms.Textarea, required=False)
    reason_da = forms.CharField(label=_("Reason (Danish)"), widget=forms.Textarea, required=False)

    def clean(self):
        cleaned = super().clean()
        if (
            not (cleaned.get("reason_en") or "").strip()
            and not (cleaned.get("reason_da") or "").strip()
        ):
            raise forms.ValidationError(
                _("Give the reason for the withdrawal; it is shown on the page.")
            )
        return cleaned
