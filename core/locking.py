"""Optimistic locking of admin forms: a save from a form older than the stored row is refused.

The form carries a fingerprint of the row as it was when the form was opened: its fields
and the rows of the inlines edited with it. On save the row is locked (``SELECT … FOR
UPDATE``) and fingerprinted again; if someone else saved in between, nothing is saved, and
the form comes back with the person's text, the other version beside it for every field
that differs, and the new fingerprint, so that one more save, after merging, goes through.
"""

import datetime
import hashlib
import json

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection
from django.db.models import Model, QuerySet
from django.utils import formats, timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _row(obj):
    return {field.attname: field.value_from_object(obj) for field in obj._meta.concrete_fields}


def fingerprint(obj, relations=()):
    """A hash of the stored row ``obj`` and of its rows in ``relations`` ((model, fk) pairs)."""
    rows = [_row(obj)]
    for model, fk_name in relations:
        rows.append([_row(related) for related in model._default_manager.filter(**{fk_name: obj})])
    text = json.dumps(rows, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class RowVersionFormMixin(forms.Form):
    """A model form that refuses to save over a row someone else saved after it was opened."""

    row_version = forms.CharField(widget=forms.HiddenInput, required=False)
    # (model, fk name) of the inline rows saved with this form; set by the admin.
    row_relations = ()
    # The row as someone else saved it, when this form came too late.
    stale_row = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial["row_version"] = fingerprint(self.instance, self.row_relations)

    def clean(self):
        cleaned = super().clean()
        sent = cleaned.get("row_version")
        if self.instance.pk is None or not sent:
            return cleaned
        rows = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        if connection.in_atomic_block:
            # Held until the save commits, so two saves cannot both pass this check.
            rows = rows.select_for_update()
        stored = rows.first()
        if stored is None:
            return cleaned
        current = fingerprint(stored, self.row_relations)
        if sent != current:
            self.stale_row = stored
            self.data = self.data.copy()
            self.data[self.add_prefix("row_version")] = current
            raise ValidationError(
                _(
                    "Someone else saved “%(object)s” after you opened it, so nothing was "
                    "saved. Your text is kept below; where theirs differs it is shown beside "
                    "yours. Take what you want to keep from it and save again."
                ),
                code="stale",
                params={"object": stored},
            )
        return cleaned

    def stale_differences(self):
        """For each field that differs: (label, this person's value, the stored value)."""
        if self.stale_row is None:
            return []
        differences = []
        for name, field in self.fields.items():
            if name == "row_version" or isinstance(field, forms.FileField):
                continue
            try:
                model_field = self.stale_row._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            stored = model_field.value_from_object(self.stale_row)
            mine = self.cleaned_data[name] if name in self.cleaned_data else self[name].value()
            yours, theirs = _shown(field, mine), _shown(field, stored)
            if yours != theirs:
                differences.append((field.label, yours, theirs))
        return differences


def _shown(field, value):
    """A value as a person reads it: choices by label, times local, rich text without tags."""
    if value is None or value == "":
        return ""
    if isinstance(value, (list, tuple, QuerySet)):
        return ", ".join(sorted(_shown(field, item) for item in value if item not in (None, "")))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime.datetime):
        return formats.localize(timezone.localtime(value))
    choices = {str(key): label for key, label in getattr(field, "choices", None) or ()}
    if not isinstance(value, Model) and str(value) in choices:
        return str(choices[str(value)])
    return strip_tags(str(value)).strip()


class RowVersionAdminMixin:
    """Gives the change form its row version, and shows both versions when it came too late."""

    def get_fields(self, request, obj=None):
        return [name for name in super().get_fields(request, obj) if name != "row_version"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if issubclass(form, RowVersionFormMixin):
            form.row_relations = [
                (inline.model, _fk_name(self.model, inline))
                for inline in self.get_inline_instances(request, obj)
            ]
        return form

    def render_change_form(self, request, context, *args, **kwargs):
        form = context["adminform"].form if "adminform" in context else None
        if isinstance(form, RowVersionFormMixin):
            context["stale_versions"] = form.stale_differences()
        return super().render_change_form(request, context, *args, **kwargs)


def _fk_name(parent_model, inline):
    """The inline model's foreign key to the parent: the one named, or the only one."""
    return next(
        field.name
        for field in inline.model._meta.fields
        if field.is_relation
        and field.related_model is parent_model
        and inline.fk_name in (None, field.name)
    )
