// Small progressive enhancements; every page works without them.
document.addEventListener("change", (event) => {
  if (event.target.matches("[data-autosubmit]")) event.target.form.submit();
});

// Company switcher: arrow keys move the highlight, Enter enters the highlighted company.
document.addEventListener("keydown", (event) => {
  const input = event.target.closest("[data-switcher] input[name=q]");
  if (!input) return;
  const options = [...document.querySelectorAll("#switcher-results .switcher-option")];
  if (!options.length) return;
  let index = options.findIndex((option) => option.classList.contains("active"));
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    options[index]?.classList.remove("active");
    index = (index + (event.key === "ArrowDown" ? 1 : -1) + options.length) % options.length;
    options[index].classList.add("active");
    options[index].scrollIntoView({ block: "nearest" });
  } else if (event.key === "Enter") {
    event.preventDefault();
    window.location.href = (options[index] || options[0]).href;
  } else if (event.key === "Escape") {
    document.getElementById("switcher-results").innerHTML = "";
  }
});

// Forms that undo something ask first.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

// Phones: the menu button opens the side menu over the page (without JavaScript, #menu shows it).
function setMenu(open) {
  document.body.classList.toggle("menu-open", open);
  document.querySelectorAll("[data-menu-toggle]").forEach((toggle) => toggle.setAttribute("aria-expanded", String(open)));
  if (!open && window.location.hash === "#menu") history.replaceState(null, "", window.location.pathname + window.location.search);
  if (open) document.querySelector("#menu a:not([data-menu-close])")?.focus();
}
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-menu-toggle]")) {
    event.preventDefault();
    setMenu(!document.body.classList.contains("menu-open"));
  } else if (event.target.closest("[data-menu-close]")) {
    event.preventDefault();
    setMenu(false);
  } else if (document.body.classList.contains("menu-open") && !event.target.closest("#menu")) {
    setMenu(false);
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && document.body.classList.contains("menu-open")) setMenu(false);
});

// Forms with a person type: show the fields of the chosen type only (all show without JavaScript).
function showPersonFields(form) {
  const checked = form.querySelector("input[name=person_type]:checked");
  if (!checked) return;
  form.querySelectorAll("[data-person]").forEach((field) => {
    field.hidden = field.dataset.person !== checked.value;
  });
}
document.addEventListener("change", (event) => {
  if (event.target.matches("input[name=person_type]")) showPersonFields(event.target.form);
});
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-person-form]").forEach(showPersonFields);
});
// An address to copy is selected whole on a click; "Go back" links go back when there is a page to go to.
document.addEventListener("click", (event) => {
  if (event.target.matches("[data-select-on-click]")) event.target.select();
  if (event.target.closest("[data-history-back]") && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
// The client board's column chooser: a column hides or shows as soon as it is ticked; htmx saves the choice
// on the account (without JavaScript, "Apply" saves it and reloads the board).
document.addEventListener("change", (event) => {
  const chooser = event.target.closest("[data-column-chooser]");
  if (!chooser) return;
  const hidden = [...chooser.querySelectorAll("input[name=shown]")].filter((box) => !box.checked).map((box) => box.value);
  document.querySelectorAll("[data-board-table]").forEach((table) => {
    table.dataset.hide = hidden.join(" ");
  });
});
