from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from missions.models import Mission
from releases.models import ReleaseKind, Topic
from subscriptions.models import Frequency


class AccessibleForm(forms.Form):
    """Marks fields with errors as invalid and points them at their error message."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"{self[name].auto_id}-error"}
                )


class ChoicesForm(AccessibleForm):
    """What to follow, in which language and how often: shared by sign-up and preferences."""

    ALL, CHOSEN = "all", "chosen"

    language = forms.ChoiceField(
        label=_("Language of the emails"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )
    follow = forms.ChoiceField(
        label=_("What to follow"),
        choices=[(ALL, _("All releases")), (CHOSEN, _("Only what I choose below"))],
        initial=ALL,
        widget=forms.RadioSelect,
    )
    kinds = forms.MultipleChoiceField(
        label=_("Types"),
        choices=ReleaseKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    missions = forms.ModelMultipleChoiceField(
        label=_("Missions"),
        queryset=Mission.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Frequency.choices,
        initial=Frequency.IMMEDIATELY,
        widget=forms.RadioSelect,
    )

    def clean(self):
        data = super().clean()
        chosen = data.get("kinds") or data.get("topics") or data.get("missions")
        if data.get("follow") == self.CHOSEN and not chosen:
            self.add_error(
                "follow", _("Choose at least one type, topic or mission, or all releases.")
            )
        elif data.get("follow") == self.ALL and self._newly_ticked():
            # All releases keeps no choices: boxes ticked with it would be dropped unsaid.
            # Boxes left as they were (the preferences of someone moving to all releases)
            # are not a choice the person made now.
            self.add_error(
                "follow",
                _(
                    "You ticked types, topics or missions, but chose all releases. Choose "
                    "“Only what I choose below” to follow just those, or untick them."
                ),
            )
        return data

    def _newly_ticked(self):
        """Whether a type, topic or mission is ticked that was not ticked when the form came."""
        for name in ("kinds", "topics", "missions"):
            field = self.fields[name]
            before = field.prepare_value(self.get_initial_for_field(field, name)) or ()
            now = field.prepare_value(self.cleaned_data.get(name)) or ()
            if {str(value) for value in now} - {str(value) for value in before}:
                return True
        return False

    def choices(self):
        """The cleaned choices as ``Subscriber.set_choices`` takes them."""
        data = self.cleaned_data
        return {
            "language": data["language"],
            "all_releases": data["follow"] == self.ALL,
            "kinds": data["kinds"],
            "topics": data["topics"],
            "missions": data["missions"],
            "frequency": data["frequency"],
        }

    def stored_choices(self):
        """The cleaned choices as plain values, for a queued job to pass to ``set_choices``."""
        choices = self.choices()
        return {
            **choices,
            "kinds": list(choices["kinds"]),
            "topics": [topic.pk for topic in choices["topics"]],
            "missions": [mission.pk for mission in choices["missions"]],
        }

    @classmethod
    def initial_for(cls, subscriber):
        return {
            "language": subscriber.language,
            "follow": cls.ALL if subscriber.all_releases else cls.CHOSEN,
            "kinds": subscriber.kinds,
            "topics": subscriber.topics.all(),
            "missions": subscriber.missions.all(),
            "frequency": subscriber.frequency,
        }


class SubscribeForm(ChoicesForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # Hidden from people by CSS; bots that fill in every field give themselves away.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    field_order = ["email", "language", "follow", "kinds", "topics", "missions", "frequency"]

    def is_bot(self):
        return bool(self.data.get(self.add_prefix("website")))


class SendLinkForm(AccessibleForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
