// The counter screen: steppers, one origin at a time, language suggested from the country, shortcuts.
// Handlers are delegated to the document: htmx swaps the form (errors) or a fresh copy of it (after recording).
(function () {
  const initial = document.getElementById("counter-form");
  if (!initial) return;
  // The empty form as the page served it: after each recording the page puts a copy back, without a round trip.
  const pristine = initial.cloneNode(true);
  let languageTouched = false;

  const form = () => document.getElementById("counter-form");
  const field = (name) => form().querySelector(`[name=${name}]`);
  const inForm = (element) => element instanceof Element && element.closest("#counter-form");

  function suggestLanguage(code) {
    const language = field("language");
    if (code && language && !languageTouched) language.value = code;
  }
  function clearPicks() { form().querySelectorAll("[name=origin_pick]").forEach((pick) => { pick.checked = false; }); }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("#counter-form button[data-step]");
    if (!button) return;
    const input = document.getElementById(button.dataset.target);
    input.value = Math.max(0, (parseInt(input.value, 10) || 0) + parseInt(button.dataset.step, 10));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
  document.addEventListener("change", (event) => {
    const target = event.target;
    if (!inForm(target)) return;
    if (target.name === "language" && event.isTrusted) languageTouched = true;
    if (target.name === "origin_pick") {
      field("postcode").value = "";
      field("country").value = "";
      suggestLanguage(target.dataset.lang);
    }
    if (target.name === "country" && target.value) { clearPicks(); field("postcode").value = ""; }
  });
  document.addEventListener("input", (event) => {
    if (inForm(event.target) && event.target.name === "postcode" && event.target.value) {
      clearPicks();
      field("country").value = "";
    }
  });
  document.addEventListener("counter-recorded", () => {
    const fresh = pristine.cloneNode(true);
    form().replaceWith(fresh);
    htmx.process(fresh);
    languageTouched = false;
    const first = fresh.querySelector("[name=origin_pick]");
    if (first) first.focus();
  });
  // The answer to a hand-out refreshes the brochure fields (stock left): keep them for the next reset too.
  document.addEventListener("htmx:oobAfterSwap", () => {
    const fresh = document.getElementById("handout-fields");
    const old = pristine.querySelector("#handout-fields");
    if (fresh && old) old.replaceWith(fresh.cloneNode(true));
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form().requestSubmit();
    } else if (event.key === "F2") {
      event.preventDefault();
      const add = document.getElementById("count-add");
      if (add) add.click();
    }
  });
})();
