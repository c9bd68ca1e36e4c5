"""The editorial desk in the release admin: review, history, revisions and workflow steps.

Every view asks the release which steps the person may take (``allowed_actions``,
``refusal``) and calls the release's own methods, which enforce the same rule; a
refusal is shown in the admin's layout with the reason, and the form keeps what was
typed.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.templatetags.core import shown_time
from releases import revisions
from releases.forms import (
    ApproveForm,
    PublishAloneForm,
    PublishForm,
    SendBackForm,
    UnpublishForm,
    WithdrawForm,
)
from releases.models import PUBLIC_STATES, Release, ReleaseEvent, ReleaseRevision, Status, Step


def _reason(error):
    return error.messages[0] if isinstance(error, ValidationError) else str(error)


class DeskAdminMixin:
    """The desk's pages and steps, added to the release's ModelAdmin."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/review/", wrap(self.review_view), name="releases_release_review"),
            # The address the publish button had before review pages; it reviews too.
            path("<int:pk>/publish/", wrap(self.review_view), name="releases_release_publish"),
            path("<int:pk>/submit/", wrap(self.submit_view), name="releases_release_submit"),
            path("<int:pk>/to-draft/", wrap(self.draft_view), name="releases_release_draft"),
            path(
                "<int:pk>/reschedule/",
                wrap(self.reschedule_view),
                name="releases_release_reschedule",
            ),
            path("<int:pk>/withdraw/", wrap(self.withdraw_view), name="releases_release_withdraw"),
            path(
                "<int:pk>/unpublish/", wrap(self.unpublish_view), name="releases_release_unpublish"
            ),
            path(
                "<int:pk>/revisions/<int:number>/",
                wrap(self.revision_view),
                name="releases_release_revision",
            ),
            path(
                "<int:pk>/revisions/<int:number>/restore/",
                wrap(self.restore_view),
                name="releases_release_restore",
            ),
            *super().get_urls(),
        ]

    # Helpers

    def _release(self, request, pk):
        # The history address is the admin's own, whose object id is any text.
        if not (str(pk).isascii() and str(pk).isdigit() and len(str(pk)) <= 18):
            raise Http404
        release = get_object_or_404(
            Release.objects.select_related(
                "approved_revision", "pending_revision", "submitted_by", "created_by"
            ),
            pk=pk,
        )
        if not self.has_view_permission(request, release):
            raise PermissionDenied
        return release

    def _back(self, release):
        return redirect(reverse("admin:releases_release_change", args=[release.pk]))

    def _page(self, request, template, release, title, status=200, **context):
        return TemplateResponse(
            request,
            f"admin/releases/release/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                "release": release,
                "allowed": release.allowed_actions(request.user),
                **context,
            },
            status=status,
        )

    def refused(self, request, release, reason):
        """A refusal in the admin's layout, saying why, with the ways on."""
        return self._page(
            request,
            "refused.html",
            release,
            gettext("Not possible: “%(title)s”") % {"title": release},
            status=403,
            reason=reason,
        )

    def _step(self, request, release, action, success):
        """Run one step; on success go back to the release with ``success``."""
        try:
            action()
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, _reason(error), messages.ERROR)
        else:
            self.message_user(request, success, messages.SUCCESS)
        return self._back(release)

    # Simple steps posted from the change form

    def submit_view(self, request, pk):
        release = self._release(request, pk)
        if request.method != "POST":
            return self._back(release)
        return self._submit(request, release)

    def draft_view(self, request, pk):
        release = self._release(request, pk)
        if request.method != "POST":
            return self._back(release)
        return self._to_draft(request, release)

    def _submit(self, request, release):
        return self._step(
            request,
            release,
            lambda: release.submit(by=request.user),
            gettext("Submitted for review. Another editor must approve it."),
        )

    def _to_draft(self, request, release):
        return self._step(
            request,
            release,
            lambda: release.return_to_draft(by=request.user),
            gettext("Returned to draft."),
        )

    # The simple steps' buttons send the change form with them (``response_change``), so
    # that nothing typed is left behind when a step is taken.
    STEPS_WITH_THE_FORM = {"submit": _submit, "return-to-draft": _to_draft}

    # Steps with a form of their own: the form page, kept filled on refusal

    def _form_step(self, request, release, step, form, title, run, success, **context):
        reason = release.refusal(step, request.user)
        if request.method == "POST" and reason is None and form.is_valid():
            try:
                run(form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                reason = _reason(error)
            else:
                self.message_user(request, success(form.cleaned_data), messages.SUCCESS)
                return self._back(release)
        return self._page(
            request,
            "step_form.html",
            release,
            title,
            status=403 if reason else 200,
            form=form,
            reason=reason,
            media=self.media + form.media,
            **context,
        )

    def reschedule_view(self, request, pk):
        release = self._release(request, pk)
        form = PublishForm(request.POST or None, initial={"when": "at"})
        return self._form_step(
            request,
            release,
            Step.RESCHEDULE,
            form,
            gettext("Reschedule “%(title)s”") % {"title": release},
            lambda data: release.reschedule(by=request.user, at=data["at"]),
            lambda data: (
                gettext("Scheduled: it goes live at %(time)s.") % {"time": shown_time(data["at"])}
                if data["at"]
                else gettext("Published.")
            ),
            step_label=gettext("Reschedule"),
            button=gettext("Reschedule"),
        )

    def withdraw_view(self, request, pk):
        release = self._release(request, pk)
        form = WithdrawForm(request.POST or None)
        return self._form_step(
            request,
            release,
            Step.WITHDRAW,
            form,
            gettext("Withdraw “%(title)s”") % {"title": release},
            lambda data: release.withdraw(
                by=request.user, reasons={"en": data["reason_en"], "da": data["reason_da"]}
            ),
            lambda data: gettext("Withdrawn. The page stays, with the notice and the reason."),
            step_label=gettext("Withdraw"),
            button=gettext("Withdraw the release"),
            explanation=gettext(
                "The page stays at its address with a notice that the release has been "
                "withdrawn, and the reason you give here."
            ),
        )

    def unpublish_view(self, request, pk):
        release = self._release(request, pk)
        form = UnpublishForm(request.POST or None)
        if release.was_public():
            explanation = gettext(
                "The release disappears from the site, lists, search and feeds; its address "
                "answers that the release has been removed. The reason is kept in the history."
            )
        else:
            explanation = gettext(
                "The release has never been public: it becomes a draft again, and its "
                "address answers “not found”. The reason is kept in the history."
            )
        return self._form_step(
            request,
            release,
            Step.UNPUBLISH,
            form,
            gettext("Unpublish “%(title)s”") % {"title": release},
            lambda data: release.unpublish(by=request.user, reason=data["reason"]),
            lambda data: (
                gettext("Unpublished. Its address now answers “gone”.")
                if release.status == Status.UNPUBLISHED
                else gettext("It was never public, so it is a draft again.")
            ),
            step_label=gettext("Unpublish"),
            button=gettext("Unpublish the release"),
            explanation=explanation,
        )

    # Review

    def review_view(self, request, pk):
        release = self._release(request, pk)
        user = request.user
        release.keep_baseline(user)
        pending = release.pending_revision
        flagged = release.is_published_without_review()
        under_review = pending or (release.approved_revision if flagged else None)
        base = release.last_reviewed_revision(before=under_review) if under_review else None
        forms = {
            "approve": ApproveForm(choices=self._when_choices(release), prefix="approve"),
            "send_back": SendBackForm(prefix="send-back"),
            "publish_alone": PublishAloneForm(prefix="publish-alone"),
        }
        reason, status = None, 200
        if request.method == "POST":
            action = request.POST.get("action", "approve")
            outcome = self._review_step(request, release, action, forms)
            if not isinstance(outcome, tuple):
                return outcome
            reason, status = outcome
            pending = release.pending_revision
            flagged = release.is_published_without_review()
            under_review = pending or (release.approved_revision if flagged else None)
            base = release.last_reviewed_revision(before=under_review) if under_review else None
        allowed = release.allowed_actions(user)
        authors = release.authors(under_review) if under_review else set()
        returned = self._sent_back_revision(release, under_review, base)
        return self._page(
            request,
            "review.html",
            release,
            gettext("Review “%(title)s”") % {"title": release},
            status=status,
            reason=reason,
            revision=under_review,
            base=base,
            changes=revisions.compare(base.content if base else None, under_review.content)
            if under_review
            else [],
            flagged=flagged,
            returned=returned,
            changes_since_returned=revisions.compare(returned.content, under_review.content)
            if returned
            else None,
            forms=forms,
            authors=authors,
            authors_users=get_user_model().objects.filter(pk__in=authors).order_by("username"),
            can={step.replace("-", "_"): step in allowed for step in Step.ALL},
            refusals={
                step.replace("-", "_"): release.refusal(step, user)
                for step in (Step.APPROVE, Step.SEND_BACK, Step.APPROVE_AFTERWARDS)
            },
            media=self.media + forms["approve"].media,
        )

    def _sent_back_revision(self, release, under_review, base):
        """The revision sent back since the last approval, whose fixes the reviewer wants to see."""
        if under_review is None:
            return None
        event = (
            release.events.filter(
                action=ReleaseEvent.Action.SENT_BACK,
                revision__number__lt=under_review.number,
                revision__number__gt=base.number if base else 0,
            )
            .select_related("revision")
            .last()
        )
        return event.revision if event else None

    def _when_choices(self, release):
        if release.status == Status.SUBMITTED:
            return [("now", _("Approve and publish now")), ("at", _("Approve and schedule"))]
        if release.status == Status.SCHEDULED and not release.is_public():
            return [
                (
                    "keep",
                    gettext("Approve: it goes live at %(time)s as planned")
                    % {"time": shown_time(release.published_at)},
                ),
                ("now", _("Approve and publish now")),
                ("at", _("Approve and schedule for another time")),
            ]
        return [("keep", _("Approve and publish the change"))]

    def _review_step(self, request, release, action, forms):
        """Take the reviewer's step: a response on success, else (why not, HTTP status)."""
        revision = None
        if "revision" in request.POST:
            revision = ReleaseRevision.objects.filter(
                release=release, number=request.POST["revision"]
            ).first()
        if action == "approve":
            form = forms["approve"] = ApproveForm(
                request.POST, choices=self._when_choices(release), prefix="approve"
            )
            if revision is None:
                return gettext("Say which revision you approve: open the review page again."), 400
            if not form.is_valid():
                return gettext("Check the time of publication below."), 200

            def run():
                release.publish(
                    by=request.user,
                    at=form.publication_time(),
                    notify=form.cleaned_data["notify"],
                    revision=revision,
                )

            def success():
                if release.status == Status.SCHEDULED and not release.is_public():
                    return gettext("Approved. It goes live at %(time)s.") % {
                        "time": shown_time(release.published_at)
                    }
                return gettext("Approved and public.")

        elif action == "send-back":
            form = forms["send_back"] = SendBackForm(request.POST, prefix="send-back")
            if not form.is_valid():
                return gettext("Write what should change; the author reads it."), 200

            def run():
                release.send_back(
                    by=request.user, comment=form.cleaned_data["comment"], revision=revision
                )

            def success():
                return gettext("Sent back with your comment; the author is told by email.")

        elif action == "publish-alone":
            form = forms["publish_alone"] = PublishAloneForm(request.POST, prefix="publish-alone")
            if not form.is_valid():
                return gettext("Write why this cannot wait for a second editor."), 200

            def run():
                if revision is None or revision.pk != release.pending_revision_id:
                    raise ValidationError(
                        gettext("The text changed while you were reviewing it; look again.")
                    )
                release.publish_alone(by=request.user, reason=form.cleaned_data["reason"])

            def success():
                return gettext(
                    "Published without review. Every editor has been told; another editor "
                    "must approve it afterwards."
                )

        elif action == "approve-afterwards":

            def run():
                release.approve_afterwards(by=request.user)

            def success():
                return gettext("Approved after publication. The release is reviewed now.")

        else:
            return gettext("Unknown step."), 400
        try:
            with transaction.atomic():
                run()
        except (ValidationError, PermissionDenied) as error:
            release.refresh_from_db()
            return _reason(error), 403 if isinstance(error, PermissionDenied) else 409
        self.message_user(request, success(), messages.SUCCESS)
        return self._back(release)

    # History and revisions

    def history_view(self, request, object_id, extra_context=None):
        release = self._release(request, object_id)
        entries = [
            {"at": event.at, "event": event}
            for event in release.events.select_related("by", "revision")
        ] + [
            {"at": revision.created_at, "revision": revision}
            for revision in release.revisions.select_related(
                "created_by", "approved_by", "published_alone_by"
            )
        ]
        entries.sort(key=lambda entry: entry["at"], reverse=True)
        return self._page(
            request,
            "history.html",
            release,
            gettext("History of “%(title)s”") % {"title": release},
            entries=entries,
            latest=release.latest_revision(),
        )

    def revision_view(self, request, pk, number):
        release = self._release(request, pk)
        revision = get_object_or_404(
            ReleaseRevision.objects.select_related("created_by", "approved_by"),
            release=release,
            number=number,
        )
        numbers = list(release.revisions.values_list("number", flat=True))
        other = None
        compare_to = request.GET.get("compare")
        if compare_to and compare_to.isdigit():
            other = release.revisions.filter(number=int(compare_to)).first()
        elif compare_to is None and revision.number > 1:
            other = release.revisions.filter(number__lt=revision.number).order_by("-number").first()
        older, newer = sorted([other, revision], key=lambda r: r.number) if other else (None, None)
        return self._page(
            request,
            "revision.html",
            release,
            gettext("Revision %(number)s of “%(title)s”")
            % {"number": revision.number, "title": release},
            revision=revision,
            rows=revisions.describe(revision.content),
            numbers=numbers,
            other=other,
            older=older,
            newer=newer,
            changes=revisions.compare(older.content, newer.content) if other else None,
            is_latest=revision.number == numbers[-1],
            is_public=release.status in PUBLIC_STATES
            and revision.pk == release.approved_revision_id,
        )

    def restore_view(self, request, pk, number):
        release = self._release(request, pk)
        revision = get_object_or_404(ReleaseRevision, release=release, number=number)
        if request.method != "POST":
            return redirect(
                reverse("admin:releases_release_revision", args=[release.pk, revision.number])
            )
        reason = release.refusal(Step.RESTORE, request.user)
        if reason:
            return self.refused(request, release, reason)
        new = release.restore(revision, by=request.user)
        if new is None:
            self.message_user(
                request,
                gettext("Revision %(number)s is the newest text already; nothing to restore.")
                % {"number": revision.number},
                messages.INFO,
            )
        elif release.pending_revision_id == new.pk and release.status != Status.SUBMITTED:
            self.message_user(
                request,
                gettext(
                    "Revision %(old)s restored as revision %(new)s. It waits for another "
                    "editor's review; readers see the approved text until then."
                )
                % {"old": revision.number, "new": new.number},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                gettext("Revision %(old)s restored as revision %(new)s.")
                % {"old": revision.number, "new": new.number},
                messages.SUCCESS,
            )
        return self._back(release)

    # Deleting: the release decides, and says why not

    def delete_view(self, request, object_id, extra_context=None):
        release = self.get_object(request, unquote(object_id))
        if release is not None and self.has_view_permission(request, release):
            reason = release.refusal(Step.DELETE, request.user)
            if reason:
                return self.refused(request, release, reason)
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        obj.delete_by(request.user)
