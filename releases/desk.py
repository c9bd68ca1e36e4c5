"""The editorial desk's queue: what waits for whom, for the admin's front page and filters."""

from django.db.models import Q
from django.utils import timezone

from releases.models import Release, Status, Step

# What waits for review: a pending revision, or a release submitted before revisions were kept.
WAITING = Q(pending_revision__isnull=False) | Q(status=Status.SUBMITTED)
RECENT = 10
LIMIT = 20


def _releases():
    return Release.objects.select_related(
        "created_by", "submitted_by", "pending_revision", "approved_revision"
    )


def waiting_for(user):
    """The releases waiting for review that ``user`` may review, newest request first.

    May review, not may approve: a release that cannot be approved as it is (a title alone)
    still waits for this reviewer, who sees why on its review page and can send it back."""
    waiting = _releases().filter(WAITING).order_by("-submitted_at", "-pk")
    return [release for release in waiting if release.refusal(Step.SEND_BACK, user) is None]


def queue_for(user):
    """The sections of the desk ``user`` sees, each a list of releases (maybe empty)."""
    now = timezone.now()
    sections = {}
    mine = Q(created_by=user) | Q(submitted_by=user)
    if user.has_perm("releases.publish_release"):
        waiting = list(_releases().filter(WAITING).order_by("-submitted_at", "-pk"))
        for release in waiting:
            release.may_review = release.refusal(Step.SEND_BACK, user) is None
        sections["waiting"] = waiting
        sections["unreviewed"] = [
            release
            for release in _releases()
            .filter(approved_revision__approved_at__isnull=True)
            .filter(approved_revision__published_alone_by__isnull=False)
            .order_by("-published_at")
            if release.is_published_without_review()
        ]
        sections["scheduled"] = list(
            _releases()
            .filter(status=Status.SCHEDULED, published_at__gt=now)
            .order_by("published_at")[:LIMIT]
        )
        sections["recent"] = list(_releases().published().order_by("-published_at")[:RECENT])
    else:
        sections["mine_waiting"] = list(
            _releases().filter(mine).filter(WAITING).order_by("-submitted_at", "-pk")
        )
    sections["sent_back"] = list(
        _releases()
        .filter(mine, sent_back_at__isnull=False, pending_revision__isnull=True)
        .order_by("-sent_back_at")
    )
    sections["drafts"] = list(
        _releases()
        .filter(status=Status.DRAFT, created_by=user, sent_back_at__isnull=True)
        .order_by("-updated_at")[:LIMIT]
    )
    return sections
