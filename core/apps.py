"""The bottom app: site-wide pieces every other app of ours may use; it imports none of them."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    # The profile is shown under this heading in the admin.
    verbose_name = _("Pressroom")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from core.caching import forget_versions
        from core.context_processors import forget_profile
        from core.models import PressroomProfile

        # A save in this process shows on its next request, as if no version were kept.
        post_save.connect(forget_versions, dispatch_uid="page-versions-save")
        post_delete.connect(forget_versions, dispatch_uid="page-versions-delete")
        post_save.connect(forget_profile, sender=PressroomProfile, dispatch_uid="kept-profile")

        from django.db.backends.signals import connection_created

        from core.prepared import plan_once

        connection_created.connect(plan_once, dispatch_uid="plan-prepared-statements-once")
