// Fills a web-address field (data-slug-from: the ids of the title fields it is made
// from) as the title is typed, with the same transliteration as the server
// (core/addresses.py: æ → ae, ø → oe, å → aa, accents dropped). An empty address is
// always filled; one made from the title keeps following it only where the form allows
// (data-slug-follows: new rows and draft releases), so a live topic's address stays put.
// Once the address has been written by hand it is left alone; emptying it hands it back.
(function () {
  "use strict";

  function slugify(text, letters, maxLength) {
    var lowered = Array.from((text || "").toLowerCase())
      .map(function (letter) { return letters[letter] || letter; })
      .join("");
    var slug = lowered.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/['’]/g, "")
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    return slug.slice(0, maxLength).replace(/-+$/, "");
  }

  function connect(slugInput) {
    var letters = JSON.parse(slugInput.dataset.slugLetters || "{}");
    var maxLength = parseInt(slugInput.getAttribute("maxlength") || "250", 10);
    var sources = slugInput.dataset.slugFrom.split(" ")
      .map(function (id) { return document.getElementById(id); })
      .filter(Boolean);
    function made() {
      var title = sources.map(function (s) { return s.value; }).find(Boolean) || "";
      return slugify(title, letters, maxLength);
    }
    var follows = slugInput.dataset.slugFollows === "1";
    var automatic = !slugInput.value || (follows && slugInput.value === made());
    sources.forEach(function (source) {
      source.addEventListener("input", function () {
        if (automatic) { slugInput.value = made(); }
      });
    });
    slugInput.addEventListener("input", function () {
      automatic = !slugInput.value;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-slug-from]").forEach(connect);
  });
})();
