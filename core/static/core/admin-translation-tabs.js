// Groups the language versions of each translated field (name_en, name_da)
// behind English / Danish tabs. Choosing a language switches every group on
// the page, so an editor works in one language at a time. Without JavaScript
// all versions stay visible, one under the other.
(function () {
  "use strict";
  var LABELS = { en: "English", da: "Dansk" };

  function rowOf(input) {
    return input.closest(".form-row, .fieldBox, td");
  }

  function groupsIn(root) {
    var groups = new Map();
    root.querySelectorAll(".mt").forEach(function (input) {
      var match = Array.from(input.classList)
        .map(function (cls) { return cls.match(/^mt-field-(.+)-([a-z]{2})$/); })
        .find(Boolean);
      var row = rowOf(input);
      if (!match || !row || row.closest(".empty-form")) { return; }
      var key = (input.name || "").replace(/_[a-z]{2}$/, "");
      if (!groups.has(key)) { groups.set(key, []); }
      groups.get(key).push({ lang: match[2], row: row });
    });
    return groups;
  }

  function activate(lang) {
    document.querySelectorAll(".mt-tabs").forEach(function (bar) {
      bar.querySelectorAll("button").forEach(function (button) {
        var on = button.dataset.lang === lang;
        button.setAttribute("aria-selected", on ? "true" : "false");
        button.tabIndex = on ? 0 : -1;
      });
    });
    document.querySelectorAll("[data-mt-lang]").forEach(function (row) {
      row.hidden = row.dataset.mtLang !== lang;
    });
  }

  function build() {
    groupsIn(document).forEach(function (members) {
      if (members.length < 2) { return; }
      var bar = document.createElement("div");
      bar.className = "mt-tabs";
      bar.setAttribute("role", "tablist");
      members.forEach(function (member) {
        var button = document.createElement("button");
        button.type = "button";
        button.setAttribute("role", "tab");
        button.dataset.lang = member.lang;
        button.textContent = LABELS[member.lang] || member.lang;
        if (member.row.querySelector(".errorlist")) { button.classList.add("mt-has-error"); }
        button.addEventListener("click", function () { activate(member.lang); });
        bar.appendChild(button);
        member.row.dataset.mtLang = member.lang;
      });
      members[0].row.parentNode.insertBefore(bar, members[0].row);
    });
    var firstError = document.querySelector("[data-mt-lang] .errorlist");
    activate(firstError ? firstError.closest("[data-mt-lang]").dataset.mtLang : "en");
  }

  document.addEventListener("DOMContentLoaded", build);
})();
