"""The admin site's titles, and change lists that answer any refused filter as a bad filter.

It also answers the autosave of forms (core/autosave.py). The project adds staff sign-in to
it (pressroom/admin_site.py).
"""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG
from django.db import DataError
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _


class PressroomAdminSite(admin.AdminSite):
    site_header = _("Pressroom administration")
    site_title = _("Pressroom")
    index_title = _("Releases, missions and subscribers")

    def get_urls(self):
        from core import autosave  # its models are not loaded when the site class is

        return [
            path("autosave/", self.admin_view(autosave.view), name="autosave"),
            *super().get_urls(),
        ]

    def admin_view(self, view, cacheable=False):
        """Every admin view; a filter value the database or the calendar refuses is a bad filter.

        Django's change lists answer a bad filter by starting again with ``?e=1``,
        but not every one: a value outside an enum type (the task queue's job
        status) or a year past 9999 in the date drill-down fails in the database
        or in Python. Those get the same answer instead of a server error.
        """
        protected = super().admin_view(view, cacheable)

        @wraps(protected)
        def guarded(request, *args, **kwargs):
            try:
                return protected(request, *args, **kwargs)
            except (DataError, OverflowError, ValueError):
                if request.method != "GET" or not request.GET or ERROR_FLAG in request.GET:
                    raise
                return redirect(f"{request.path}?{ERROR_FLAG}=1")

        return guarded
