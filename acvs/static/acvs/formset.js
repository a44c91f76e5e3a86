/* "Add a line" for Django formsets: clones the empty form, numbering it like Django expects. */
(function () {
  "use strict";
  document.querySelectorAll("fieldset.formset").forEach(function (fs) {
    var prefix = fs.dataset.prefix;
    var total = fs.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var template = fs.querySelector("template");
    fs.querySelector(".formset-add").addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      fs.querySelector(".formset-rows").insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var first = fs.querySelector(".formset-rows .formset-row:last-child input:not([type=hidden])");
      if (first) first.focus();
    });
  });
})();
