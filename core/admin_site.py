"""The admin site, whose login form refuses attempts past the failed-login limit."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.logins import login_blocked


class PressroomAdminSite(admin.AdminSite):
    site_header = _("Pressroom administration")
    site_title = _("Pressroom")
    index_title = _("Releases, missions and subscribers")

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
