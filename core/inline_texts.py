"""Inline forms' “Add another …” link written whole per inline, so each language can say it right.

Django builds the link from “Add another %(verbose_name)s”, which Danish cannot fill in for
every noun (“Tilføj endnu en Billede”: the wrong article and a capital letter). An inline
with ``add_text`` gets that text instead.
"""

import json

from django.contrib.admin.helpers import InlineAdminFormSet


class _WrittenAddText(InlineAdminFormSet):
    def inline_formset_data(self):
        data = json.loads(super().inline_formset_data())
        data["options"]["addText"] = str(self.opts.add_text)
        return json.dumps(data)


class InlineAddTextMixin:
    """For a model admin: uses each inline's ``add_text`` for its add link, where it has one."""

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_admin_formsets = super().get_inline_formsets(
            request, formsets, inline_instances, obj
        )
        for inline_admin_formset in inline_admin_formsets:
            if getattr(inline_admin_formset.opts, "add_text", None):
                inline_admin_formset.__class__ = _WrittenAddText
        return inline_admin_formsets
