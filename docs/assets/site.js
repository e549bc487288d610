/* Small accessibility helpers for every page.

   1. Boxes that scroll sideways (tables) can be reached with the Tab key and are named, so a
      keyboard user can scroll them and a screen reader says what they hold.
   2. Glossary terms show their definition (the link's data-tip) on hover, on keyboard focus and on a
      first tap (a second tap follows the link), inside the window even on a 390 px phone; Escape
      closes it.
   3. Search results read as plain text: the Chinese index separates words with zero-width spaces
      (the search needs them); they are taken out of the results shown. */
(function () {
  "use strict";

  function lang() {
    return (document.documentElement.lang || "en").indexOf("zh") === 0 ? "zh" : "en";
  }

  function nameScrollers(root) {
    var label = lang() === "zh" ? "可横向滚动的表格" : "Table, scrolls sideways";
    root.querySelectorAll(".md-typeset__scrollwrap, .evidence-table, .exhibit-table").forEach(function (box) {
      if (box.hasAttribute("tabindex")) return;
      var heading = box.closest(".exhibit") && box.closest(".exhibit").previousElementSibling;
      var name = heading && /^H[1-6]$/.test(heading.tagName) ? heading.textContent.replace(/¶$/, "").trim() : "";
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", name ? name + " (" + label + ")" : label);
    });
  }

  var open = null;

  function place(tip, link) {
    tip.style.left = "0px";
    var r = tip.getBoundingClientRect();
    var room = document.documentElement.clientWidth - 8;
    var shift = r.right > room ? room - r.right : 0;
    if (r.left + shift < 8) shift = 8 - r.left;
    tip.style.left = shift + "px";
  }

  function show(link) {
    if (open && open !== link) hide(open);
    var tip = link.querySelector(".glossary-tip");
    tip.hidden = false;
    place(tip, link);
    open = link;
  }

  function hide(link) {
    var tip = link.querySelector(".glossary-tip");
    if (tip) tip.hidden = true;
    if (open === link) open = null;
  }

  function tips(root) {
    root.querySelectorAll("a.glossary-link[data-tip]").forEach(function (link, i) {
      if (link.querySelector(".glossary-tip")) return;
      var tip = document.createElement("span");
      tip.className = "glossary-tip";
      tip.id = "glossary-tip-" + i;
      tip.setAttribute("role", "tooltip");
      tip.textContent = link.getAttribute("data-tip");
      tip.hidden = true;
      link.appendChild(tip);
      link.setAttribute("aria-describedby", tip.id);
      link.addEventListener("mouseenter", function () { show(link); });
      link.addEventListener("mouseleave", function () { hide(link); });
      link.addEventListener("focus", function () { show(link); });
      link.addEventListener("blur", function () { hide(link); });
      // A touch opens the tip first; the next touch follows the link.
      link.addEventListener("touchend", function (e) {
        if (open !== link) { e.preventDefault(); show(link); }
      });
    });
  }

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && open) hide(open);
  });
  document.addEventListener("touchstart", function (e) {
    if (open && !open.contains(e.target)) hide(open);
  }, { passive: true });

  function cleanResults() {
    var list = document.querySelector(".md-search-result__list");
    if (!list || list._clean) return;
    list._clean = true;
    var strip = function () {
      var walker = document.createTreeWalker(list, NodeFilter.SHOW_TEXT);
      for (var node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.nodeValue.indexOf("\u200b") >= 0) node.nodeValue = node.nodeValue.replace(/\u200b/g, "");
      }
    };
    new MutationObserver(strip).observe(list, { childList: true, subtree: true });
  }

  function start() {
    nameScrollers(document);
    tips(document);
    cleanResults();
  }

  // Material wraps tables in scrolling boxes once its own script has run: follow its document$.
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
