"""The release admin: editing, media, corrections, previews and the workflow's steps."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import TabbedTranslationAdmin
from core.one_language import OneLanguageStackedInline
from core.templatetags.core import shown_time
from releases import desk, search
from releases.desk_admin import DeskAdminMixin
from releases.embargo_admin import EmbargoAdminMixin
from releases.forms import (
    PressContactAdminForm,
    ReleaseAdminForm,
    TopicAdminForm,
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
    Step,
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


class PreviewLinkInline(admin.TabularInline):
    model = PreviewLink
    add_text = _("Add a preview link")
    extra = 0
    fields = ["note", "link", "expires_at", "revoked", "created_at"]
    readonly_fields = ["link", "created_at"]

    def get_queryset(self, request):
        # Journalists' embargo links are kept on the release's embargo page.
        return super().get_queryset(request).plain()

    @admin.display(description=_("link"))
    def link(self, obj):
        if not obj.pk:
            return gettext("Save to create the link.")
        from django.conf import settings

        url = settings.SITE_URL + obj.get_absolute_url()
        return format_html('<a href="{}">{}</a>', url, url)


class WaitingForMyReview(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("mine", _("Waiting for my review")), ("all", _("Waiting for review"))]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.filter(pk__in=[r.pk for r in desk.waiting_for(request.user)])
        if self.value() == "all":
            return queryset.filter(desk.WAITING)
        return queryset


@admin.register(Release)
class ReleaseAdmin(EmbargoAdminMixin, DeskAdminMixin, TabbedTranslationAdmin):
    form = ReleaseAdminForm
    change_form_template = "admin/releases/release/change_form.html"
    list_display = [
        "title",
        "kind",
        "status_listed",
        "author",
        "submitted_by",
        "last_changed",
        "published_local",
        "languages_shown",
    ]
    list_filter = [WaitingForMyReview, "status", "kind", "topics"]
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
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("created_by", "submitted_by", "approved_revision")
        )

    def get_search_results(self, request, queryset, search_term):
        """The readers' search, over releases in every state, and people by name."""
        if not search_term.strip():
            return queryset, False
        return search.staff_matches(queryset, search_term), False

    def get_inlines(self, request, obj):
        inlines = list(self.inlines)
        # A form opened before the release went public has no corrections: it is
        # saved without them rather than refused.
        opened_before = request.method == "POST" and "corrections-TOTAL_FORMS" not in request.POST
        if obj is None or obj.status not in PUBLIC_STATES or opened_before:
            inlines.remove(CorrectionInline)
        if obj is None:
            inlines.remove(PreviewLinkInline)
        return inlines

    def get_actions(self, request):
        # No bulk step: each release is deleted, submitted or published on its own page,
        # where the release itself decides who may.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.published_at and obj.status in PUBLIC_STATES:
            # The address of a published release is permanent.
            fields += ["slug_en", "slug_da"]
        return fields

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.refusal(Step.DELETE, request.user) is None)

    @admin.display(description=_("status"))
    def status_shown(self, obj):
        text = obj.get_status_display()
        if obj.status == Status.SCHEDULED and obj.is_public():
            text = gettext("Published")
        return text

    @admin.display(description=_("status"), ordering="status")
    def status_listed(self, obj):
        notes = []
        if obj.pending_revision_id and obj.status != Status.SUBMITTED:
            notes.append(gettext("a change waits for review"))
        if obj.sent_back_at and not obj.pending_revision_id:
            notes.append(gettext("sent back"))
        if obj.is_published_without_review():
            notes.append(gettext("published without review"))
        text = self.status_shown(obj)
        return f"{text} ({', '.join(notes)})" if notes else text

    @admin.display(description=_("author"), ordering="created_by__username")
    def author(self, obj):
        return obj.created_by or "–"

    @admin.display(description=_("last changed"), ordering="updated_at")
    def last_changed(self, obj):
        return shown_time(obj.updated_at)

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
        # A correction is part of the reviewed text: it is recorded and announced when
        # an editor approves the revision that adds it (Release.publish).
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for instance in instances:
            if instance.pk is None:
                instance.created_by = request.user
            instance.save()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        request.release_revision = form.instance.record_edit(by=request.user)

    # Editing a public or scheduled release. Its row holds the approved text, which
    # the public reads; the form shows and saves the newest revision instead. Both
    # happen in one transaction: the newest text is put in the row for the form, the
    # save is kept as a revision, and the row gets the approved text back before
    # anyone else can see it (a form that is only shown is rolled back entirely).

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        release = self.get_object(request, unquote(object_id)) if object_id else None
        if release is None or not self.has_view_permission(request, release):
            return super().changeform_view(request, object_id, form_url, extra_context)
        # Kept for good, outside the transaction that a form only shown rolls back: the
        # form's row version (core/locking.py) must find the same revisions on save.
        release.keep_baseline(request.user)
        with transaction.atomic():
            extra_context = {**(extra_context or {}), **self._desk_context(request, release)}
            release.stage_newest(request.user)
            response = super().changeform_view(request, object_id, form_url, extra_context)
            saved = request.method == "POST" and response.status_code == 302
            if not saved:
                if hasattr(response, "render"):
                    response.render()
                transaction.set_rollback(True)
        return response

    def _desk_context(self, request, release):
        sent_back = None
        if release.sent_back_at:
            sent_back = (
                release.events.filter(action=ReleaseEvent.Action.SENT_BACK)
                .select_related("by")
                .last()
            )
        return {
            "allowed": release.allowed_actions(request.user),
            "approve_refusal": release.refusal(Step.APPROVE, request.user),
            "sent_back_event": sent_back,
            "flagged": release.is_published_without_review(),
            "latest_revision": release.latest_revision(),
        }

    def response_change(self, request, obj):
        revision = getattr(request, "release_revision", None)
        if revision is not None and obj.status in PUBLIC_STATES:
            if obj.pending_revision_id == revision.pk:
                self.message_user(
                    request,
                    gettext(
                        "Your change is kept as revision %(number)s and waits for another "
                        "editor's review. Readers see the approved text until then."
                    )
                    % {"number": revision.number},
                    messages.WARNING,
                )
            else:
                self.message_user(
                    request,
                    gettext("The text is the approved one again; nothing waits for review."),
                    messages.INFO,
                )
        step = request.POST.get("_step")
        if step in self.STEPS_WITH_THE_FORM:
            # The step's button belongs to the change form: what the person typed is
            # saved first (above), then the step is taken on the saved release.
            self.message_user(request, gettext("Your changes are saved."), messages.SUCCESS)
            return self.STEPS_WITH_THE_FORM[step](self, request, obj)
        return super().response_change(request, obj)
