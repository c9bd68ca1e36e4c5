"""CSV for spreadsheet programs, safe to open there."""

import csv
import io

from rest_framework.renderers import BaseRenderer

# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value):
    """The cell's text, with a leading apostrophe when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class CSVRenderer(BaseRenderer):
    """Rows (a list of dicts) under the view's ``csv_columns``; an error as one ``detail`` cell."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        out = io.StringIO()
        # The byte-order mark makes spreadsheet programs read the file as UTF-8.
        out.write("\ufeff")
        if isinstance(data, list):
            columns = view.csv_columns
            rows = data
        else:
            columns = ["detail"]
            rows = [{"detail": (data or {}).get("detail", "")}]
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([neutralised(row.get(column)) for column in columns])
        return out.getvalue().encode(self.charset)
