"""The release body's rich-text editor, started so that it needs no inline style."""

from django.forms import Script
from django_prose_editor.widgets import (
    AdminProseEditorWidget,
    prose_editor_admin_media,
    prose_editor_js,
)
from js_asset import Media

# Tiptap, under django-prose-editor, adds its base rules as a <style> element, which
# the Content-Security-Policy refuses; this module starts the editor without them,
# and prose-editor.css holds the rules instead.
_starter = Script("releases/prose-editor.js", type="module")


class BodyEditorWidget(AdminProseEditorWidget):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, preset="pressroom", **kwargs)

    @property
    def media(self):
        return prose_editor_admin_media + Media(
            css={"all": ["releases/prose-editor.css"]}, js=[prose_editor_js, _starter]
        )
