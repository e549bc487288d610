// Filter the claims table by status and section (both <select data-filter=...> controls).
document.addEventListener("DOMContentLoaded", () => {
  const selects = document.querySelectorAll(".claims-filter select");
  const rows = document.querySelectorAll(".claims-table tbody tr");
  const apply = () => {
    const want = {};
    selects.forEach((s) => { want[s.dataset.filter] = s.value; });
    rows.forEach((r) => {
      const keep = Object.entries(want).every(([k, v]) => !v || r.dataset[k] === v);
      r.style.display = keep ? "" : "none";
    });
  };
  selects.forEach((s) => s.addEventListener("change", apply));
});
