"""The admin site's titles; the project adds staff sign-in to it (pressroom/admin_site.py)."""

from django.contrib import admin
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
