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

// An address to copy is selected whole on a click; "Go back" links go back when there is a page to go to.
document.addEventListener("click", (event) => {
  if (event.target.matches("[data-select-on-click]")) event.target.select();
  if (event.target.closest("[data-history-back]") && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
