// Starts django-prose-editor on every release body field, with exactly the
// extensions the server's allow-list names (releases/html.py). Unlike the
// package's own presets it tells Tiptap not to inject a <style> element, which
// the Content-Security-Policy forbids; prose-editor.css has those rules.
import * as prose from "django-prose-editor/editor";

const ATTRIBUTE = "data-django-prose-editor-pressroom";

function extensionsOf(config) {
  return Object.entries(config.extensions || {})
    .filter(([name]) => prose[name])
    .map(([name, options]) =>
      typeof options === "object" ? prose[name].configure(options) : prose[name],
    );
}

function start(textarea) {
  if (textarea.closest(".prose-editor")) {
    return null;
  }
  const config = JSON.parse(textarea.getAttribute(ATTRIBUTE) || "{}");
  const disabled = textarea.hasAttribute("disabled");
  const wrapper = prose.crel("div", {
    className: disabled ? "prose-editor disabled" : "prose-editor",
  });
  textarea.before(wrapper);
  wrapper.append(textarea);
  const editor = new prose.Editor({
    element: wrapper,
    editable: !disabled,
    injectCSS: false,
    extensions: extensionsOf(config),
    content: textarea.value,
    onUpdate({ editor: current }) {
      const html = current.getHTML();
      // An empty editor holds one empty paragraph; the field stays empty then.
      textarea.value = /^<(\w+)(\s[^>]*)?><\/\1>$/i.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
    onDestroy() {
      wrapper.before(textarea);
      wrapper.remove();
    },
  });
  textarea.dispatchEvent(
    new CustomEvent("prose-editor:ready", { detail: { editor, textarea }, bubbles: true }),
  );
  return editor;
}

prose.initializeEditors(start, `[${ATTRIBUTE}]`);
