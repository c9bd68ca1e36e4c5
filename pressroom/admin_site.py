from functools import wraps

from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG
from django.db import DataError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from pressroom.security import login_blocked


class PressroomAdminSite(admin.AdminSite):
    site_header = _("Pressroom administration")
    site_title = _("Pressroom")
    index_title = _("Releases, missions and subscribers")

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

    def login(self, request, extra_context=None):
        if request.method == "POST" and login_blocked(request, request.POST.get("username")):
            from django.contrib.auth.forms import AuthenticationForm
            from django.template.response import TemplateResponse

            form = AuthenticationForm(request, data=None)
            context = {
                **self.each_context(request),
                "title": _("Log in"),
                "form": form,
                "throttled": True,
                "site_header": self.site_header,
                "username": request.POST.get("username", ""),
            }
            response = TemplateResponse(request, "admin/login.html", context, status=429)
            return response
        return super().login(request, extra_context)
