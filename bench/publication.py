"""Whether a release shows everywhere within the bound once it is public, page caches warm.

The bound is PAGE_VERSION_SECONDS: how long a web process serves a kept page before checking
the release version again (see the README's *Caching*)."""

import datetime
import secrets
import time

from bench.server import get


def check_publication(port):
    """Publish while the cache is warm, then a scheduled release's time passes; ask once the
    bound has passed."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.urls import reverse
    from django.utils import timezone, translation

    from pressroom import roles
    from releases.models import Release, ReleaseKind, Status

    roles.sync_role_permissions()
    User = get_user_model()
    editor, _made = User.objects.get_or_create(username="bench-editor", defaults={"is_staff": True})
    officer, _made = User.objects.get_or_create(
        username="bench-officer", defaults={"is_staff": True}
    )
    editor.groups.add(Group.objects.get(name=roles.EDITOR))
    officer.groups.add(Group.objects.get(name=roles.PRESS_OFFICER))

    pages = {}
    for language in ("en", "da"):
        with translation.override(language):
            pages[language] = [reverse("home"), reverse("releases:list")]
    checks = []

    def submitted(label):
        token = secrets.token_hex(4)
        return Release.objects.create(
            kind=ReleaseKind.NEWS,
            status=Status.SUBMITTED,
            submitted_by=officer,
            title_en=f"Benchmark {label} release {token}",
            slug_en=f"benchmark-{label}-{token}",
            lead_en="A release published while the page cache is warm.",
            title_da=f"Benchmark {label} nyhed {token}",
            slug_da=f"benchmark-{label}-{token}-da",
            lead_da="En nyhed offentliggjort, mens sidecachen er varm.",
            # Subscribers another benchmark left in this database are not to be mailed.
            notify_subscribers=False,
        )

    def warm_and_confirm_absent(release):
        for language, urls in pages.items():
            title = getattr(release, f"title_{language}")
            for path in urls:
                for _attempt in range(8):
                    status, body = get(port, path)
                    if status != 200 or title in body:
                        return False
        return True

    def shown_everywhere(release):
        outcomes = []
        for language, urls in pages.items():
            title = getattr(release, f"title_{language}")
            with translation.override(language):
                detail = release.get_absolute_url()
            for path in [*urls, detail]:
                for _attempt in range(4):  # more than one request, to reach both workers
                    status, body = get(port, path)
                    outcomes.append(status == 200 and title in body)
        return sum(outcomes), len(outcomes)

    release = submitted("published")
    absent = warm_and_confirm_absent(release)
    release.publish(by=editor)
    time.sleep(settings.PAGE_VERSION_SECONDS)
    shown, asked = shown_everywhere(release)
    checks.append(("published now (Release.publish)", absent, shown, asked))

    release = submitted("scheduled")
    at = timezone.now() + datetime.timedelta(seconds=4)
    release.publish(by=editor, at=at)
    absent = warm_and_confirm_absent(release)
    time.sleep(max(0.0, (at - timezone.now()).total_seconds()) + settings.PAGE_VERSION_SECONDS)
    shown, asked = shown_everywhere(release)
    checks.append(("scheduled, its time passed", absent, shown, asked))
    for label, was_absent, shown, asked in checks:
        print(f"  {label}: hidden before: {was_absent}; shown within the bound: {shown}/{asked}")
    return checks
