"""The admin of embargoes: the journalists, their groups, the openings, and the grant page."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.templatetags.core import shown_time
from releases import tasks
from releases.forms import EmbargoGrantForm
from releases.models import EmbargoOpen, Journalist, JournalistGroup


@admin.register(JournalistGroup)
class JournalistGroupAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Journalist)
class JournalistAdmin(admin.ModelAdmin):
    list_display = ["name", "outlet", "email", "accredited_until", "language"]
    list_filter = ["groups", "language", "accredited_until"]
    search_fields = ["name", "outlet", "email"]
    filter_horizontal = ["groups"]


@admin.register(EmbargoOpen)
class EmbargoOpenAdmin(admin.ModelAdmin):
    """The access log: read by editors, written only by the journalists' openings."""

    list_display = ["opened", "journalist", "outlet", "release"]
    list_filter = ["link__journalist"]
    list_select_related = ["link__journalist", "link__release"]
    search_fields = ["link__journalist__name", "link__journalist__outlet", "link__release__title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("opened"), ordering="at")
    def opened(self, obj):
        return shown_time(obj.at)

    @admin.display(description=_("journalist"), ordering="link__journalist__name")
    def journalist(self, obj):
        return obj.link.journalist.name

    @admin.display(description=_("outlet"))
    def outlet(self, obj):
        return obj.link.journalist.outlet

    @admin.display(description=_("release"))
    def release(self, obj):
        return obj.link.release


class EmbargoAdminMixin:
    """The release's embargo page: give it early to journalists, see who opened it, revoke."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/embargo/", wrap(self.embargo_view), name="releases_release_embargo"),
            *super().get_urls(),
        ]

    def embargo_view(self, request, pk):
        release = self._release(request, pk)
        if not request.user.has_perm("releases.publish_release"):
            return self.refused(
                request, release, gettext("Only an editor can give releases under embargo.")
            )
        action = request.POST.get("action") if request.method == "POST" else None
        form = EmbargoGrantForm(request.POST if action == "grant" else None)
        if action == "grant" and form.is_valid():
            return self._grant(request, release, form.chosen())
        if action == "revoke":
            return self._revoke(request, release, request.POST.get("journalist"))
        if action == "revoke-all":
            count = release.revoke_embargo()
            self.message_user(
                request,
                ngettext(
                    "%(count)d embargo link revoked.", "%(count)d embargo links revoked.", count
                )
                % {"count": count},
                messages.SUCCESS,
            )
            return self._embargo_back(release)
        links = (
            release.preview_links.embargoed()
            .select_related("journalist")
            .annotate(open_count=Count("opens"), last_open=Max("opens__at"))
            .order_by("revoked", "journalist__name", "-created_at")
        )
        opens = EmbargoOpen.objects.filter(link__release=release).select_related("link__journalist")
        return self._page(
            request,
            "embargo.html",
            release,
            gettext("Embargo: “%(title)s”") % {"title": release},
            form=form,
            links=links,
            opens=opens,
            open=release.may_share_under_embargo(),
            step_label=gettext("Embargo"),
        )

    def _embargo_back(self, release):
        return redirect(reverse("admin:releases_release_embargo", args=[release.pk]))

    def _grant(self, request, release, journalists):
        try:
            with transaction.atomic():
                links = release.grant_embargo(journalists, by=request.user)
                ids = [link.pk for link in links]
                if ids:
                    transaction.on_commit(lambda: tasks.send_embargo_links.defer(link_ids=ids))
        except (ValidationError, PermissionDenied) as error:
            reason = error.messages[0] if isinstance(error, ValidationError) else str(error)
            self.message_user(request, reason, messages.ERROR)
        else:
            if not links:
                self.message_user(
                    request,
                    gettext("Nobody new: everyone chosen already holds a working link."),
                    messages.INFO,
                )
                return self._embargo_back(release)
            self.message_user(
                request,
                ngettext(
                    "Early access given to %(count)d journalist; the link is being emailed.",
                    "Early access given to %(count)d journalists; their links are being emailed.",
                    len(links),
                )
                % {"count": len(links)},
                messages.SUCCESS,
            )
        return self._embargo_back(release)

    def _revoke(self, request, release, journalist_id):
        journalist = None
        if journalist_id and journalist_id.isascii() and journalist_id.isdigit():
            journalist = Journalist.objects.filter(pk=journalist_id).first()
        if journalist is None or not release.revoke_embargo(journalist):
            self.message_user(request, gettext("No working link to revoke."), messages.WARNING)
        else:
            self.message_user(
                request,
                gettext("%(name)s's link is revoked; it shows nothing of the release now.")
                % {"name": journalist.name},
                messages.SUCCESS,
            )
        return self._embargo_back(release)
