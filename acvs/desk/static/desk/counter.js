// The counter screen: steppers, one origin at a time, language suggested from the country, shortcuts.
(function () {
  const form = document.getElementById("counter-form");
  if (!form) return;
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-step]");
    if (!button) return;
    const input = document.getElementById(button.dataset.target);
    const value = Math.max(0, (parseInt(input.value, 10) || 0) + parseInt(button.dataset.step, 10));
    input.value = value;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
  const postcode = form.querySelector("[name=postcode]");
  const country = form.querySelector("[name=country]");
  const language = form.querySelector("[name=language]");
  const picks = form.querySelectorAll("[name=origin_pick]");
  let languageTouched = false;
  if (language) language.addEventListener("change", (e) => { if (e.isTrusted) languageTouched = true; });
  function suggestLanguage(code) {
    if (code && language && !languageTouched) language.value = code;
  }
  picks.forEach((pick) => pick.addEventListener("change", () => {
    if (postcode) postcode.value = "";
    if (country) country.value = "";
    suggestLanguage(pick.dataset.lang);
  }));
  function clearPicks() { picks.forEach((pick) => { pick.checked = false; }); }
  if (postcode) postcode.addEventListener("input", () => { if (postcode.value) { clearPicks(); if (country) country.value = ""; } });
  if (country) country.addEventListener("change", () => { if (country.value) { clearPicks(); if (postcode) postcode.value = ""; } });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.key === "F2") {
      event.preventDefault();
      const add = document.getElementById("count-add");
      if (add) add.click();
    }
  });
})();
