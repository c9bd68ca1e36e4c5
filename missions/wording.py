"""Figures in words, in the active language: “up to about 60”, “indledningsvis 4”."""

from django.utils import formats
from django.utils.translation import gettext as _


def figure_wording(kind, qualifier, value):
    """The one place that turns a figure's kind, qualifier and number into words."""
    number = formats.number_format(value, force_grouping=True)
    qualified = {
        "exact": number,
        "about": _("about %(number)s") % {"number": number},
        "up-to": _("up to %(number)s") % {"number": number},
        "up-to-about": _("up to about %(number)s") % {"number": number},
        "at-least": _("at least %(number)s") % {"number": number},
    }[qualifier]
    if kind == "initial":
        return _("initially %(figure)s") % {"figure": qualified}
    if kind == "planned":
        return _("planned: %(figure)s") % {"figure": qualified}
    # A ceiling is a limit, so an exact or approximate one reads as a limit.
    if kind == "ceiling" and qualifier == "exact":
        return _("at most %(number)s") % {"number": number}
    if kind == "ceiling" and qualifier == "about":
        return _("up to about %(number)s") % {"number": number}
    return qualified
