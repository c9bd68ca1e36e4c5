"""The admin site's titles; the project adds staff sign-in to it (pressroom/admin_site.py)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class PressroomAdminSite(admin.AdminSite):
    site_header = _("Pressroom administration")
    site_title = _("Pressroom")
    index_title = _("Releases, missions and subscribers")
