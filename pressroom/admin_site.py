"""The admin site as the project runs it: core's site, opened only with the second factor."""

from core.admin_site import PressroomAdminSite
from signin.sites import SecondFactorAdminSite


class AdminSite(SecondFactorAdminSite, PressroomAdminSite):
    pass
