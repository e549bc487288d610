// Claims page: filter the cards by status and section. The filter state lives in the URL
// (?status=...&section=...), so a filtered view can be shared and survives a reload.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector(".claims-filter");
  if (!form) return;
  const selects = form.querySelectorAll("select[data-filter]");
  const cards = document.querySelectorAll(".claims-cards .claim-card");
  const count = form.querySelector(".claims-count");
  const apply = () => {
    const want = {};
    selects.forEach((s) => { want[s.dataset.filter] = s.value; });
    let shown = 0;
    cards.forEach((c) => {
      const keep = Object.entries(want).every(([k, v]) => !v || c.dataset[k] === v);
      c.hidden = !keep;
      if (keep) shown += 1;
    });
    if (count) {
      count.textContent = count.dataset.template.replace("{n}", shown).replace("{total}", cards.length);
    }
  };
  const fromUrl = () => {
    const params = new URLSearchParams(window.location.search);
    selects.forEach((s) => {
      const v = params.get(s.dataset.filter) || "";
      s.value = [...s.options].some((o) => o.value === v) ? v : "";
    });
    apply();
  };
  selects.forEach((s) => s.addEventListener("change", () => {
    const url = new URL(window.location.href);
    selects.forEach((x) => { if (x.value) url.searchParams.set(x.dataset.filter, x.value); else url.searchParams.delete(x.dataset.filter); });
    url.hash = "";
    window.history.replaceState(null, "", url);
    apply();
  }));
  // The totals link to ?status=...: follow them without a reload.
  document.querySelectorAll(".claims-total").forEach((a) => a.addEventListener("click", (e) => {
    e.preventDefault();
    const status = form.querySelector('select[data-filter="status"]');
    status.value = status.value === a.dataset.status ? "" : a.dataset.status;
    status.dispatchEvent(new Event("change"));
  }));
  window.addEventListener("popstate", fromUrl);
  fromUrl();
});
