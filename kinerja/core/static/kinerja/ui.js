// Small behaviour of every page, written for this project.

// On a narrow screen the main menu folds behind its button.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest(".menu-toggle");
  if (!button) return;
  var open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", open ? "true" : "false");
  document.body.classList.toggle("menu-open", open);
});

// A table wider than the screen scrolls inside its own box; the box takes the keyboard focus
// so that it can be scrolled without a mouse.
function focusableScrollers(root) {
  (root || document).querySelectorAll("table, .table-wrap, .card").forEach(function (box) {
    var scrolls = box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== "visible";
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.dataset.scrollFocus = "1";
    } else if (!scrolls && box.dataset.scrollFocus) {
      box.removeAttribute("tabindex");
      delete box.dataset.scrollFocus;
    }
  });
}
document.addEventListener("DOMContentLoaded", function () { focusableScrollers(); });
window.addEventListener("resize", function () { focusableScrollers(); });
document.addEventListener("htmx:afterSwap", function (event) { focusableScrollers(event.target); });
