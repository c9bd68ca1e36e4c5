"""Text written into formats other programs read: iCalendar values and spreadsheet cells.

Whatever an editor or a reader typed is data there, never structure: a line break
cannot start a new iCalendar property, and a cell cannot become a spreadsheet formula.
"""

import csv
import re

# Everything a calendar program may take for the end of a line.
_ICAL_LINE_BREAK = re.compile("\r\n|[\n\r\v\f\x85\u2028\u2029]")
# Other control characters have no place in an iCalendar text value (RFC 5545,
# 3.3.11: TSAFE-CHAR excludes CONTROL); the tab is kept as the standard allows.
_ICAL_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")

# A spreadsheet reads a cell that starts with one of these as a formula (OWASP's
# "CSV injection"); the apostrophe makes it text, shown without the apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def ical_text(value):
    """``value`` as an iCalendar TEXT value: escaped, every line break as ``\\n``."""
    text = str(value or "")
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = _ICAL_LINE_BREAK.sub(lambda _match: "\\n", text)
    return _ICAL_CONTROL.sub("", text)


def spreadsheet_cell(value):
    """``value`` as a CSV cell no spreadsheet runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class CsvWriter:
    """``csv.writer`` whose cells pass through ``spreadsheet_cell``."""

    def __init__(self, out, **options):
        self._writer = csv.writer(out, **options)

    def writerow(self, row):
        return self._writer.writerow([spreadsheet_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


class CsvDictWriter(csv.DictWriter):
    """``csv.DictWriter`` whose cells pass through ``spreadsheet_cell``."""

    def writerow(self, rowdict):
        return super().writerow({key: spreadsheet_cell(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts):
        for rowdict in rowdicts:
            self.writerow(rowdict)
