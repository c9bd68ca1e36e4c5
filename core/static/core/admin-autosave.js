// Keeps what a person types in a change form on the server, a few seconds after they
// stop typing (core/autosave.py), and offers it back when they open the same form
// again: a closed tab, a lost session or a crash loses at most those seconds. Nothing
// is put back unless the person chooses “Restore”; saving the form forgets it.
// Chosen files are not kept this way.
(function () {
  "use strict";
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  };
  var QUIET_MS = 3000;
  var SKIPPED = /^(csrfmiddlewaretoken|_save|_continue|_addanother)$|__prefix__/;

  var editors = new Map();
  document.addEventListener("prose-editor:ready", function (event) {
    editors.set(event.detail.textarea, event.detail.editor);
  });

  function endpoint() {
    var meta = document.querySelector('meta[name="pressroom-autosave"]');
    return meta ? meta.content : null;
  }

  function csrf(form) {
    var token = form.querySelector("[name=csrfmiddlewaretoken]");
    return token ? token.value : "";
  }

  // The form as it would be sent, files left out; a two-box selector by its chosen side.
  function fields(form) {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && !SKIPPED.test(name)) { pairs.push([name, value]); }
    });
    form.querySelectorAll("select[id$='_to']").forEach(function (select) {
      Array.from(select.options).forEach(function (option) { pairs.push([select.name, option.value]); });
    });
    return pairs;
  }

  function addRows(form, pairs) {
    pairs.forEach(function (pair) {
      var match = pair[0].match(/^(.*)-TOTAL_FORMS$/);
      if (!match) { return; }
      var total = form.querySelector('[name="' + pair[0] + '"]');
      var add = document.querySelector("#" + CSS.escape(match[1]) + "-group .add-row a");
      for (var i = 0; total && add && parseInt(total.value, 10) < parseInt(pair[1], 10) && i < 100; i++) {
        add.click();
      }
    });
  }

  function moveChosen(select, wanted) {
    var from = document.getElementById(select.id.replace(/_to$/, "_from"));
    if (!from || !window.SelectBox) { return; }
    Array.from(from.options).forEach(function (o) { o.selected = wanted.indexOf(o.value) !== -1; });
    window.SelectBox.move(from.id, select.id);
    Array.from(select.options).forEach(function (o) { o.selected = wanted.indexOf(o.value) === -1; });
    window.SelectBox.move(select.id, from.id);
  }

  function restore(form, pairs) {
    addRows(form, pairs);
    var values = new Map();
    pairs.forEach(function (pair) {
      if (!values.has(pair[0])) { values.set(pair[0], []); }
      values.get(pair[0]).push(pair[1]);
    });
    Array.from(form.elements).forEach(function (element) {
      var name = element.name;
      if (!name || SKIPPED.test(name) || element.type === "file" || element.type === "submit") {
        return;
      }
      var wanted = values.get(name) || [];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = wanted.indexOf(element.value || "on") !== -1;
      } else if (element.tagName === "SELECT" && /_to$/.test(element.id)) {
        moveChosen(element, wanted);
        return;
      } else if (element.tagName === "SELECT" && element.multiple) {
        Array.from(element.options).forEach(function (o) { o.selected = wanted.indexOf(o.value) !== -1; });
      } else if (values.has(name)) {
        element.value = wanted[0];
        var editor = editors.get(element);
        if (editor) { editor.commands.setContent(wanted[0] || "", false); }
      } else {
        return;
      }
      element.dispatchEvent(new Event("input", { bubbles: true }));
      element.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function request(method, url, form, body) {
    return window.fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(form), "Content-Type": "application/json" },
      body: body ? JSON.stringify(body) : undefined,
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    });
  }

  function notice(form, text, actions) {
    var box = document.createElement("div");
    box.className = "autosave-notice";
    box.setAttribute("role", "status");
    var message = document.createElement("p");
    message.textContent = text;
    box.appendChild(message);
    actions.forEach(function (action) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.textContent = action[0];
      button.addEventListener("click", function () { action[1](box); });
      box.appendChild(button);
    });
    form.prepend(box);
    return box;
  }

  function watch(form, base) {
    var address = base + "?path=" + encodeURIComponent(window.location.pathname);
    var timer = null;
    var last = JSON.stringify(fields(form));
    var status = document.createElement("p");
    status.className = "autosave-status help";
    status.setAttribute("aria-live", "polite");
    var submitRow = form.querySelector(".submit-row");
    if (submitRow) { submitRow.before(status); }

    function keep() {
      var now = fields(form);
      if (JSON.stringify(now) === last) { return; }
      request("POST", base, form, { path: window.location.pathname, fields: now }).then(
        function (answer) {
          last = JSON.stringify(now);
          status.textContent = interpolate(
            gettext("What you have typed is kept on the server (last at %(time)s)."),
            { time: answer.shown }, true
          );
        },
        function () {
          status.textContent = gettext(
            "What you type cannot be kept on the server just now; save the form to be safe."
          );
        }
      );
    }

    function soon() {
      window.clearTimeout(timer);
      timer = window.setTimeout(keep, QUIET_MS);
    }

    // A refused form shows what was sent; it is kept at once, unsaved as it is.
    if (document.querySelector(".errornote")) {
      last = "";
      soon();
    } else {
      request("GET", address, form).then(function (kept) {
        if (!kept.fields || JSON.stringify(kept.fields) === last) { return; }
        notice(form, interpolate(
          gettext("Text you had not saved in this form (from %(time)s) is kept."),
          { time: kept.shown }, true
        ), [
          [gettext("Restore it"), function (box) {
            restore(form, kept.fields);
            box.querySelector("p").textContent = gettext(
              "Restored. Check it, then save the form."
            );
            box.querySelectorAll("button").forEach(function (b) { b.remove(); });
          }],
          [gettext("Discard it"), function (box) {
            request("DELETE", address, form).then(function () { box.remove(); });
          }],
        ]);
      }, function () { /* nothing kept, or signed out: nothing to offer */ });
    }
    form.addEventListener("input", soon);
    form.addEventListener("change", soon);
    form.addEventListener("submit", function () { window.clearTimeout(timer); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var base = endpoint();
    var form = document.querySelector("#content-main form");
    if (base && form && form.querySelector('.submit-row [name="_save"]')) { watch(form, base); }
  });
})();
