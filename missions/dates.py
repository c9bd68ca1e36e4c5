"""Dates known to the day, the month or only the year, shown no more exactly than known."""

from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _


class Precision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class PartialDate:
    def __init__(self, date, precision=Precision.DAY):
        self.date = date
        self.precision = precision

    def __bool__(self):
        return self.date is not None

    def __eq__(self, other):
        return isinstance(other, PartialDate) and (self.date, self.precision) == (
            other.date,
            other.precision,
        )

    def __hash__(self):
        return hash((self.date, self.precision))

    def __str__(self):
        """In the active language: “17 May 2022”, “May 2022” or “2022”."""
        if self.date is None:
            return ""
        if self.precision == Precision.YEAR:
            return str(self.date.year)
        if self.precision == Precision.MONTH:
            return formats.date_format(self.date, "YEAR_MONTH_FORMAT")
        return formats.date_format(self.date, "DATE_FORMAT")

    @property
    def iso(self):
        """ISO 8601 cut to the precision: 2022-05-17, 2022-05 or 2022 (for ``<time>``, exports)."""
        if self.date is None:
            return ""
        if self.precision == Precision.YEAR:
            return f"{self.date:%Y}"
        if self.precision == Precision.MONTH:
            return f"{self.date:%Y-%m}"
        return self.date.isoformat()


def partial_date(name):
    """A property ``name`` reading the fields ``<name>_on`` and ``<name>_precision`` as one.

    Every dated model follows this pattern: ``ended_on`` is the stored date (for queries,
    ordering and comparisons), ``ended_precision`` says how exactly it is known, and
    ``ended`` is the PartialDate that pages and exports show.
    """
    date, precision = f"{name}_on", f"{name}_precision"
    return property(lambda obj: PartialDate(getattr(obj, date), getattr(obj, precision)))
