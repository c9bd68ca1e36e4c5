from procrastinate.contrib.django import app

from verification import versions


@app.periodic(cron="* * * * *", periodic_id="verification-sign-releases")
@app.task(name="verification.sign_releases", queue="publishing", queueing_lock="sign-releases")
def sign_releases(timestamp):
    """A safety net: sign every public release changed since its last signed version."""
    versions.sign_outstanding()
