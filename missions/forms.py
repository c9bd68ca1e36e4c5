from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.addresses import SlugFormMixin
from core.admin import AdminModelForm
from core.models import Licence, default_licence
from missions.models import (
    DENMARK,
    ContributionKind,
    Organisation,
    ceiling_conflicts,
    overlapping_pairs,
)


class MissionAdminForm(SlugFormMixin, AdminModelForm):
    """The mission form, with its address made from its name."""

    slug_sources = {"slug": ["name_en", "name_da"]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "image_licence" in self.fields and self.instance.image_licence_id is None:
            # Offered as a release image's is; a mission without an image keeps none.
            self.fields["image_licence"].initial = default_licence()

    def clean_image_licence(self):
        # A lead image always has a licence: left empty, it keeps the pressroom's default.
        licence = self.cleaned_data.get("image_licence")
        if licence is None and self.cleaned_data.get("image"):
            licence = Licence.objects.get(pk=default_licence())
        return licence

    def save(self, commit=True):
        if "image_rights_expire_at" in self.changed_data:
            self.instance.image_expiry_notice_sent_at = None  # a new date, a new notice
        return super().save(commit=commit)


class _LiveFormsMixin:
    def live_instances(self):
        """The rows as they will be saved: valid forms not marked for deletion."""
        return [
            form.instance
            for form in self.forms
            if form.is_valid()
            and (form.has_changed() or form.instance.pk)
            and not (self.can_delete and self._should_delete_form(form))
        ]


class CommandPeriodFormSet(_LiveFormsMixin, forms.BaseInlineFormSet):
    """Refuses command periods of one mission that overlap, across all rows at once."""

    def clean(self):
        super().clean()
        errors = [
            ValidationError(
                _(
                    "The command periods %(first)s and %(second)s overlap: "
                    "one must end before or on the day the other begins."
                ),
                params={"first": str(a), "second": str(b)},
                code="overlap",
            )
            for a, b in overlapping_pairs(self.live_instances())
        ]
        if errors:
            raise ValidationError(errors)


class FigureFormSet(_LiveFormsMixin, forms.BaseInlineFormSet):
    """Refuses a ceiling below a figure it bounds, across all rows at once."""

    def clean(self):
        super().clean()
        errors = [
            ValidationError(
                _(
                    "The ceiling of %(ceiling)s is below the figure it bounds "
                    "(%(figure)s); raise the ceiling or correct the figure."
                ),
                params={"ceiling": ceiling.value, "figure": figure.value},
                code="ceiling-below-figure",
            )
            for ceiling, figure in ceiling_conflicts(self.live_instances())
        ]
        if errors:
            raise ValidationError(errors)


class MissionFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("All organisations"),
    )
    country = forms.ChoiceField(label=_("Host country"), required=False)
    contribution = forms.ChoiceField(label=_("Denmark's contribution"), required=False)

    def __init__(self, *args, host_countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All host countries"))] + sorted(
            ((code, countries.name(code)) for code in host_countries), key=lambda c: c[1]
        )
        self.fields["contribution"].choices = [
            ("", _("All contribution types")),
            *ContributionKind.choices,
        ]

    def filter(self, missions):
        if not self.is_valid():
            return missions
        data = self.cleaned_data
        if data["organisation"]:
            missions = missions.filter(organisation=data["organisation"])
        if data["country"]:
            missions = missions.filter(host_countries__contains=data["country"])
        if data["contribution"]:
            missions = missions.filter(
                pk__in=missions.model.objects.filter(
                    contributions__kind=data["contribution"], contributions__country=DENMARK
                ).values("pk")
            )
        return missions
