from django import forms
from django.conf import settings
from django.contrib.admin import widgets as admin_widgets
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.addresses import SlugFormMixin
from core.admin import AdminModelForm
from core.phones import PhoneNumberField
from releases.html import EDITOR_CONFIG, validate_rich_text
from releases.models import Journalist, JournalistGroup, Release, ReleaseKind
from releases.widgets import BodyEditorWidget

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class ReleaseAdminForm(SlugFormMixin, AdminModelForm):
    slug_sources = {f"slug_{code}": [f"title_{code}"] for code in LANGUAGE_CODES}
    # Until publication (after which the address is read-only) it follows the title.
    slug_follows_title = True

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
            f"body_{code}": BodyEditorWidget(config=EDITOR_CONFIG, attrs={"lang": code})
            for code in LANGUAGE_CODES
        }

    def clean(self):
        cleaned = super().clean()
        for code in LANGUAGE_CODES:
            body = f"body_{code}"
            if cleaned.get(body):
                try:
                    cleaned[body] = validate_rich_text(cleaned[body])
                except forms.ValidationError as error:
                    self.add_error(body, error)
        start, end = cleaned.get("event_start"), cleaned.get("event_end")
        if end and (not start or end < start):
            self.add_error("event_end", _("The event cannot end before it starts."))
        if cleaned.get("kind") == ReleaseKind.PRESS_INVITATION and not start:
            self.add_error("event_start", _("A press invitation needs the time of the event."))
        return cleaned


class TopicAdminForm(SlugFormMixin, AdminModelForm):
    slug_sources = {f"slug_{code}": [f"name_{code}"] for code in LANGUAGE_CODES}


class PressContactAdminForm(AdminModelForm):
    class Meta:
        field_classes = {"phone": PhoneNumberField}


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin's widget shows "Date:" and "Time:" as plain text; name each input.
        date, time = self.fields["at"].widget.widgets
        date.attrs["aria-label"] = _("Date of publication")
        time.attrs["aria-label"] = _("Time of publication (Copenhagen time)")

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


class ApproveForm(PublishForm):
    """The reviewer's approval: when the approved text goes public, among ``choices``."""

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["when"].choices = choices
        self.fields["when"].initial = choices[0][0]
        if not any(value == "at" for value, _label in choices):
            del self.fields["at"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("when") == "keep":
            cleaned["at"] = None
        return cleaned

    def publication_time(self):
        """None keeps the time there is (or publishes a submitted release now)."""
        when = self.cleaned_data["when"]
        if when == "now":
            return timezone.now()
        return self.cleaned_data.get("at") if when == "at" else None


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The author gets this by email, and it stays in the history."),
    )


class PublishAloneForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can this not wait for a second editor?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Every editor is told at once, and the release is flagged “published without "
            "review” until another editor approves it."
        ),
    )


class UnpublishForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the release's history; readers do not see it."),
    )


class EmbargoGrantForm(forms.Form):
    """Whom to give a scheduled release early: journalists, whole groups, or both."""

    journalists = forms.ModelMultipleChoiceField(
        label=_("Journalists"),
        queryset=Journalist.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only journalists whose accreditation holds today are listed."),
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("Groups"),
        queryset=JournalistGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every accredited journalist of the group gets a link."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["journalists"].queryset = Journalist.objects.accredited()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("journalists") and not cleaned.get("groups"):
            raise forms.ValidationError(_("Choose at least one journalist or group."))
        return cleaned

    def chosen(self):
        """The accredited journalists chosen by name or through a group, each once."""
        data = self.cleaned_data
        return list(
            Journalist.objects.accredited()
            .filter(
                models.Q(pk__in=[j.pk for j in data["journalists"]])
                | models.Q(groups__in=data["groups"])
            )
            .distinct()
        )
