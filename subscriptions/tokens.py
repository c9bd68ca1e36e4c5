"""Signed links in emails: no passwords, no sessions.

A token names the subscriber, what it is for, and the subscriber's current
key; a new key (after leaving and signing up again) makes every earlier link
void. Confirmation links expire after seven days; the links to manage one's
subscription and to unsubscribe do not, since they sit in every email.
"""

import datetime

from django.core import signing

from subscriptions.models import Subscriber

CONFIRM = "confirm"
MANAGE = "manage"
CONFIRM_MAX_AGE = datetime.timedelta(days=7)


class BadToken(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason  # "expired" or "invalid"


def make_token(subscriber, purpose):
    return signing.dumps([subscriber.pk, subscriber.key], salt=f"subscriptions.{purpose}")


def read_token(token, purpose):
    """The subscriber the token belongs to, or BadToken."""
    max_age = CONFIRM_MAX_AGE if purpose == CONFIRM else None
    try:
        pk, key = signing.loads(token, salt=f"subscriptions.{purpose}", max_age=max_age)
    except signing.SignatureExpired as error:
        raise BadToken("expired") from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise BadToken("invalid") from error
    subscriber = Subscriber.objects.filter(pk=pk, key=key).first()
    if subscriber is None:
        raise BadToken("invalid")
    return subscriber
