import base64

from django.conf import settings
from django.http import Http404, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from core import throttle
from releases.models import Release
from verification import keys, versions
from verification.forms import VerifyForm
from verification.models import SignedVersion

# Checks a client may ask for within a minute: each looks through every signed text.
CHECKS_PER_MINUTE = 30


@require_GET
def public_key(request):
    """The keys signed releases can be checked with, each in three common forms.

    The first is the key in use; retired ones (RELEASE_SIGNING_RETIRED_KEYS) still
    check the documents signed before the key was changed.
    """
    current = keys.public_key()
    listed = [(current, False)] + [(key, True) for key in keys.retired_keys()]
    return JsonResponse(
        {
            "publisher": settings.SITE_URL,
            "keys": [
                {
                    "key_id": keys.key_id(key),
                    "algorithm": keys.ALGORITHM,
                    "retired": retired,
                    "public_key": keys.public_key_base64(key),
                    "public_key_pem": keys.pem(key),
                    # As a JSON Web Key (RFC 8037).
                    "jwk": {
                        "kty": "OKP",
                        "crv": "Ed25519",
                        "x": _base64url(keys.public_bytes(key)),
                        "kid": keys.key_id(key),
                    },
                }
                for key, retired in listed
            ],
        },
        json_dumps_params={"indent": 1},
    )


def _base64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@require_GET
def signed_document(request, pk, language, number=None):
    """A public release's signed document in ``language``: the current version, or one by number."""
    release = Release.objects.published().filter(pk=pk).first()
    if release is None or language not in release.languages():
        raise Http404
    if number is None:
        version = versions.current_version(release, language)
    else:
        version = SignedVersion.objects.filter(
            release=release, language=language, number=number
        ).first()
    if version is None:
        raise Http404
    response = JsonResponse(versions.document(version), json_dumps_params={"indent": 1})
    response["Content-Disposition"] = (
        f'inline; filename="release-{release.pk}-{language}-v{version.number}.json"'
    )
    return response


@csrf_exempt  # a check changes nothing and shows its answer only to whoever asked
@require_http_methods(["GET", "POST"])
def verify(request):
    verdict = None
    status = 200
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if throttle.record("verify", throttle.client_address(request), 60) > CHECKS_PER_MINUTE:
            form.add_error(None, _("Too many checks from your address. Try again in a minute."))
            status = 429
        elif form.is_valid():
            text = form.cleaned_data["document"] or form.cleaned_data["text"]
            if versions.looks_like_document(text):
                verdict = versions.check_document(text)
            else:
                verdict = versions.check_text(text)
    else:
        form = VerifyForm()
    return TemplateResponse(
        request,
        "verification/verify.html",
        {"form": form, "verdict": verdict, "key_id": keys.key_id()},
        status=status,
    )
