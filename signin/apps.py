from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigninConfig(AppConfig):
    name = "signin"
    verbose_name = _("Staff sign-in")

    def ready(self):
        from signin import audit  # noqa: F401  (connects the failed sign-in log)
