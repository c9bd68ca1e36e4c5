"""The release admin: editing, media, corrections, previews and the workflow's steps."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import TabbedTranslationAdmin
from core.one_language import OneLanguageStackedInline
from core.templatetags.core import shown_time
from releases import search
from releases.forms import (
    PressContactAdminForm,
    PublishForm,
    ReleaseAdminForm,
    TopicAdminForm,
    WithdrawForm,
)
from releases.media_admin import ReleaseDocumentInline, ReleaseImageInline
from releases.models import (
    PUBLIC_STATES,
    Correction,
    PressContact,
    PreviewLink,
    Quote,
    Release,
    ReleaseContact,
    ReleaseEvent,
    Status,
    Topic,
)


@admin.register(Topic)
class TopicAdmin(TabbedTranslationAdmin):
    form = TopicAdminForm
    list_display = ["name", "slug"]


@admin.register(PressContact)
class PressContactAdmin(TabbedTranslationAdmin):
    form = PressContactAdminForm
    list_display = ["name", "title", "organisation", "phone", "email", "is_duty_desk"]
    list_filter = ["is_duty_desk"]
    search_fields = ["name_en", "name_da", "organisation_en", "organisation_da", "email"]


class QuoteInline(OneLanguageStackedInline):
    model = Quote
    add_text = _("Add a quote")
    extra = 0


class ReleaseContactInline(admin.TabularInline):
    model = ReleaseContact
    add_text = _("Add a press contact")
    extra = 0
    autocomplete_fields = ["contact"]


class CorrectionInline(OneLanguageStackedInline):
    model = Correction
    add_text = _("Add a correction")
    extra = 0
    fields = ["text", "created_at", "notify_subscribers"]


# What the correction form sets, besides whether to notify: the text in each language.
CORRECTION_FIELDS = ["text_en", "text_da", "created_at"]


class PreviewLinkInline(admin.TabularInline):
    model = PreviewLink
    add_text = _("Add a preview link")
    extra = 0
    fields = ["note", "link", "expires_at", "revoked", "created_at"]
    readonly_fields = ["link", "created_at"]

    @admin.display(description=_("link"))
    def link(self, obj):
        if not obj.pk:
            return gettext("Save to create the link.")
        from django.conf import settings

        url = settings.SITE_URL + obj.get_absolute_url()
        return format_html('<a href="{}">{}</a>', url, url)


class EventInline(admin.TabularInline):
    model = ReleaseEvent
    extra = 0
    fields = ["action", "by", "at_local", "note"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("at"))
    def at_local(self, obj):
        return shown_time(obj.at)


@admin.register(Release)
class ReleaseAdmin(TabbedTranslationAdmin):
    form = ReleaseAdminForm
    change_form_template = "admin/releases/release/change_form.html"
    list_display = ["title", "kind", "status", "published_local", "languages_shown"]
    list_filter = ["status", "kind", "topics"]
    search_fields = ["title_en", "title_da", "lead_en", "lead_da"]
    date_hierarchy = "published_at"
    filter_horizontal = ["topics", "missions"]
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "lead", "body", "dateline"]}),
        (
            _("Press invitation"),
            {"fields": ["event_start", "event_end", "event_location"], "classes": ["collapse"]},
        ),
        (_("Topics and missions"), {"fields": ["topics", "missions"]}),
        (_("Status"), {"fields": ["status_shown", "published_local"]}),
    ]
    readonly_fields = ["status_shown", "published_local"]
    inlines = [
        QuoteInline,
        ReleaseContactInline,
        ReleaseImageInline,
        ReleaseDocumentInline,
        CorrectionInline,
        PreviewLinkInline,
        EventInline,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("submitted_by")

    def get_search_results(self, request, queryset, search_term):
        """The readers' search, over releases in every state, and people by name."""
        if not search_term.strip():
            return queryset, False
        return search.staff_matches(queryset, search_term), False

    def get_inlines(self, request, obj):
        inlines = list(self.inlines)
        if obj is None or obj.status not in PUBLIC_STATES:
            inlines.remove(CorrectionInline)
        if obj is None:
            inlines.remove(PreviewLinkInline)
            inlines.remove(EventInline)
        return inlines

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.published_at and obj.status in PUBLIC_STATES:
            # The address of a published release is permanent.
            fields += ["slug_en", "slug_da"]
        return fields

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if allowed and obj is not None and obj.status not in (Status.DRAFT, Status.SUBMITTED):
            return request.user.has_perm("releases.publish_release")
        return allowed

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.status in (Status.DRAFT, Status.SUBMITTED))

    @admin.display(description=_("status"))
    def status_shown(self, obj):
        text = obj.get_status_display()
        if obj.status == Status.SCHEDULED and obj.is_public():
            text = gettext("Published")
        return text

    @admin.display(description=_("publication time"), ordering="published_at")
    def published_local(self, obj):
        return shown_time(obj.published_at) or "–"

    @admin.display(description=_("languages"))
    def languages_shown(self, obj):
        return ", ".join(code.upper() for code in obj.languages())

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            ReleaseEvent.objects.create(
                release=obj, action=ReleaseEvent.Action.CREATED, by=request.user
            )

    def save_formset(self, request, form, formset, change):
        if formset.model not in (Correction, PreviewLink):
            # Image and document forms do their own processing in save().
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for instance in instances:
            if isinstance(instance, Correction) and instance.pk is None:
                # A new correction is added by the release, which records and announces it.
                instance.release.add_correction(
                    by=request.user,
                    notify=instance.notify_subscribers,
                    **{name: getattr(instance, name) for name in CORRECTION_FIELDS},
                )
                continue
            if instance.pk is None:
                instance.created_by = request.user
            instance.save()
        formset.save_m2m()

    # The workflow: one small view per transition, posted from the change form.

    # Transitions that need nothing but a POST: (model method, message on success).
    simple_transitions = {
        "submit": ("submit", _("Submitted for review. Another editor must publish it.")),
        "unpublish": ("unpublish", _("Unpublished. Its address now answers “gone”.")),
        "draft": ("return_to_draft", _("Returned to draft.")),
    }

    def get_urls(self):
        wrap = self.admin_site.admin_view
        simple = [
            path(
                f"<int:pk>/{name.replace('draft', 'to-draft')}/",
                wrap(self.transition_view),
                {"name": name},
                name=f"releases_release_{name}",
            )
            for name in self.simple_transitions
        ]
        return [
            *simple,
            path("<int:pk>/publish/", wrap(self.publish_view), name="releases_release_publish"),
            path("<int:pk>/withdraw/", wrap(self.withdraw_view), name="releases_release_withdraw"),
            *super().get_urls(),
        ]

    def _release(self, request, pk):
        release = get_object_or_404(Release, pk=pk)
        if not self.has_view_permission(request, release):
            raise PermissionDenied
        return release

    def _back(self, release):
        return redirect(reverse("admin:releases_release_change", args=[release.pk]))

    def _transition(self, request, release, action, success):
        try:
            action()
        except (ValidationError, PermissionDenied) as error:
            message = error.messages[0] if isinstance(error, ValidationError) else str(error)
            self.message_user(request, message, messages.ERROR)
        else:
            self.message_user(request, success, messages.SUCCESS)
        return self._back(release)

    def transition_view(self, request, pk, name):
        release = self._release(request, pk)
        if request.method != "POST":
            return self._back(release)
        method, message = self.simple_transitions[name]
        return self._transition(
            request, release, lambda: getattr(release, method)(by=request.user), message
        )

    def publish_view(self, request, pk):
        release = self._release(request, pk)
        form = PublishForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            at, notify = form.cleaned_data["at"], form.cleaned_data["notify"]
            if at:
                success = gettext("Scheduled: it goes live at %(time)s.") % {"time": shown_time(at)}
            else:
                success = gettext("Published.")
            return self._transition(
                request,
                release,
                lambda: release.publish(by=request.user, at=at, notify=notify),
                success,
            )
        return self._form_page(
            request,
            release,
            form,
            gettext("Publish"),
            gettext("Publish “%(title)s”") % {"title": release},
        )

    def withdraw_view(self, request, pk):
        release = self._release(request, pk)
        form = WithdrawForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            reasons = {"en": form.cleaned_data["reason_en"], "da": form.cleaned_data["reason_da"]}
            return self._transition(
                request,
                release,
                lambda: release.withdraw(by=request.user, reasons=reasons),
                gettext("Withdrawn. The page stays, with the notice and the reason."),
            )
        return self._form_page(
            request,
            release,
            form,
            gettext("Withdraw"),
            gettext("Withdraw “%(title)s”") % {"title": release},
        )

    def _form_page(self, request, release, form, step, title):
        return TemplateResponse(
            request,
            "admin/releases/release/transition_form.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "step": step,
                "release": release,
                "form": form,
                "opts": self.model._meta,
                "media": self.media + form.media,
            },
        )
