/* Live exhibit charts (see artifact/site/charts.py).

   Each `.exhibit[data-chart]` holds the chart's PNG. This script fetches the committed Vega-Lite
   spec beside it (same name, .vl.json), re-wraps its panels to the width the reader has, and draws
   it with vega-embed (tooltips on, SVG renderer); the PNG then hides. Without JavaScript, or if
   drawing fails, the PNG stays. The title and source line become an HTML caption, which wraps. */
(function () {
  "use strict";

  var TEXT = {
    en: { full: "Full screen", close: "Close full screen" },
    zh: { full: "全屏查看", close: "退出全屏" }
  };
  var FONT = '"Artifact Sans SC"';
  var CHROME = 90;      // px a panel needs beside its plot: y-axis labels and title
  var MIN_PANEL = 200;  // the narrowest plot drawn side by side before panels stack
  var LABEL_SHARE = 0.5;  // of the width, at most, for long y-axis labels on a narrow screen

  // Layout warnings about our own specs are the static tests' business, not the reader's console.
  var QUIET = {
    level: function () { return QUIET; },
    error: function () { console.error.apply(console, arguments); return QUIET; },
    warn: function () { return QUIET; }, info: function () { return QUIET; }, debug: function () { return QUIET; }
  };

  function lang() {
    return (document.documentElement.lang || "en").indexOf("zh") === 0 ? "zh" : "en";
  }

  function rows(spec) {
    var data = spec.data || {};
    if (data.values) return data.values;
    return (data.name && spec.datasets && spec.datasets[data.name]) || [];
  }

  function panelCount(spec) {
    if (spec.concat) return spec.concat.length;
    var seen = {};
    rows(spec).forEach(function (d) { seen[d[spec.facet.field]] = true; });
    return Math.max(1, Object.keys(seen).length);
  }

  // Cap long y-axis labels (a tooltip still shows the full name) wherever an encoding sets them.
  function capLabels(node, limit) {
    if (!node || typeof node !== "object") return;
    var y = node.encoding && node.encoding.y;
    if (y && y.axis && y.axis.labelLimit > limit) y.axis.labelLimit = limit;
    ["layer", "concat"].forEach(function (k) { (node[k] || []).forEach(function (c) { capLabels(c, limit); }); });
    if (node.spec) capLabels(node.spec, limit);
  }

  // The spec laid out for `avail` px: panels wrap to as many columns as fit (each at least
  // MIN_PANEL wide, narrowed if need be); a single view fills the width. Font sizes never shrink.
  function fit(original, avail) {
    var spec = JSON.parse(JSON.stringify(original));
    var config = spec.config = spec.config || {};
    var pad = 2 * (typeof config.padding === "number" ? config.padding : 5);
    // The title is shown as the caption; the drawing keeps it as its accessible name.
    var title = spec.title || {};
    spec.description = [].concat(typeof title === "string" ? title : title.text || []).join(" ");
    delete spec.title;
    if (dark()) {
      recolour(spec);
      merge(config, DARK);
    }
    // Legend entries one under another: side by side, long labels outgrew a panel.
    config.legend = Object.assign({}, config.legend, { columns: 1 });
    if (avail < 560) {
      capLabels(spec, Math.floor(avail * LABEL_SHARE));
      // A long x title ends at the plot's right edge and runs left under the row labels, instead
      // of running off the picture.
      config.axisX = Object.assign({}, config.axisX, { titleAnchor: "end" });
    }
    if ((spec.facet && spec.spec) || spec.concat) {
      var cells = spec.concat || [spec.spec];
      var spacing = typeof spec.spacing === "number" ? spec.spacing : 20;
      var width = typeof cells[0].width === "number" ? cells[0].width : MIN_PANEL;
      var room = avail - pad + spacing;
      var cols = Math.floor(room / (Math.min(width, MIN_PANEL) + CHROME + spacing));
      cols = Math.max(1, Math.min(panelCount(spec), cols));
      var cell = Math.max(120, Math.min(width, Math.floor(room / cols - spacing - CHROME)));
      spec.columns = cols;
      cells.forEach(function (c) { if (typeof c.width === "number") c.width = cell; });
    } else if (!spec.hconcat && !spec.vconcat) {
      spec.width = avail;
      spec.autosize = { type: "fit-x", contains: "padding" };
    }
    return spec;
  }

  // Dark pages (Material's "slate" scheme) get a dark chart: the config's greys and black turned light,
  // and the few dark colours a spec sets itself (labels, a dark series) lightened.
  var DARK_TEXT = "#d5d8de";
  var DARK = {
    background: "#1e2129",
    axis: { domainColor: "#8a8f9c", tickColor: "#8a8f9c", gridColor: "#3a3f4b", labelColor: DARK_TEXT, titleColor: DARK_TEXT },
    legend: { labelColor: DARK_TEXT, titleColor: DARK_TEXT },
    header: { labelColor: DARK_TEXT, titleColor: DARK_TEXT },
    title: { color: DARK_TEXT, subtitleColor: DARK_TEXT },
    text: { color: DARK_TEXT },
    view: { stroke: "#3a3f4b" }
  };
  var LIGHTER = { "#222222": DARK_TEXT, "#333333": DARK_TEXT, "#444444": "#c0c4cc", "#555555": "#b8bcc6",
                  "#08519c": "#5aa3e0", "black": DARK_TEXT, "white": "#1e2129" };

  function dark() {
    return document.body.getAttribute("data-md-color-scheme") === "slate";
  }

  function recolour(node) {
    if (Array.isArray(node)) { node.forEach(recolour); return; }
    if (!node || typeof node !== "object") return;
    Object.keys(node).forEach(function (k) {
      var v = node[k];
      if (typeof v === "string" && /^(color|fill|stroke|value)$/.test(k) && LIGHTER[v]) node[k] = LIGHTER[v];
      else if (k !== "data" && k !== "datasets") recolour(v);
    });
  }

  function merge(target, extra) {
    Object.keys(extra).forEach(function (k) {
      if (extra[k] && typeof extra[k] === "object") merge(target[k] = Object.assign({}, target[k]), extra[k]);
      else target[k] = extra[k];
    });
  }

  function caption(spec) {
    var title = spec.title || {};
    var text = typeof title === "string" ? title : title.text;
    var box = document.createElement("div");
    box.className = "chart-caption";
    // The title on one line; each subtitle line (source, then note) a line of its own.
    var parts = [[[].concat(text || []).join(" "), "chart-title"]];
    [].concat(title.subtitle || []).forEach(function (line) { parts.push([line, "chart-subtitle"]); });
    parts.forEach(function (part) {
      if (!part[0]) return;
      var el = document.createElement("span");
      el.className = part[1];
      el.textContent = part[0];
      box.appendChild(el);
    });
    return box;
  }

  async function draw(box) {
    var live = box.querySelector(".chart-live");
    var avail = Math.floor(live.clientWidth);
    var key = avail + (dark() ? "d" : "l");
    if (box._drawnAt === key) return;
    box._drawnAt = key;
    if (box._view) box._view.finalize();
    var result = await vegaEmbed(live, fit(box._spec, avail), {
      renderer: "svg", actions: false, tooltip: { theme: dark() ? "dark" : "light" },
      logger: QUIET
    });
    box._view = result.view;
    // The drawing's accessible name is the chart's title (Vega would say "Vega visualization").
    var svg = live.querySelector("svg");
    var name = live.getAttribute("data-title");
    if (svg && name) { svg.setAttribute("role", "img"); svg.setAttribute("aria-label", name); }
    box.classList.add("is-live");
  }

  function toggleFull(box, button) {
    var on = !box.classList.contains("chart-expanded");
    box.classList.toggle("chart-expanded", on);
    document.documentElement.classList.toggle("chart-expanded-page", on);
    button.textContent = TEXT[lang()][on ? "close" : "full"];
    button.setAttribute("aria-pressed", String(on));
    return draw(box);
  }

  async function setup(box) {
    var img = box.querySelector("img.exhibit-figure");
    if (!img) return;
    var url = img.getAttribute("src").replace(/\.png$/, ".vl.json");
    var response = await fetch(url);
    if (!response.ok) throw new Error(url + ": HTTP " + response.status);
    box._spec = await response.json();
    var holder = img.closest("p") || img;
    var live = document.createElement("div");
    live.className = "chart-live";
    // A named figure; its numbers are in the "numbers behind it" table that follows.
    live.setAttribute("role", "figure");
    live.setAttribute("aria-label", img.getAttribute("alt") || box.getAttribute("data-chart"));
    var title = box._spec.title || {};
    live.setAttribute("data-title", [].concat(typeof title === "string" ? title : title.text || []).join(" "));
    holder.parentNode.insertBefore(caption(box._spec), holder);
    holder.parentNode.insertBefore(live, holder);
    var tools = box.querySelector(".chart-tools") || document.createElement("div");
    tools.className = "chart-tools";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "chart-full";
    button.textContent = TEXT[lang()].full;
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", function () { toggleFull(box, button); });
    tools.insertBefore(button, tools.firstChild);
    if (!tools.parentNode) holder.parentNode.insertBefore(tools, holder.nextSibling);
    box.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && box.classList.contains("chart-expanded")) toggleFull(box, button);
    });
    await draw(box);
  }

  function start() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll(".exhibit[data-chart]"));
    if (!boxes.length || typeof vegaEmbed !== "function") return;
    // Vega measures text as it lays out, so the font must be loaded first.
    // (Only the part of the font the page's language draws: an English page never fetches the CJK one.)
    var ready = document.fonts ? document.fonts.load("11px " + FONT, lang() === "zh" ? "思a" : "a") : Promise.resolve();
    function begin(box) {
      if (box._started) return;
      box._started = true;
      setup(box).catch(function (err) {
        console.error("chart " + box.getAttribute("data-chart") + " could not be drawn: " + err);
      });
    }
    ready.catch(function () {}).then(function () {
      // A chart's spec is fetched and drawn as it nears the window: a page of nine charts loads
      // only the ones the reader reaches.
      if (!("IntersectionObserver" in window)) { boxes.forEach(begin); return; }
      var seen = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) {
          if (e.isIntersecting) { seen.unobserve(e.target); begin(e.target); }
        });
      }, { rootMargin: "600px 0px" });
      boxes.forEach(function (box) { seen.observe(box); });
    });
    // The reader switches light and dark: redraw in the new colours.
    new MutationObserver(function () {
      boxes.forEach(function (box) { if (box._spec) draw(box); });
    }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        boxes.forEach(function (box) { if (box._spec) draw(box); });
      }, 150);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
