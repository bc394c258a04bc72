// The planner page ("Jaarplanning"): one enterprise, a list of applications,
// the yearly ceiling. It reads the form into a plan request (the contract of
// kmo_portefeuille.plan), asks the rekenhulp's engine (one worker, one
// Pyodide, also across instant navigation) and shows per application the
// verdict and per year the ceiling used and left. The whole plan lives in
// the URL query, with the contract's names (enterprise.fte,
// applications.0.cost, support_used.2026).
//
// Material's instant navigation runs this module once per page session;
// binding goes through document$ and is idempotent (one Planner per form).

import { engine } from "../rekenhulp/engine.js";
import { toContract, toDisplay, todayISO } from "../rekenhulp/format.js";
import { calendarText, deadlineEvents } from "../rekenhulp/ics.js";
import { fromCsv, toCsv } from "./csv.js";
import { download, el } from "../rekenhulp/dom.js";
import { LiveForm, bindEachPage } from "../rekenhulp/live-form.js";
import { themes } from "./themes.js";
import { applicationView, patterns, yearsView } from "./view.js";

engine();

const FORM_ID = "kmo-planner";
const MAX_APPS = 100;
const APP_KEYS = ["application_date", "start_date", "service", "theme", "cost", "cancelled_on"];
const ENTERPRISE_KEYS = ["fte", "turnover", "balance_sheet_total", "size"];
const APP_KEY = /^applications\.(\d+)\.(application_date|start_date|service|theme|cost|cancelled_on)$/;
const YEAR_KEY = /^support_used\.(\d{4})$/;
const SERVICE_WORDS = { training: "opleiding", advice: "advies" };

let current = null;

/** The plan request as URL query: dots for nesting, the contract's names. */
function toQuery(request) {
  const params = new URLSearchParams();
  for (const key of ENTERPRISE_KEYS) {
    if (request.enterprise[key] !== undefined) params.append(`enterprise.${key}`, request.enterprise[key]);
  }
  for (const [year, value] of Object.entries(request.support_used || {})) {
    params.append(`support_used.${year}`, value);
  }
  request.applications.forEach((app, index) => {
    for (const key of APP_KEYS) {
      if (app[key] !== undefined) params.append(`applications.${index}.${key}`, app[key]);
    }
  });
  return params;
}

class Planner extends LiveForm {
  constructor(form) {
    super();
    this.form = form;
    this.root = form.closest(".kmo-pl");
    this.part = (name) => this.root.querySelector(`[data-kmo="${name}"]`);
    this.list = this.part("apps");
    this.supportUsed = new Map(); // year -> what was typed (kept when its year has no application for a while)
    this.touched = new Set();
    this.seq = 0;
    this.timer = null;
    this.response = null;

    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("input", (event) => this.onInput(event));
    form.addEventListener("change", (event) => {
      this.touch(event.target);
      this.schedule();
    });
    form.addEventListener("focusout", (event) => {
      if (this.touch(event.target)) this.schedule();
    });
    this.root.addEventListener("click", (event) => this.onClick(event));
    this.root.querySelector("#kmo-pl-import").addEventListener("change", (event) => this.importCsv(event.target));
    this.root.prepend(patterns(el));

    this.fill(new URLSearchParams(location.search));
    this.update();
  }

  // -- fields ----------------------------------------------------------------

  onInput(event) {
    const match = YEAR_KEY.exec(event.target.name || "");
    if (match) this.supportUsed.set(match[1], event.target.value);
    this.schedule();
  }

  touch(target) {
    const name = target && target.name;
    if (!name || this.touched.has(name)) return false;
    this.touched.add(name);
    return true;
  }

  apps() {
    return [...this.list.children];
  }

  control(app, key) {
    return app.querySelector(`[data-key="${key}"] input, [data-key="${key}"] select`);
  }

  /** A new application, filled with `values` (contract values) or with today and the last theme. */
  addApp(values = null) {
    if (this.list.children.length >= MAX_APPS) return null;
    const previous = this.apps().at(-1);
    this.list.append(this.form.ownerDocument.getElementById("kmo-pl-app").content.cloneNode(true));
    const app = this.list.lastElementChild;
    const today = todayISO();
    const start = values || {
      application_date: today, start_date: today,
      service: previous ? this.control(previous, "service").value : "training",
      theme: previous ? this.control(previous, "theme").value : "",
    };
    for (const key of APP_KEYS) {
      const control = this.control(app, key);
      const raw = start[key];
      if (raw === undefined || raw === null) continue;
      if (control instanceof HTMLSelectElement) {
        if ([...control.options].some((option) => option.value === raw)) control.value = raw;
      } else {
        control.value = control.dataset.kind === "date" ? raw : toDisplay(raw, control.dataset.kind);
      }
    }
    this.renumber();
    return app;
  }

  /** Give every application its contract names, ids, labels, legend and button texts. */
  renumber() {
    const apps = this.apps();
    // What was touched follows its application (its names change with the order).
    for (const app of apps) {
      const keys = new Set((app.dataset.touched || "").split(" ").filter(Boolean));
      for (const key of APP_KEYS) {
        const control = this.control(app, key);
        if (control.name && this.touched.has(control.name)) keys.add(key);
      }
      app.dataset.touched = [...keys].join(" ");
    }
    for (const name of [...this.touched]) {
      if (name.startsWith("applications.")) this.touched.delete(name);
    }
    apps.forEach((app, index) => {
      const number = index + 1;
      app.querySelector('[data-kmo="app-legend"]').textContent = `Aanvraag ${number}`;
      for (const key of APP_KEYS) {
        const name = `applications.${index}.${key}`;
        const id = "kmo-p-" + name.replace(/\./g, "-");
        const wrapper = app.querySelector(`[data-key="${key}"]`);
        const control = this.control(app, key);
        control.name = name;
        control.id = id;
        wrapper.dataset.field = name;
        wrapper.querySelector("label").htmlFor = id;
        wrapper.querySelector(".kmo-rh__error").id = `${id}-error`;
      }
      for (const key of (app.dataset.touched || "").split(" ").filter(Boolean)) {
        this.touched.add(`applications.${index}.${key}`);
      }
      const buttons = { up: "naar boven", down: "naar beneden", remove: "verwijderen" };
      for (const [action, words] of Object.entries(buttons)) {
        app.querySelector(`[data-action="${action}"]`).textContent = `Aanvraag ${number} ${words}`;
      }
      app.querySelector('[data-action="up"]').disabled = index === 0;
      app.querySelector('[data-action="down"]').disabled = index === apps.length - 1;
      app.querySelector('[data-action="remove"]').disabled = apps.length === 1;
    });
  }

  /** The support-used fields: one per year of the applications (and per year that holds a value). */
  renderSupportUsed(years) {
    const box = this.part("support-used");
    const wanted = [...new Set([...years, ...[...this.supportUsed].filter(([, v]) => v.trim()).map(([y]) => y)])].sort();
    const have = [...box.children].map((node) => node.dataset.year);
    if (wanted.join() === have.join()) return;
    const existing = new Map([...box.children].map((node) => [node.dataset.year, node]));
    box.replaceChildren(...wanted.map((year) => existing.get(year) || this.supportUsedField(year)));
  }

  supportUsedField(year) {
    const name = `support_used.${year}`;
    const id = `kmo-p-support_used-${year}`;
    return el("div", { class: "kmo-rh__field", "data-field": name, "data-year": year },
      el("label", { for: id, text: `Steun al gekregen in ${year}, in euro` }),
      el("input", {
        id, name, type: "text", inputmode: "decimal", autocomplete: "off", spellcheck: "false",
        "data-kind": "amount", value: this.supportUsed.get(year) || "",
      }),
      el("p", { class: "kmo-rh__error", id: `${id}-error`, hidden: true }));
  }

  /** Fill the form from a URL query (a link holds the whole plan); without one: one application. */
  fill(params) {
    const apps = [];
    for (const [key, value] of params) {
      const match = APP_KEY.exec(key);
      const year = YEAR_KEY.exec(key);
      if (match && Number(match[1]) < MAX_APPS) {
        (apps[Number(match[1])] ||= {})[match[2]] = value;
      } else if (year) {
        this.supportUsed.set(year[1], toDisplay(value, "amount"));
      } else if (key.startsWith("enterprise.") && ENTERPRISE_KEYS.includes(key.slice(11))) {
        const control = this.form.elements.namedItem(key);
        if (control instanceof HTMLSelectElement) {
          if ([...control.options].some((option) => option.value === value)) control.value = value;
        } else if (control) {
          control.value = toDisplay(value, control.dataset.kind);
        }
        this.touched.add(key);
      }
    }
    const given = apps.filter(Boolean);
    if (given.length) {
      for (const values of given) {
        this.addApp(values).dataset.touched = APP_KEYS.join(" "); // a link's fields count as filled in
      }
      this.renumber();
    } else {
      this.addApp();
    }
  }

  /** The form as a plan request (decimal strings; empty fields left out). */
  request() {
    const text = (control) => toContract(control.value, control.dataset.kind);
    const enterprise = {};
    for (const key of ENTERPRISE_KEYS) {
      const control = this.form.elements.namedItem(`enterprise.${key}`);
      const value = control instanceof HTMLSelectElement ? control.value : text(control);
      if (value !== "") enterprise[key] = value;
    }
    const applications = this.apps().map((app) => {
      const out = {};
      for (const key of APP_KEYS) {
        const control = this.control(app, key);
        const value = control instanceof HTMLSelectElement || control.type === "date" ? control.value : text(control);
        if (value !== "") out[key] = value;
      }
      return out;
    });
    const years = applications.map((app) => String(app.application_date || "").slice(0, 4)).filter((y) => /^\d{4}$/.test(y));
    this.renderSupportUsed(years);
    const support_used = {};
    for (const input of this.part("support-used").querySelectorAll("input")) {
      const value = toContract(input.value, "amount");
      if (value !== "") support_used[input.closest("[data-year]").dataset.year] = value;
    }
    const request = { enterprise, applications };
    if (Object.keys(support_used).length) request.support_used = support_used;
    return request;
  }

  linkFor(request) {
    const query = toQuery(request).toString();
    return this.pageLink(query);
  }

  // -- updating --------------------------------------------------------------

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
    let response;
    try {
      response = await api.plan(request);
    } catch (error) {
      response = api.state.phase === "failed"
        ? { errors: [{ field: "", message: "De rekenhulp kon niet starten. Laad de pagina opnieuw; wat je invulde, staat in het webadres." }] }
        : { errors: [{ field: "", message: `De berekening mislukte: ${error.message}` }] };
    }
    if (seq !== this.seq || !this.form.isConnected) return;
    this.part("status").hidden = true;
    this.render(request, response);
    if (this.timer === null) this.busy(false);
  }

  render(request, response) {
    this.clearErrors();
    if (response.errors) {
      this.response = null;
      this.renderErrors(response.errors);
      return;
    }
    this.response = { request, response };
    this.part("summary").replaceChildren();
    this.apps().forEach((app, index) => {
      app.querySelector('[data-kmo="app-result"]').replaceChildren(...applicationView(response.applications[index], el));
    });
    this.part("years").replaceChildren(...yearsView(response, request.applications, el));
  }

  clearErrors() {
    for (const node of this.form.querySelectorAll(".kmo-rh__error")) {
      node.hidden = true;
      node.textContent = "";
    }
    for (const control of this.form.querySelectorAll("[aria-invalid]")) {
      control.removeAttribute("aria-invalid");
      const ids = (control.getAttribute("aria-describedby") || "").split(/\s+/).filter((id) => id && !id.endsWith("-error"));
      if (ids.length) control.setAttribute("aria-describedby", ids.join(" "));
      else control.removeAttribute("aria-describedby");
    }
  }

  /** Python's errors at their fields (applications.N.field, enterprise.fte, support_used.2026), in a summary too. */
  renderErrors(errors) {
    const shown = [];
    const waiting = [];
    for (const error of errors) {
      const control = error.field ? this.form.elements.namedItem(error.field) : null;
      const group = error.field ? this.form.querySelector(`[data-field="${CSS.escape(error.field)}"]`) : null;
      const message = control && control.id ? document.getElementById(`${control.id}-error`)
        : document.getElementById(`kmo-p-${error.field.split(".")[0]}-error`);
      const label = this.labelOf(error.field, control, group);
      const entry = { ...error, label, focus: control && control.id ? control.id : null };
      if (control && !(control instanceof RadioNodeList) && String(control.value).trim() === "" && !this.touched.has(error.field)) {
        waiting.push(entry);
        continue;
      }
      shown.push(entry);
      if (message) {
        message.textContent = message.textContent ? `${message.textContent} ${error.message}` : error.message;
        message.hidden = false;
      }
      if (control && control.setAttribute && message) {
        control.setAttribute("aria-invalid", "true");
        control.setAttribute("aria-describedby",
          [(control.getAttribute("aria-describedby") || ""), message.id].join(" ").trim());
      }
    }
    const list = (entries) => el("ul", {}, entries.map((entry) => {
      const text = entry.label ? `${entry.label}: ${entry.message}` : entry.message;
      return entry.focus ? el("li", {}, el("a", { href: `#${entry.focus}`, "data-focus": entry.focus, text })) : el("li", { text });
    }));
    const parts = [];
    if (shown.length) parts.push(el("div", { class: "kmo-rh__summary kmo-rh__summary--errors" }, el("h3", { text: "Kijk dit na" }), list(shown)));
    if (waiting.length) parts.push(el("div", { class: "kmo-rh__summary" }, el("h3", { text: "Nog in te vullen" }), list(waiting)));
    this.part("summary").replaceChildren(...parts);
    this.part("years").replaceChildren();
    for (const app of this.apps()) {
      app.querySelector('[data-kmo="app-result"]').replaceChildren();
    }
  }

  labelOf(field, control, group) {
    const match = /^applications\.(\d+)\./.exec(field || "");
    const prefix = match ? `Aanvraag ${Number(match[1]) + 1}, ` : "";
    if (control && control.labels && control.labels.length) {
      const text = control.labels[0].textContent.trim();
      return prefix + (prefix ? text.charAt(0).toLowerCase() + text.slice(1) : text);
    }
    const legend = group && group.querySelector("legend");
    return legend ? legend.textContent.trim() : "";
  }

  // -- buttons ---------------------------------------------------------------

  onClick(event) {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const focusLink = target.closest("a[data-focus]");
    if (focusLink) {
      event.preventDefault();
      event.stopPropagation();
      const control = document.getElementById(focusLink.dataset.focus);
      if (control) {
        control.focus();
        control.scrollIntoView({ block: "center" });
      }
      return;
    }
    const button = target.closest("button[data-action]");
    if (!button) return;
    const app = button.closest('[data-kmo="app"]');
    const action = button.dataset.action;
    if (action === "add") {
      const added = this.addApp();
      if (added) this.control(added, "application_date").focus();
    } else if (action === "up" || action === "down") {
      const other = action === "up" ? app.previousElementSibling : app.nextElementSibling;
      if (!other) return;
      if (action === "up") this.list.insertBefore(app, other);
      else this.list.insertBefore(other, app);
      this.renumber();
      const again = app.querySelector(`[data-action="${action}"]`);
      (again.disabled ? app.querySelector(`[data-action="${action === "up" ? "down" : "up"}"]`) : again).focus();
    } else if (action === "remove") {
      const index = this.apps().indexOf(app);
      app.remove();
      this.renumber();
      const next = this.apps()[index] || this.apps()[index - 1];
      (next ? this.control(next, "application_date") : this.root.querySelector('[data-action="add"]')).focus();
    } else if (action === "copy-link") {
      this.copyLink();
      return;
    } else if (action === "print") {
      window.print();
      return;
    } else if (action === "export-csv") {
      download(toCsv(this.request().applications), "jaarplanning-kmo-portefeuille.csv", "text/csv;charset=utf-8");
      return;
    } else if (action === "export-ics") {
      this.exportIcs();
      return;
    } else {
      return;
    }
    this.schedule();
  }

  exportIcs() {
    const status = this.part("copy-status");
    if (!this.response) {
      status.textContent = "Eerst moet de planning kloppen: kijk de aanvragen na.";
      return;
    }
    const { request, response } = this.response;
    const url = this.linkFor(request);
    const events = response.applications.flatMap((r, index) => {
      if (r.cancelled || !r.eligible) return [];
      const app = request.applications[index];
      const theme = (themes().find(([code]) => code === app.theme) || ["", app.theme])[1];
      const title = `aanvraag ${index + 1} (${SERVICE_WORDS[app.service] || app.service}, ${theme.toLowerCase()})`;
      return deadlineEvents(r, { title, url, key: `plan-${index + 1}-${app.application_date}` });
    });
    if (!events.length) {
      status.textContent = "Geen termijnen: geen enkele aanvraag komt in aanmerking.";
      return;
    }
    download(calendarText(events), "kmo-portefeuille-termijnen.ics", "text/calendar;charset=utf-8");
    status.textContent = `${events.length} termijnen staan in het bestand; open het met je agenda.`;
  }

  async importCsv(input) {
    const file = input.files && input.files[0];
    const status = this.part("import-status");
    if (!file) return;
    let text;
    try {
      text = await file.text();
    } catch {
      status.replaceChildren(el("p", { text: "Het bestand kon niet gelezen worden." }));
      return;
    }
    const { applications, errors } = fromCsv(text);
    const parts = [];
    if (applications.length) {
      for (const app of this.apps()) app.remove();
      for (const name of [...this.touched]) {
        if (name.startsWith("applications.")) this.touched.delete(name);
      }
      for (const values of applications.slice(0, MAX_APPS)) {
        this.addApp(values).dataset.touched = APP_KEYS.join(" ");
      }
      this.renumber();
      parts.push(el("p", { text: `${applications.length === 1 ? "1 aanvraag" : `${applications.length} aanvragen`} ingelezen uit ${file.name}.` }));
      this.schedule();
    }
    if (errors.length) {
      parts.push(el("div", { class: "kmo-rh__summary kmo-rh__summary--errors" },
        el("h3", { text: applications.length ? "Niet alles kon ingelezen worden" : "Niets ingelezen" }),
        el("ul", {}, errors.map((message) => el("li", { text: message })))));
    }
    status.replaceChildren(...parts);
    input.value = "";
  }
}

engine().addEventListener("change", () => {
  const state = engine().state;
  if (current && current.form.isConnected && state.phase === "failed") {
    current.part("status").hidden = false;
    current.part("status").textContent = "De rekenhulp kon niet starten. Laad de pagina opnieuw; wat je invulde, staat in het webadres.";
    current.busy(false);
  }
});

bindEachPage(FORM_ID, (form) => {
  current = new Planner(form);
});
