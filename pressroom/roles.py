"""The two editorial roles and the permissions each holds.

The groups themselves are created by a data migration; their permissions are
brought in step with this table after every ``migrate``, so that a model added
later is covered without another data migration.
"""

from django.utils.translation import gettext_lazy as _

PRESS_OFFICER = "Press officer"
EDITOR = "Editor"

# Per model: the actions each role may take. "publish" is a custom permission.
_WRITE = ("add", "change", "view")
ROLE_PERMISSIONS = {
    PRESS_OFFICER: {
        # Delete: their own drafts only, which Release.refusal decides.
        "releases.release": (*_WRITE, "delete"),
        "releases.releaseimage": (*_WRITE, "delete"),
        "releases.releasedocument": (*_WRITE, "delete"),
        "releases.quote": (*_WRITE, "delete"),
        "releases.releasecontact": (*_WRITE, "delete"),
        "releases.correction": ("view",),
        "releases.topic": ("view",),
        "core.licence": ("view",),
        "releases.presscontact": ("view",),
        "missions.mission": ("view",),
        "missions.organisation": ("view",),
    },
    EDITOR: {
        "releases.release": (*_WRITE, "delete", "publish"),
        "releases.releaseimage": (*_WRITE, "delete"),
        "releases.releasedocument": (*_WRITE, "delete"),
        "releases.quote": (*_WRITE, "delete"),
        "releases.releasecontact": (*_WRITE, "delete"),
        "releases.correction": (*_WRITE, "delete"),
        "releases.topic": (*_WRITE, "delete"),
        "core.licence": (*_WRITE, "delete"),
        "releases.presscontact": (*_WRITE, "delete"),
        "releases.previewlink": (*_WRITE, "delete"),
        "releases.journalist": (*_WRITE, "delete"),
        "releases.journalistgroup": (*_WRITE, "delete"),
        # Who opened an embargo link, and when: read-only.
        "releases.embargoopen": ("view",),
        "missions.*": (*_WRITE, "delete"),
        "core.pressroomprofile": ("change", "view"),
        # Counts only; reading or exporting addresses needs subscriber permissions,
        # which no role holds by default.
        "subscriptions.deliveryreport": ("view",),
        # The log of failed sign-ins, read-only.
        "signin.signinfailure": ("view",),
    },
}

ROLE_LABELS = {PRESS_OFFICER: _("Press officer"), EDITOR: _("Editor")}


def sync_role_permissions(sender=None, using="default", **kwargs):
    """Give each role exactly the permissions listed above that exist."""
    from django.contrib.auth.models import Group, Permission

    if sender is not None and not _last_post_migrate(sender, using):
        return
    for role, grants in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        wanted = Permission.objects.none()
        for model, actions in grants.items():
            app_label, model_name = model.split(".")
            perms = Permission.objects.using(using).filter(content_type__app_label=app_label)
            if model_name != "*":
                perms = perms.filter(content_type__model=model_name)
            codenames = [
                f"{action}_{perms_model}"
                for action in actions
                for perms_model in _model_names(perms, model_name)
            ]
            wanted = wanted | perms.filter(codename__in=codenames)
        group.permissions.set(wanted.distinct())


def _model_names(perms, model_name):
    if model_name != "*":
        return [model_name]
    return set(perms.values_list("content_type__model", flat=True))


def _last_post_migrate(sender, using):
    """Whether ``sender`` is the last app post_migrate comes for; its permissions made first.

    Django sends post_migrate once per app and creates each app's permissions in a
    receiver that runs after this one, so earlier the last app's permissions would be
    missing: after a fresh migrate, editors would lack the delivery report.
    """
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    last = [config for config in apps.get_app_configs() if config.models_module][-1]
    if sender is not last:
        return False
    create_permissions(last, verbosity=0, using=using)
    return True
