// Warns before a person leaves a change form with edits that are not saved: by a link,
// the browser's back button, a reload or closing the tab. Saving the form (any of its
// submit buttons) leaves without a warning. The form counts as changed when what it
// would send differs from what it held when the page was ready, files chosen included,
// and always when the server has refused it (what it holds is not saved).
(function () {
  "use strict";

  // Rows added and left empty change only the formset's counters: not an edit.
  var COUNTERS = /-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/;

  function state(form) {
    var parts = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || COUNTERS.test(name)) { return; }
      var text = typeof value === "string" ? value : (value.name ? "file:" + value.name : "");
      if (text !== "" && !/^(.+)-__prefix__-/.test(name)) { parts.push(name + "=" + text); }
    });
    // The chosen side of a two-box selector holds its choices as options, selected only
    // when the form is sent.
    form.querySelectorAll("select[id$='_to']").forEach(function (select) {
      parts.push(select.id + "=" + Array.from(select.options).map(function (o) {
        return o.value;
      }).join(","));
    });
    return parts.sort().join("&");
  }

  function watch(form) {
    var saved = null;
    var leaving = false;
    // Editors and widgets settle after the page is ready; take the state once they have.
    window.addEventListener("load", function () {
      window.setTimeout(function () { saved = state(form); }, 300);
    });
    form.addEventListener("submit", function () { leaving = true; });
    // A form the server refused holds what was typed, none of it saved yet.
    var refused = Boolean(document.querySelector(".errornote"));
    window.addEventListener("beforeunload", function (event) {
      if (leaving || (!refused && (saved === null || state(form) === saved))) { return; }
      event.preventDefault();
      event.returnValue = "";
    });
    // A refused submit (the browser's own checks) stays on the page.
    form.addEventListener("invalid", function () { leaving = false; }, true);
  }

  document.addEventListener("DOMContentLoaded", function () {
    // Model change forms only (their “Save” button); other admin pages, such as setting
    // up a second factor, submit from their own scripts.
    var form = document.querySelector("#content-main form");
    if (form && form.querySelector('.submit-row [name="_save"]')) { watch(form); }
  });
})();
