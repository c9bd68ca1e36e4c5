"""The admin's one inline script, under the Content-Security-Policy: with the request's nonce."""

from js_asset import Media


class NonceMediaMixin:
    """A ModelAdmin whose change form renders its media with the request's CSP nonce.

    The rich-text editor's import map must be an inline ``<script>`` (browsers load
    no import map from a file); the policy allows it only with this response's nonce.
    """

    def render_change_form(self, request, context, *args, **kwargs):
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)
