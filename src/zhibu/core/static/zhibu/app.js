// Small behaviours that need no framework. No inline scripts (the CSP forbids them).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-check-all]");
  if (!button) return;
  var value = button.getAttribute("data-check-all");
  document.querySelectorAll("input[type=radio][value='" + value + "']").forEach(function (input) {
    input.checked = true;
  });
});
document.addEventListener("change", function (event) {
  var select = event.target.closest("select[data-autosubmit]");
  if (select) select.form.requestSubmit();
});
