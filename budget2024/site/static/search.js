/* Search for the budget2024 site: finds initiatives and appendix rows by words in their titles
   and texts. Case and accents are ignored, and each Danish letter may be spelt without it
   (æ as ae, a or e; ø as oe or o; å as aa or a), as `budget list --search` does. The index is
   window.BUDGET_SEARCH, loaded by search-index.js (browsers do not fetch() files from disk). */
(function () {
  "use strict";
  var DANISH = { "æ": ["ae", "a", "e"], "ø": ["oe", "o"], "å": ["aa", "a"] };

  function stripAccents(s) {
    return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }

  function variants(text) {
    var base = text.toLowerCase();
    var out = [base];
    Object.keys(DANISH).forEach(function (letter) {
      if (base.indexOf(letter) < 0) { return; }
      var next = [];
      out.forEach(function (v) {
        DANISH[letter].forEach(function (sp) { next.push(v.split(letter).join(sp)); });
      });
      out = next;
    });
    return out.map(stripAccents);
  }

  var index = (window.BUDGET_SEARCH || { entries: [] }).entries.map(function (e) {
    return { entry: e, hay: variants(e.title + "\n" + (e.text || "")).join("\n") };
  });

  function matches(item, words) {
    return words.every(function (w) {
      return w.some(function (v) { return item.hay.indexOf(v) >= 0; });
    });
  }

  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");

  function run(query) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    var words = query.trim().split(/\s+/).filter(Boolean).map(variants);
    if (!words.length) { status.textContent = ""; return; }
    var found = index.filter(function (item) { return matches(item, words); });
    status.textContent = list.dataset.labelResults + ": " + found.length;
    found.forEach(function (item) {
      var e = item.entry;
      var li = document.createElement("li");
      li.className = "result result-" + e.type;
      li.dataset.type = e.type;
      li.dataset.id = e.id;
      var kind = document.createElement("span");
      kind.className = "result-type";
      kind.textContent = (e.type === "line" ? list.dataset.labelLine : list.dataset.labelInitiative) + ": ";
      var a = document.createElement("a");
      a.href = e.url;
      a.textContent = (e.section ? e.section + " " : "") + e.title;  /* text, never HTML */
      li.appendChild(kind);
      li.appendChild(a);
      list.appendChild(li);
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    run(input.value);
    if (window.history && window.history.replaceState) {
      try { window.history.replaceState(null, "", "?q=" + encodeURIComponent(input.value)); } catch (err) { /* file:// */ }
    }
  });
  input.addEventListener("input", function () { run(input.value); });
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { input.value = q; run(q); }
}());
