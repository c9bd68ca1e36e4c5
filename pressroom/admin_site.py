from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from signin.sites import SecondFactorAdminSite


class PressroomAdminSite(SecondFactorAdminSite, admin.AdminSite):
    site_header = _("Pressroom administration")
    site_title = _("Pressroom")
    index_title = _("Releases, missions and subscribers")
