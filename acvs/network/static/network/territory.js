// Territory picker: filters the commune checkboxes as one types and counts the ticked ones.
// Ticked communes stay visible whatever the filter, so nobody saves a choice they cannot see.
(() => {
  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

  function refresh(picker) {
    const words = fold(picker.querySelector(".territory-filter").value).split(/[\s-]+/).filter(Boolean);
    let ticked = 0;
    for (const label of picker.querySelectorAll(".territory-options label")) {
      const box = label.querySelector("input");
      if (box.checked) ticked += 1;
      const text = fold(label.textContent).replace(/-/g, " ");
      label.hidden = !box.checked && !words.every((word) => text.includes(word));
    }
    picker.querySelector("[data-territory-count]").textContent = picker.dataset.countLabel.replace("%s", ticked);
  }

  function init() {
    for (const picker of document.querySelectorAll(".territory-picker")) {
      picker.querySelector(".territory-filter").hidden = false;
      refresh(picker);
    }
  }

  document.addEventListener("input", (event) => {
    const picker = event.target.closest(".territory-picker");
    if (picker) refresh(picker);
  });
  // Enter in the filter box must not submit the whole office form.
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.matches(".territory-filter")) event.preventDefault();
  });
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSettle", init);
})();
