// The page for providers ("Voor dienstverleners"): one price, service, theme
// and date; a table of what a small and a medium enterprise pay with the
// kmo-portefeuille, each computed by kmo_portefeuille.estimate through the
// rekenhulp's engine (one worker, one Pyodide), with a fixed size
// (enterprise.size) and vat_deductible for the net cost. The form lives in
// the URL query with the contract's names (cost, catering.days, ...).
//
// Bound through document$ (Material's instant navigation), idempotently.

import { engine } from "../rekenhulp/engine.js";
import { formatAmount, formatDate, formatPercent, toContract, toDisplay, todayISO } from "../rekenhulp/format.js";
import { el } from "../rekenhulp/dom.js";
import { LiveForm, bindEachPage } from "../rekenhulp/live-form.js";

engine();

const FORM_ID = "kmo-providers";
const KEYS = ["service", "theme", "application_date", "cost", "vat_rate",
  "catering.participants", "catering.days", "catering.per_person_per_day"];
const SIZES = [["small", "Kleine onderneming", "een kleine onderneming"], ["medium", "Middelgrote onderneming", "een middelgrote onderneming"]];
const SERVICE_WORDS = { training: "deze opleiding", advice: "dit advies" };

let current = null;

class Providers extends LiveForm {
  constructor(form) {
    super();
    this.form = form;
    this.root = form.closest(".kmo-pl");
    this.part = (name) => this.root.querySelector(`[data-kmo="${name}"]`);
    this.seq = 0;
    this.timer = null;
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("input", () => this.schedule());
    form.addEventListener("change", () => this.schedule());
    this.root.addEventListener("click", (event) => this.onClick(event));
    this.fill(new URLSearchParams(location.search));
    this.update();
  }

  control(name) {
    return this.form.elements.namedItem(name);
  }

  fill(params) {
    for (const key of KEYS) {
      const raw = params.get(key);
      const control = this.control(key);
      if (raw === null || !control) continue;
      if (control instanceof HTMLSelectElement) {
        if ([...control.options].some((option) => option.value === raw)) control.value = raw;
      } else {
        control.value = control.dataset.kind === "date" ? raw : toDisplay(raw, control.dataset.kind);
      }
    }
    if (!this.control("application_date").value) this.control("application_date").value = todayISO();
    if (![...params.keys()].some((key) => KEYS.includes(key))) this.control("cost").value = "1.000"; // an example price
  }

  /** The request of the form, without the enterprise (the table adds one per size). */
  request() {
    const request = {};
    for (const key of KEYS) {
      const control = this.control(key);
      const value = control instanceof HTMLSelectElement || control.type === "date"
        ? control.value : toContract(control.value, control.dataset.kind);
      if (value === "") continue;
      if (key.startsWith("catering.")) (request.catering ||= {})[key.slice(9)] = value;
      else request[key] = value;
    }
    // The provider states the price; the start is the day of the application.
    if (request.application_date) request.start_date = request.application_date;
    return request;
  }

  linkFor(request) {
    const params = new URLSearchParams();
    for (const key of KEYS) {
      const value = key.startsWith("catering.") ? (request.catering || {})[key.slice(9)] : request[key];
      if (value !== undefined) params.append(key, value);
    }
    const query = params.toString();
    return this.pageLink(query);
  }

  async update() {
    clearTimeout(this.timer);
    this.timer = null;
    if (!this.form.isConnected) return;
    const request = this.request();
    const link = this.linkFor(request);
    if (link !== location.href) history.replaceState(history.state, "", link);
    this.busy(true);
    const seq = ++this.seq;
    const api = engine();
    let answers;
    try {
      answers = await Promise.all(SIZES.map(([size]) => api.estimate(
        { ...request, enterprise: { size }, vat_deductible: true })));
    } catch (error) {
      answers = [{ errors: [{ field: "", message: api.state.phase === "failed"
        ? "De rekenhulp kon niet starten. Laad de pagina opnieuw; wat je invulde, staat in het webadres."
        : `De berekening mislukte: ${error.message}` }] }];
    }
    if (seq !== this.seq || !this.form.isConnected) return;
    this.part("status").hidden = true;
    this.render(request, answers);
    if (this.timer === null) this.busy(false);
  }

  clearErrors() {
    for (const node of this.form.querySelectorAll(".kmo-rh__error")) {
      node.hidden = true;
      node.textContent = "";
    }
    for (const control of this.form.querySelectorAll("[aria-invalid]")) {
      control.removeAttribute("aria-invalid");
    }
  }

  render(request, answers) {
    this.clearErrors();
    const output = this.part("output");
    const failed = answers.find((answer) => answer.errors);
    if (failed) {
      const items = [];
      for (const error of failed.errors) {
        const control = error.field ? this.control(error.field) : null;
        const message = document.getElementById(`kmo-p-${(control ? error.field : error.field.split(".")[0]).replace(/\./g, "-")}-error`);
        if (message) {
          message.textContent = error.message;
          message.hidden = false;
        }
        if (control && control.setAttribute) control.setAttribute("aria-invalid", "true");
        const label = control && control.labels && control.labels.length ? `${control.labels[0].textContent.trim()}: ` : "";
        items.push(el("li", { text: label + error.message }));
      }
      output.replaceChildren(el("div", { class: "kmo-rh__summary kmo-rh__summary--errors" },
        el("h3", { text: "Kijk dit na" }), el("ul", {}, items)));
      return;
    }
    output.replaceChildren(...this.table(request, answers));
  }

  /** The table (one column per size) and the sentences for a price list. */
  table(request, answers) {
    const rows = [
      ["invoice_total", "Je factuur, met btw"],
      ["support", "Steun van de kmo-portefeuille"],
      ["own_share", "Eigen aandeel (gestort in de kmo-portefeuille)"],
      ["vat", "Btw (rechtstreeks aan jou)"],
    ];
    if (answers.some((r) => r.non_eligible !== "0.00")) {
      rows.push(["non_eligible", "Catering boven het maximum (rechtstreeks aan jou)"]);
    }
    rows.push(["total_outlay", "Wat de klant in totaal betaalt"], ["net_cost", "Nettokost als de klant de btw aftrekt"]);
    const cell = (r, key) => el("td", { "data-size": r.size, "data-result": key, "data-value": r[key] },
      r.eligible ? formatAmount(r[key]) : "—");
    const table = el("table", { class: "kmo-pl__table" },
      el("caption", { text: `Voor een aanvraag op ${formatDate(request.application_date)}` }),
      el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Bedrag" }),
        SIZES.map(([, label]) => el("th", { scope: "col", text: label })))),
      el("tbody", {},
        el("tr", {}, el("th", { scope: "row", text: "Steunpercentage" }),
          answers.map((r) => el("td", { "data-size": r.size, "data-result": "rate", "data-value": r.rate },
            r.eligible ? formatPercent(r.rate) : "geen steun"))),
        rows.map(([key, label]) => el("tr", {}, el("th", { scope: "row", text: label }), answers.map((r) => cell(r, key))))));
    const what = SERVICE_WORDS[request.service] || "deze dienst";
    const sentences = answers.map((r, index) => {
      const who = SIZES[index][2];
      if (!r.eligible) {
        return el("p", { "data-size": r.size }, `Voor ${what} krijgt ${who} geen steun: `,
          r.reasons.map((reason) => reason.message).join(" "));
      }
      return el("p", { "data-size": r.size, class: "kmo-pl__sentence" },
        `Met de kmo-portefeuille betaalt ${who} voor ${what} ${formatAmount(r.total_outlay)} in plaats van `
        + `${formatAmount(r.invoice_total)}, btw inbegrepen; trekt ze de btw af, dan kost het haar `
        + `${formatAmount(r.net_cost)}.`);
    });
    const note = el("p", { class: "kmo-rh__about" },
      "Zolang je klant in aanmerking komt en dat jaar nog genoeg over heeft van het jaarplafond ",
      `(${formatAmount(answers[0].ceiling)} per kalenderjaar). De btw wordt nooit gesubsidieerd.`);
    return [table, ...sentences, note];
  }

  onClick(event) {
    const button = event.target instanceof Element ? event.target.closest("button[data-action]") : null;
    if (!button) return;
    if (button.dataset.action === "print") {
      window.print();
    } else if (button.dataset.action === "copy-link") {
      this.copyLink();
    }
  }
}

engine().addEventListener("change", () => {
  if (current && current.form.isConnected && engine().state.phase === "failed") {
    current.part("status").hidden = false;
    current.part("status").textContent = "De rekenhulp kon niet starten. Laad de pagina opnieuw.";
    current.busy(false);
  }
});

bindEachPage(FORM_ID, (form) => {
  current = new Providers(form);
});
