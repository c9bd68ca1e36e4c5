"""The bottom app: site-wide pieces every other app of ours may use; it imports none of them."""

from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    # The profile is shown under this heading in the admin.
    verbose_name = _("Pressroom")

    def ready(self):
        from core import logins  # noqa: F401  (counts failed logins)


class CoreAdminConfig(AdminConfig):
    default_site = "core.admin_site.PressroomAdminSite"
