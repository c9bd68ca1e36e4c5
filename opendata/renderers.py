"""CSV for spreadsheet programs, safe to open there (core.encoders neutralises formulas)."""

import io

from rest_framework.renderers import BaseRenderer

from core.encoders import CsvWriter


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
        writer = CsvWriter(out)
        writer.writerow(columns)
        writer.writerows([row.get(column, "") for column in columns] for row in rows)
        return out.getvalue().encode(self.charset)
