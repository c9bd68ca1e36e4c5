// Starts django-prose-editor on every release body field, with exactly the
// extensions the server's allow-list names (releases/html.py). Unlike the
// package's own presets it tells Tiptap not to inject a <style> element, which
// the Content-Security-Policy forbids; prose-editor.css has those rules.
//
// The pressroom's own extension, PressroomText, adds:
// - pasted Word and Google Docs content mapped onto the allow-list with the same
//   rules the server applies on save (releases/html.py: RENAME and DROP), so no text
//   is lost or glued together;
// - links typed without a scheme completed as the server stores them;
// - spell checking on, in the language of the field;
// - the toolbar's tooltips and menus through Django's JavaScript catalogue, so the
//   Danish admin shows them in Danish.
import * as prose from "django-prose-editor/editor";

const gettext = window.gettext || ((text) => text);

const STYLE_MARKS = [
  [/font-weight\s*:\s*(bold|[6-9]00)/, "strong"],
  [/font-style\s*:\s*italic/, "em"],
  [/vertical-align\s*:\s*super/, "sup"],
  [/vertical-align\s*:\s*sub/, "sub"],
];
const BLOCKS = new Set(["P", "H2", "H3", "H4", "UL", "OL", "LI", "BLOCKQUOTE", "HR", "TABLE", "DIV"]);

function rename(element, tag) {
  const replacement = element.ownerDocument.createElement(tag);
  for (const attribute of ["href", "title", "start", "type"]) {
    if (element.hasAttribute(attribute)) {
      replacement.setAttribute(attribute, element.getAttribute(attribute));
    }
  }
  replacement.append(...element.childNodes);
  element.replaceWith(replacement);
  return replacement;
}

function unwrap(element) {
  element.replaceWith(...element.childNodes);
}

// Word writes list items as paragraphs with a hidden bullet or number in front.
function wordLists(body) {
  for (const comment of commentsIn(body)) {
    if (/^\[if !supportLists\]/.test(comment.data)) {
      let node = comment.nextSibling;
      let marker = "";
      while (node && !(node.nodeType === Node.COMMENT_NODE && /^\[endif\]/.test(node.data))) {
        const next = node.nextSibling;
        marker += node.textContent;
        node.remove();
        node = next;
      }
      const paragraph = comment.parentElement && comment.parentElement.closest("p");
      if (paragraph) {
        paragraph.dataset.wordList = /^\s*[\dIVXivxa-z]+[.)]/.test(marker) ? "ol" : "ul";
      }
    }
  }
  body.querySelectorAll("p[style*='mso-list'], p[class^='MsoListParagraph']").forEach((p) => {
    p.dataset.wordList = p.dataset.wordList || "ul";
  });
  body.querySelectorAll("p[data-word-list]").forEach((p) => {
    const kind = p.dataset.wordList;
    const previous = p.previousElementSibling;
    let list = previous && previous.tagName === kind.toUpperCase() && previous.dataset.fromWord
      ? previous
      : null;
    if (!list) {
      list = body.ownerDocument.createElement(kind);
      list.dataset.fromWord = "1";
      p.before(list);
    }
    const item = body.ownerDocument.createElement("li");
    item.append(...p.childNodes);
    list.append(item);
    p.remove();
  });
}

function commentsIn(root) {
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
  const comments = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  return comments;
}

function cleanPastedHTML(html, options) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const body = doc.body;
  body.querySelectorAll(options.drop.join(",")).forEach((element) => element.remove());
  wordLists(body);
  commentsIn(body).forEach((comment) => comment.remove());
  body.querySelectorAll("b").forEach((b) => {
    const style = (b.getAttribute("style") || "").replace(/\s/g, "");
    if ((b.id || "").startsWith("docs-internal-guid") || style.includes("font-weight:normal")) {
      unwrap(b);
    }
  });
  body.querySelectorAll("span").forEach((span) => {
    const style = (span.getAttribute("style") || "").toLowerCase();
    let inner = span;
    for (const [pattern, tag] of STYLE_MARKS) {
      if (pattern.test(style)) {
        const mark = doc.createElement(tag);
        mark.append(...inner.childNodes);
        inner.append(mark);
        inner = mark;
      }
    }
    unwrap(span);
  });
  for (const [from, to] of Object.entries(options.rename)) {
    body.querySelectorAll(from).forEach((element) => {
      const hasBlocks = Array.from(element.children).some((child) => BLOCKS.has(child.tagName));
      if (to === "p" && hasBlocks) {
        unwrap(element);
      } else {
        rename(element, to);
      }
    });
  }
  body.querySelectorAll("a[href]").forEach((a) => {
    const href = normaliseLink(a.getAttribute("href"));
    if (href) a.setAttribute("href", href);
  });
  return body.innerHTML;
}

// The same completion as releases/html.py normalise_link; unsafe links are left
// for the server, which refuses them with a message.
function normaliseLink(href) {
  href = (href || "").trim();
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(href)) return href;
  if (href.startsWith("//")) return "https:" + href;
  if (/^[/#?]/.test(href)) return href;
  if (/^[^@\s/:]+@[\w-]+(\.[\w-]+)+$/.test(href)) return "mailto:" + href;
  if (/^\+[\d\s().-]{6,}$/.test(href)) return "tel:" + href.replace(/[^\d+]/g, "");
  if (/^[\w-]+(\.[\w-]+)*\.[^\W\d_]{2,}(:\d+)?([/?#].*)?$/u.test(href)) return "https://" + href;
  return href;
}

// Only the editor's own controls, never the text being written.
function translate(root, text) {
  const outsideText = (node) => !text.contains(node);
  root.querySelectorAll("[title], [aria-label]").forEach((element) => {
    if (!outsideText(element)) return;
    for (const attribute of ["title", "aria-label"]) {
      const text = element.getAttribute(attribute);
      if (text && gettext(text) !== text) element.setAttribute(attribute, gettext(text));
    }
  });
  // Icon buttons' text is the icon's name in the icon font, not a word to translate.
  const translatable = (node) => outsideText(node) && !node.parentElement.closest(".material-icons");
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (translatable(node) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT),
  });
  while (walker.nextNode()) {
    const text = walker.currentNode.data.trim();
    if (text && gettext(text) !== text) walker.currentNode.data = gettext(text);
  }
}

const PressroomText = prose.Extension.create({
  name: "pressroomText",

  addOptions() {
    return { rename: {}, drop: [] };
  },

  onCreate() {
    const wrapper = this.editor.options.element;
    const textarea = wrapper.querySelector("textarea");
    const dom = this.editor.view.dom;
    dom.setAttribute("spellcheck", "true");
    if (textarea && textarea.lang) dom.setAttribute("lang", textarea.lang);
    if (textarea && textarea.id) {
      const label = document.querySelector(`label[for="${textarea.id}"]`);
      if (label) {
        if (!label.id) label.id = `${textarea.id}-label`;
        dom.setAttribute("aria-labelledby", label.id);
      }
    }
    dom.setAttribute("aria-multiline", "true");
    translate(wrapper, dom);
    new MutationObserver((changes) => {
      for (const change of changes) {
        change.addedNodes.forEach((node) => {
          if (node.nodeType === Node.ELEMENT_NODE && !dom.contains(node)) {
            translate(node, dom);
          }
        });
      }
    }).observe(wrapper, { childList: true, subtree: true });
  },

  addProseMirrorPlugins() {
    const options = this.options;
    return [
      new prose.Plugin({
        props: {
          transformPastedHTML: (html) => cleanPastedHTML(html, options),
        },
      }),
    ];
  },
});

const ATTRIBUTE = "data-django-prose-editor-pressroom";

const OWN = { PressroomText };

function extensionsOf(config) {
  return Object.entries(config.extensions || {})
    .map(([name, options]) => [OWN[name] || prose[name], options])
    .filter(([extension, options]) => extension && options !== false)
    .map(([extension, options]) =>
      typeof options === "object" ? extension.configure(options) : extension,
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
