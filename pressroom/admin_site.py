"""The admin site as the project runs it: core's site, opened only with the second factor."""

from core.admin_site import PressroomAdminSite
from pressroom.tasks import worker_health
from signin.sites import SecondFactorAdminSite


class AdminSite(SecondFactorAdminSite, PressroomAdminSite):
    def index(self, request, extra_context=None):
        """The index, with the task workers' health: without them nothing goes out."""
        alive, age = worker_health()
        workers = {"alive": alive, "age": None if age is None else round(age)}
        return super().index(request, {**(extra_context or {}), "workers": workers})
