// One switch for the whole form: write in English, in Danish, or in both side by side.
// The choice is remembered per person (in this browser, under their user id), and the
// switch shows at a glance how much of the form each language has: of the texts written
// in any language, how many are written in this one. Without JavaScript every language
// version stays visible, one under the other.
(function () {
  "use strict";
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  };
  var LANGUAGES = [["en", "English"], ["da", "Dansk"]];
  var FIELD_CLASS = /^mt-field-(.+)-([a-z]{2})$/;

  function storageKey() {
    var user = document.querySelector('meta[name="pressroom-user"]');
    return "pressroom.writing-language." + (user ? user.content : "anyone");
  }

  function remembered() {
    try { return window.localStorage.getItem(storageKey()); } catch (e) { return null; }
  }

  function remember(mode) {
    try { window.localStorage.setItem(storageKey(), mode); } catch (e) { /* private mode */ }
  }

  function languageOf(input) {
    for (var i = 0; i < input.classList.length; i++) {
      var match = input.classList[i].match(FIELD_CLASS);
      if (match) { return match[2]; }
    }
    return null;
  }

  function rowOf(input) {
    return input.closest("td, .fieldBox, .form-row");
  }

  function translatedInputs(root) {
    return Array.from(root.querySelectorAll("input.mt, textarea.mt, select.mt")).filter(
      function (input) { return languageOf(input) && !input.closest(".empty-form"); }
    );
  }

  // Marks each language version's row (and a table column's heading) with its language,
  // and puts the rows of one text side by side in a pair.
  function mark(root) {
    var groups = new Map();
    translatedInputs(root).forEach(function (input) {
      var row = rowOf(input);
      var lang = languageOf(input);
      if (!row || row.dataset.mtLang) { return; }
      row.dataset.mtLang = lang;
      if (row.tagName === "TD") {
        var table = row.closest("table");
        var name = input.name.replace(/^.*-/, "");
        var heading = table && table.querySelector("thead th.column-" + name);
        if (heading) { heading.dataset.mtLang = lang; }
        return;
      }
      var key = input.name.replace(/_[a-z]{2}$/, "");
      if (!groups.has(key)) { groups.set(key, []); }
      groups.get(key).push(row);
    });
    // Read-only versions (an address once published) have no input, only their row.
    var codes = LANGUAGES.map(function (language) { return language[0]; });
    root.querySelectorAll(".form-row, .fieldBox").forEach(function (row) {
      if (row.dataset.mtLang || row.querySelector("[data-mt-lang]")) { return; }
      var match = Array.from(row.classList).map(function (cls) {
        return cls.match(/^field-(.+)_([a-z]{2})$/);
      }).find(Boolean);
      if (!match || codes.indexOf(match[2]) === -1) { return; }
      var others = codes.filter(function (code) {
        return code !== match[2] && root.querySelector(".field-" + match[1] + "_" + code);
      });
      if (others.length === 0) { return; }
      row.dataset.mtLang = match[2];
      var key = "read-only " + match[1];
      if (!groups.has(key)) { groups.set(key, []); }
      groups.get(key).push(row);
    });
    groups.forEach(function (rows) {
      var consecutive = rows.every(function (row, i) {
        return i === 0 || rows[i - 1].nextElementSibling === row;
      });
      if (rows.length < 2 || !consecutive || rows[0].parentNode.classList.contains("mt-pair")) {
        return;
      }
      var pair = document.createElement("div");
      pair.className = "mt-pair";
      rows[0].before(pair);
      rows.forEach(function (row) { pair.appendChild(row); });
    });
  }

  function completeness() {
    var texts = new Map();
    translatedInputs(document).forEach(function (input) {
      var key = input.name.replace(/_[a-z]{2}$/, "");
      if (!texts.has(key)) { texts.set(key, {}); }
      var value = (input.value || "").replace(/<[^>]*>/g, "").trim();
      texts.get(key)[languageOf(input)] = value !== "";
    });
    var written = Array.from(texts.values()).filter(function (langs) {
      return Object.values(langs).some(Boolean);
    });
    var counts = {};
    LANGUAGES.forEach(function (language) {
      counts[language[0]] = written.filter(function (langs) { return langs[language[0]]; }).length;
    });
    return { total: written.length, counts: counts };
  }

  function errorsIn(lang) {
    return Array.from(document.querySelectorAll('[data-mt-lang="' + lang + '"]')).some(
      function (row) { return row.querySelector(".errorlist") || row.classList.contains("errors"); }
    );
  }

  function build() {
    var form = document.querySelector("#content-main form");
    if (!form || translatedInputs(form).length === 0) { return; }
    mark(form);

    var bar = document.createElement("div");
    bar.className = "mt-switch";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", gettext("Language you write in"));
    var label = document.createElement("span");
    label.className = "mt-switch-label";
    label.textContent = gettext("Write in:");
    label.setAttribute("aria-hidden", "true");
    bar.appendChild(label);

    var buttons = {};
    var modes = LANGUAGES.concat([["both", gettext("Both side by side")]]);
    modes.forEach(function (mode) {
      var button = document.createElement("button");
      button.type = "button";
      button.dataset.mode = mode[0];
      var name = document.createElement("span");
      name.className = "mt-name";
      name.textContent = mode[1];
      if (mode[0] !== "both") { name.lang = mode[0]; }
      button.appendChild(name);
      if (mode[0] !== "both") {
        var count = document.createElement("span");
        count.className = "mt-count";
        button.appendChild(count);
      }
      button.addEventListener("click", function () { choose(mode[0], true); });
      bar.appendChild(button);
      buttons[mode[0]] = button;
    });
    var status = document.createElement("span");
    status.className = "mt-status";
    status.setAttribute("aria-live", "polite");
    bar.appendChild(status);
    (form.querySelector("fieldset, .inline-group") || form.firstElementChild).before(bar);

    function update() {
      var state = completeness();
      LANGUAGES.forEach(function (language) {
        var code = language[0];
        var button = buttons[code];
        var done = state.counts[code];
        // Nothing written yet: the button names its language alone, not "0 of 0".
        button.querySelector(".mt-count").textContent = state.total === 0 ? "" : interpolate(
          gettext("%(done)s of %(total)s"), { done: done, total: state.total }, true
        );
        button.classList.toggle("mt-complete", state.total > 0 && done === state.total);
        var hasErrors = errorsIn(code);
        button.classList.toggle("mt-has-error", hasErrors);
        button.title = hasErrors ? gettext("This language has fields with errors.") : "";
      });
    }

    function choose(mode, byHand) {
      if (!buttons[mode]) { mode = "both"; }
      document.body.dataset.writing = mode;
      Object.keys(buttons).forEach(function (key) {
        buttons[key].setAttribute("aria-pressed", key === mode ? "true" : "false");
      });
      if (byHand) {
        remember(mode);
        status.textContent = mode === "both"
          ? gettext("Both languages are shown.")
          : interpolate(gettext("Only %(language)s is shown."),
            { language: buttons[mode].querySelector(".mt-name").textContent }, true);
      }
    }

    var mode = remembered() || "both";
    // A refused form whose errors are all in the hidden language shows both, so that
    // none is overlooked.
    if (mode !== "both" && !errorsIn(mode) && LANGUAGES.some(function (l) {
      return l[0] !== mode && errorsIn(l[0]);
    })) {
      mode = "both";
    }
    choose(mode, false);
    update();
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    document.addEventListener("formset:added", function (event) {
      mark(event.target);
      update();
    });
  }

  document.addEventListener("DOMContentLoaded", build);
})();
