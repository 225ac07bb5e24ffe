// 信访工作台: progressive enhancement only; every page works without this file.
// Forms marked data-confirm ask before they are sent (workflow steps change a petition for good).
document.addEventListener("submit", function (e) {
  var form = e.target;
  var text = form.getAttribute("data-confirm");
  if (text && !window.confirm(text)) e.preventDefault();
});
// The print button on the receipt.
document.addEventListener("click", function (e) {
  if (e.target && e.target.matches && e.target.matches("[data-print]")) { e.preventDefault(); window.print(); }
});
// A second click while a form is on its way does not send it twice (the server also refuses duplicates).
document.addEventListener("submit", function (e) {
  if (e.defaultPrevented) return;
  var buttons = e.target.querySelectorAll("button[type=submit], button:not([type])");
  setTimeout(function () { buttons.forEach(function (b) { b.disabled = true; }); }, 0);
  setTimeout(function () { buttons.forEach(function (b) { b.disabled = false; }); }, 8000);
});
