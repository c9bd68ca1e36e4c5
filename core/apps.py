"""The bottom app: site-wide pieces every other app of ours may use; it imports none of them."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    # The profile is shown under this heading in the admin.
    verbose_name = _("Pressroom")
