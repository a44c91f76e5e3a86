/* Small page behaviours declared in the markup, so that no template needs an inline script or event handler
   (the Content-Security-Policy runs this site's script files only):
   - <select data-autosubmit> submits its form when changed (office and language switches);
   - <form data-confirm="question"> asks before it is sent (deletions);
   - <button data-print> prints the page (booklet web version);
   - an htmx element with data-error="message" shows it in its [role=status] when its request fails (htmx shows
     nothing by itself when a request is refused or the server cannot be reached); any other failed htmx request
     shows the reason of the error page answered in base.html's #request-error. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) select.form.requestSubmit();
  });
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
  function showError(event) {
    var element = event.detail.elt && event.detail.elt.closest("[data-error]");
    var status = element && element.querySelector("[role=status]");
    if (status) {
      status.textContent = element.dataset.error;
      return;
    }
    // Otherwise the page's own box says why: the reason of the error page answered (#error-message), else a
    // general message (the server could not be reached, or answered no page).
    var box = document.getElementById("request-error");
    if (!box) return;
    var xhr = event.detail.xhr;
    var reason = null;
    if (xhr && xhr.responseText) {
      var answer = new DOMParser().parseFromString(xhr.responseText, "text/html");
      reason = answer.getElementById("error-message");
    }
    box.firstElementChild.textContent = (reason && reason.textContent.trim()) || box.dataset.fallback;
    box.hidden = false;
    box.scrollIntoView({block: "nearest"});
  }
  document.addEventListener("htmx:responseError", showError);
  document.addEventListener("htmx:sendError", showError);
  document.addEventListener("htmx:afterRequest", function (event) {
    var box = document.getElementById("request-error");
    if (box && event.detail.successful) box.hidden = true;
  });
})();
