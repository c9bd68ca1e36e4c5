"""The release body's rich-text editor, started so that it needs no inline style."""

from django.forms import Script
from django_prose_editor.widgets import (
    AdminProseEditorWidget,
    prose_editor_admin_media,
    prose_editor_js,
)
from js_asset import Media

from releases.html import sanitize

# Tiptap, under django-prose-editor, adds its base rules as a <style> element, which
# the Content-Security-Policy refuses; this module starts the editor without them,
# and prose-editor.css holds the rules instead.
_starter = Script("releases/prose-editor.js", type="module")


class BodyEditorWidget(AdminProseEditorWidget):
    """The editor with the allow-list's toolbar, the paste cleaner and spell checking."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, preset="pressroom", **kwargs)

    def format_value(self, value):
        # The editor only ever sees what the allow-list keeps.
        return sanitize(value) if value else value

    @property
    def media(self):
        return prose_editor_admin_media + Media(
            css={"all": ["releases/prose-editor.css"]}, js=[prose_editor_js, _starter]
        )
