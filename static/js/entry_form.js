// The comprobante form, keyboard first: Enter moves to the next field and, on the last field, adds a line
// that already carries the amount that balances; Tab past the last field adds one too; Ctrl+Enter posts.
// Accounts and terceros are suggested as you type; the running difference is always in view.
// The form works without this script (the server checks everything again).
(() => {
  const form = document.querySelector("[data-entry-form]");
  if (!form) return;
  const body = form.querySelector("[data-lines]");
  const total = form.querySelector("input[name$='-TOTAL_FORMS']");
  const template = form.querySelector("template[data-line-template]");
  const locale = document.documentElement.lang || "es-CO";
  const money = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const decimalMark = money.formatToParts(1.5).find((part) => part.type === "decimal").value;

  // The same reading as books/amounts.py: "1.234.567,89", "1234567.89", "1.500.000", "0,5"; in English,
  // commas that group by three are thousands (core.l10n.amount_typed: "1,500" is 1500).
  function parseAmount(text) {
    let value = (text || "").replace(/[\s$]/g, "");
    if (decimalMark === "." && /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(value)) value = value.split(",").join("");
    if (!value || !/^-?[0-9][0-9.,]*$/.test(value)) return 0;
    const dots = (value.match(/\./g) || []).length;
    const commas = (value.match(/,/g) || []).length;
    if (dots && commas) {
      const decimal = value.lastIndexOf(".") > value.lastIndexOf(",") ? "." : ",";
      value = value.split(decimal === "." ? "," : ".").join("").replace(decimal, ".");
    } else if (commas === 1) {
      value = value.replace(",", ".");
    } else if (dots > 1 || /\.\d{3}$/.test(value)) {
      value = value.split(".").join("");
    }
    const number = Number(value);
    return Number.isFinite(number) ? Math.round(number * 100) : 0;
  }

  function cents(side) {
    return [...body.querySelectorAll(`[data-line]:not([hidden]) [data-amount=${side}]`)]
      .reduce((sum, input) => sum + parseAmount(input.value), 0);
  }

  function recompute() {
    const debit = cents("debit");
    const credit = cents("credit");
    form.querySelector("[data-total=debit]").textContent = money.format(debit / 100);
    form.querySelector("[data-total=credit]").textContent = money.format(credit / 100);
    const difference = form.querySelector("[data-difference]");
    difference.textContent = money.format(Math.abs(debit - credit) / 100);
    difference.classList.toggle("balanced", debit === credit && debit > 0);
    difference.classList.toggle("unbalanced", debit !== credit);
    return debit - credit;
  }

  function addLine() {
    const index = Number(total.value);
    body.insertAdjacentHTML("beforeend", template.innerHTML.replaceAll("__prefix__", String(index)));
    total.value = String(index + 1);
    const line = body.lastElementChild;
    const difference = recompute();
    if (difference !== 0) {  // the new line carries what balances the comprobante
      const side = difference > 0 ? "credit" : "debit";
      line.querySelector(`[data-amount=${side}]`).value = money.format(Math.abs(difference) / 100);
      recompute();
    }
    line.querySelector("[data-field=account]").focus();
  }

  function fields() {
    return [...body.querySelectorAll("[data-line]:not([hidden]) input")];
  }

  const timers = new WeakMap();
  function suggest(input) {
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(async () => {
      const url = input.dataset.lookup === "account" ? form.dataset.accountLookup : form.dataset.thirdPartyLookup;
      const list = document.getElementById(input.getAttribute("list"));
      if (!input.value.trim()) return;
      const response = await fetch(`${url}?q=${encodeURIComponent(input.value.trim())}`, { headers: { "HX-Request": "true" } });
      if (response.ok) list.innerHTML = await response.text();
    }, 150));
  }

  form.addEventListener("input", (event) => {
    if (event.target.matches("[data-amount]")) recompute();
    if (event.target.matches("[data-lookup]")) suggest(event.target);
  });

  form.addEventListener("keydown", (event) => {
    const inLines = event.target.closest("[data-lines]");
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.querySelector("button[name=action][value=post]")?.click();
      return;
    }
    if (!inLines || event.target.tagName !== "INPUT") return;
    const all = fields();
    const last = all.indexOf(event.target) === all.length - 1;
    if (event.key === "Enter") {
      event.preventDefault();
      if (last) addLine();
      else all[all.indexOf(event.target) + 1].focus();
    } else if (event.key === "Tab" && !event.shiftKey && last) {
      event.preventDefault();
      addLine();
    }
  });

  form.addEventListener("click", (event) => {
    if (event.target.matches("[data-add-line]")) addLine();
    if (event.target.matches("[data-remove-line]")) {
      const line = event.target.closest("[data-line]");
      line.querySelectorAll("input").forEach((input) => { input.value = ""; });
      line.hidden = true;  // a blank line is ignored by the server
      recompute();
    }
  });

  recompute();
})();
