"""Refuse, with 400, requests that carry a null character anywhere: no page can use one."""

from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils import translation

# PostgreSQL refuses the null character in text, so a lookup with one fails deep
# in a view with a server error. No address, query or form field has a use for
# it. (Other control characters are kept as typed, and escaped where a format
# needs it.)
NULL = "\x00"


def _texts(query_dict):
    for key, values in query_dict.lists():
        yield key
        yield from (value for value in values if isinstance(value, str))


class RefuseNullCharacterMiddleware:
    """Answers 400 Bad Request, in the reader's language, before any view sees such a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        texts = [request.path, *_texts(request.GET)]
        if request.method == "POST":
            texts += _texts(request.POST)
        if any(NULL in text for text in texts):
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request):
        language = translation.get_language_from_path(
            request.path_info
        ) or translation.get_language_from_request(request)
        with translation.override(language):
            return HttpResponseBadRequest(render_to_string("400.html", request=request))
