// The counter screen: steppers, one origin at a time, language suggested from the country, profiles that set the
// party, stay presets, themes that suggest types, the commune completion (an ARIA combobox), shortcuts.
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

  const iso = (date) => date.toISOString().slice(0, 10);
  function presetDates(preset, todayText) {
    const today = new Date(`${todayText}T12:00:00Z`);
    const plus = (days) => { const d = new Date(today); d.setUTCDate(d.getUTCDate() + days); return d; };
    if (preset === "tonight") return [today, plus(1)];
    if (preset === "today") return [today, null];
    if (preset === "weekend") {
      const day = today.getUTCDay(); // 0 Sunday … 5 Friday, 6 Saturday
      if (day === 0) return [today, today];
      if (day >= 5) return [today, plus(7 - day)];
      return [plus(5 - day), plus(7 - day)];
    }
    return [today, plus(parseInt(preset, 10))];
  }
  document.addEventListener("click", (event) => {
    const preset = event.target.closest("#counter-form button[data-preset]");
    if (preset) {
      const [start, end] = presetDates(preset.dataset.preset, preset.parentElement.dataset.today);
      field("stay_start").value = iso(start);
      field("stay_end").value = end ? iso(end) : "";
      return;
    }
    const option = event.target.closest("#place-options [role=option]");
    if (option) { choosePlace(option); return; }
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
    if (target.name === "country" && target.value) { clearPicks(); field("postcode").value = ""; field("commune_code").value = ""; }
    if (target.name === "profile" && target.dataset.adults) {
      field("adults").value = target.dataset.adults;
      field("children").value = target.dataset.children;
    }
    if (target.name === "themes") suggestTypes();
  });
  // Ticked themes outline the types they suggest (the agent taps those that apply).
  function suggestTypes() {
    const suggested = new Set();
    form().querySelectorAll("[name=themes]:checked").forEach((theme) => {
      (theme.dataset.suggests || "").split(" ").filter(Boolean).forEach((id) => suggested.add(id));
    });
    form().querySelectorAll("[name=requested_types]").forEach((type) => {
      type.closest(".toggle").classList.toggle("suggested", suggested.has(type.value));
    });
  }

  // The commune: typed by name or postcode, chosen in the list by tap, click or arrows and Enter.
  const listbox = () => document.getElementById("place-options");
  const options = () => [...listbox().querySelectorAll("[role=option]")];
  function closePlaces() {
    listbox().replaceChildren();
    field("postcode").setAttribute("aria-expanded", "false");
    field("postcode").removeAttribute("aria-activedescendant");
  }
  function choosePlace(option) {
    field("postcode").value = option.dataset.label;
    field("commune_code").value = option.dataset.insee;
    clearPicks();
    field("country").value = "";
    closePlaces();
    field("postcode").focus();
  }
  function activate(index) {
    const all = options();
    if (!all.length) return;
    const current = Math.max(0, Math.min(all.length - 1, index));
    all.forEach((option, i) => option.setAttribute("aria-selected", i === current ? "true" : "false"));
    field("postcode").setAttribute("aria-activedescendant", all[current].id);
    all[current].scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.target.id === "place-options") {
      field("postcode").setAttribute("aria-expanded", options().length ? "true" : "false");
      field("postcode").removeAttribute("aria-activedescendant");
    }
    if (event.target.id === "counter-fields" || event.detail.target?.id === "counter-fields") suggestTypes();
  });
  document.addEventListener("focusout", (event) => {
    if (event.target.name === "postcode" && inForm(event.target)) setTimeout(() => {
      if (!listbox()?.contains(document.activeElement)) closePlaces();
    }, 200);
  });
  document.addEventListener("input", (event) => {
    if (inForm(event.target) && event.target.name === "postcode") {
      field("commune_code").value = ""; // typed again: the commune chosen before no longer holds
      if (event.target.value) { clearPicks(); field("country").value = ""; } else closePlaces();
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
    // Enter in the quick line reads it at once (the agent checks the chips); Ctrl+Enter records.
    if (event.target.id === "id_quick" && event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      htmx.trigger(event.target, "quick-read");
      return;
    }
    if (event.target.name === "postcode" && inForm(event.target) && options().length) {
      const active = options().findIndex((option) => option.getAttribute("aria-selected") === "true");
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        activate(active + (event.key === "ArrowDown" ? 1 : -1));
        return;
      }
      if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        choosePlace(options()[Math.max(active, 0)]);
        return;
      }
      if (event.key === "Escape") { closePlaces(); return; }
    }
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
