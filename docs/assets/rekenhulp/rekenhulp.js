// The rekenhulp page: reads the form into a request (the contract of
// kmo_portefeuille), asks the engine (one worker, one Pyodide) for the
// estimate and shows it. The form state lives in the URL query, with the
// contract's field names. The "Voorwaarden" group is conditions.js's, the
// phone's compact summary summary.js's.
//
// Material's instant navigation runs this module once per page session;
// binding goes through document$ and is idempotent (one binding per form
// element: a new visit brings a new form).

import { CONDITION_KEYS, Conditions, conditionMessage, fillConditions, forgetUnknown, readConditions, keepUnknown } from "./conditions.js";
import { el } from "./dom.js";
import { download } from "./download.js";
import { engine } from "./engine.js";
import { LiveForm, bindEachPage } from "./live-form.js";
import { calendarText, deadlineEvents } from "./ics.js";
import { formatPercent, toContract, toDisplay, todayISO } from "./format.js";
import { Summary } from "./summary.js";
import { resultView, stepsView } from "./view.js";

// Start the worker (and so the runtime downloads) before anything else.
engine();

const FORM_ID = "kmo-rekenhulp";
const MAX_RELATED = 100;
const RELATED_FIELDS = ["relation", "share", "fte", "turnover", "balance_sheet_total"];
const RELATED_KEY = /^enterprise\.related\.(\d+)\.(relation|share|fte|turnover|balance_sheet_total)$/;
/** Keys the URL query may carry (besides enterprise.related.N.*), in the order links use. */
const KEYS = [
  "application_date", "start_date", "service", "theme", "registered_provider",
  "enterprise.size", "enterprise.fte", "enterprise.turnover", "enterprise.balance_sheet_total",
  "cost", "vat_rate", "catering.participants", "catering.days", "catering.per_person_per_day",
  "support_used_this_year", "werkbaar_werk", "vat_deductible",
];
const FAILURES = {
  webassembly: "Je browser kan de rekenhulp niet uitvoeren: hij ondersteunt geen WebAssembly (of het staat uit).",
  download: "De rekenhulp kon niet geladen worden: een bestand kwam niet door.",
  http: "De rekenhulp kon niet geladen worden: de server gaf een fout voor een van zijn bestanden.",
  stall: "De rekenhulp kon niet geladen worden: de download viel stil.",
  offline: "Je bent offline, en de rekenhulp is nog niet op dit toestel bewaard.",
  timeout: "De rekenhulp startte niet op tijd: het laden stond te lang stil.",
  python: "De rekenhulp kon niet starten.",
};
const FAILURE_ADVICE = {
  webassembly: "Probeer een recente versie van Firefox, Chrome, Edge of Safari.",
  download: "Kijk je internetverbinding na en laad de pagina opnieuw; wat je invulde, blijft staan.",
  http: "Dat ligt niet aan je internetverbinding. Probeer het later opnieuw; wat je invulde, blijft staan.",
  stall: "Je verbinding is misschien onderbroken. Laad de pagina opnieuw; wat je invulde, blijft staan.",
  offline: "Open de rekenhulp een keer met internet; daarna werkt hij ook zonder.",
  timeout: "Laad de pagina opnieuw; wat je invulde, blijft staan.",
  python: "Laad de pagina opnieuw; wat je invulde, blijft staan.",
};
/**
 * Megabytes, Dutch style: "1,2" (the runtime is far below 1.000 MB, so no
 * thousands separator). Not toLocaleString: its first call loads the
 * locale's data, ~15 ms on a fast machine and a long task on a phone, in
 * the middle of the start-up.
 */
const MB = (bytes) => (bytes / 1e6).toFixed(1).replace(".", ",");

let current = null; // the Calculator of the form on screen

// --------------------------------------------------------------------------
// Small DOM helpers
// --------------------------------------------------------------------------

function idFor(name) {
  return "kmo-f-" + name.replace(/\./g, "-");
}

function siteRoot() {
  return new URL("../../", import.meta.url);
}

// --------------------------------------------------------------------------
// Form <-> request <-> URL query
// --------------------------------------------------------------------------

function flatten(value, prefix, out) {
  if (Array.isArray(value)) {
    value.forEach((item, index) => flatten(item, `${prefix}.${index}`, out));
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      flatten(item, prefix ? `${prefix}.${key}` : key, out);
    }
  } else {
    out.append(prefix, String(value));
  }
  return out;
}

/** JSON text with the keys of every object sorted: two requests compare equal whatever their key order. */
function canonical(value) {
  return JSON.stringify(value, (key, item) => (item && typeof item === "object" && !Array.isArray(item)
    ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : item));
}

/** The request as URL query (contract names, dots for nesting). */
function requestToQuery(request) {
  return flatten(request, "", new URLSearchParams());
}

/**
 * Whether a link on screen goes where a new one would. Material's instant
 * navigation made the page's relative links absolute ("#x" became
 * ".../rekenhulp/#x", without the query the form puts in the address).
 */
function sameHref(shown, fresh) {
  const value = fresh.getAttribute("href");
  if (value === shown.getAttribute("href")) {
    return true;
  }
  return value.startsWith("#") && shown.hash === value
    && shown.origin === location.origin && shown.pathname === location.pathname;
}

/** Whether a node on screen (a) shows the same as a new one (b): isEqualNode, links by sameHref. */
function sameNode(a, b) {
  if (a.nodeType !== b.nodeType) {
    return false;
  }
  if (a.nodeType !== Node.ELEMENT_NODE) {
    return a.isEqualNode(b);
  }
  if (a.tagName !== b.tagName || a.attributes.length !== b.attributes.length
      || a.childNodes.length !== b.childNodes.length) {
    return false;
  }
  for (const { name, value } of a.attributes) {
    const same = name === "href" && a instanceof HTMLAnchorElement && b.hasAttribute("href")
      ? sameHref(a, b) : value === b.getAttribute(name);
    if (!same) {
      return false;
    }
  }
  return [...a.childNodes].every((child, index) => sameNode(child, b.childNodes[index]));
}

/**
 * Put ``nodes`` in ``parent``, unless it shows the same already: the
 * estimate computed at build time, when Python's first answer is the same
 * (the example the form opens with). New nodes would be styled, shaped and
 * laid out again, a long task on a phone, for nothing that changes on
 * screen; only the build-time note ("Voorlopig: ...") goes.
 */
function showNodes(parent, nodes) {
  const shown = [...parent.children].filter((node) => !node.classList.contains("kmo-rh__prerendered"));
  nodes.forEach((node) => node.normalize()); // one text node where el() appended several, as parsed HTML has
  if (nodes.length && shown.length === nodes.length && shown.every((node, index) => sameNode(node, nodes[index]))) {
    for (const note of [...parent.children].filter((node) => node.classList.contains("kmo-rh__prerendered"))) {
      note.remove();
    }
    return;
  }
  parent.replaceChildren(...nodes);
}

class Calculator extends LiveForm {
  constructor(form) {
    super();
    this.form = form;
    this.root = form.closest(".kmo-rh");
    this.part = (name) => this.root.querySelector(`[data-kmo="${name}"]`);
    this.touched = new Set();
    // Values from the link that a date field or a checkbox cannot hold
    // ("gisteren", "2024-02-30", registered_provider=1): sent as they are, so
    // the rules package's message stands at the field, until the field changes.
    this.linkRaw = new Map();
    this.seq = 0;
    this.timer = null;
    this.lastKey = null;
    this.conditions = new Conditions(form);
    this.summary = new Summary(this.root);

    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("keydown", (event) => {
      // Material reads single keys on a focused radio button as shortcuts
      // ("n"/"p": next/previous page, "s": search); in the form they are not.
      if (event.target instanceof HTMLInputElement && event.target.type === "radio"
          && event.key.length === 1 && !event.ctrlKey && !event.metaKey) {
        event.stopPropagation();
      }
    });
    form.addEventListener("input", () => this.schedule());
    form.addEventListener("change", (event) => {
      this.linkRaw.delete(event.target && event.target.name);
      this.touch(event.target);
      this.schedule();
    });
    form.addEventListener("focusout", (event) => {
      if (this.touch(event.target)) {
        this.schedule();
      }
    });
    this.root.addEventListener("click", (event) => this.onClick(event));

    this.fill(new URLSearchParams(location.search));
    this.renderStatus();
    this.update();
  }

  // -- fields -------------------------------------------------------------

  control(name) {
    return this.form.elements.namedItem(name);
  }

  value(name) {
    const control = this.control(name);
    if (!control) {
      return "";
    }
    if (control instanceof HTMLInputElement && control.type === "checkbox") {
      return control.checked;
    }
    return String(control.value ?? "").trim();
  }

  touch(target) {
    const name = target && target.name;
    if (!name || this.touched.has(name)) {
      return false;
    }
    this.touched.add(name);
    return true;
  }

  relatedRows() {
    return [...this.part("related-list").children];
  }

  addRelated() {
    const list = this.part("related-list");
    if (list.children.length >= MAX_RELATED) {
      return null;
    }
    const template = this.form.querySelector("#kmo-related-row");
    list.append(template.content.cloneNode(true));
    this.renumber();
    return list.lastElementChild;
  }

  removeRelated(row) {
    const rows = this.relatedRows();
    const index = rows.indexOf(row);
    row.remove();
    for (const name of [...this.touched]) {
      if (name.startsWith("enterprise.related.")) {
        this.touched.delete(name);
      }
    }
    this.renumber();
    const next = this.relatedRows()[index] || this.relatedRows()[index - 1];
    const focus = next ? next.querySelector("select, input") : this.root.querySelector('[data-action="add-related"]');
    focus.focus();
  }

  /** Give every related row its contract names, ids, labels and legend. */
  renumber() {
    // At the limit "toevoegen" says why it adds nothing more.
    const full = this.relatedRows().length >= MAX_RELATED;
    const add = this.root.querySelector('[data-action="add-related"]');
    add.setAttribute("aria-disabled", String(full));
    this.part("related-full").hidden = !full;
    this.relatedRows().forEach((row, index) => {
      const number = index + 1;
      row.querySelector('[data-kmo="row-legend"]').textContent = `Onderneming ${number}`;
      const remove = row.querySelector('[data-action="remove-related"]');
      remove.textContent = `Onderneming ${number} verwijderen`;
      for (const suffix of row.querySelectorAll('[data-kmo="row-suffix"]')) {
        suffix.textContent = ` van onderneming ${number}`;
      }
      for (const key of RELATED_FIELDS) {
        const name = `enterprise.related.${index}.${key}`;
        const id = idFor(name);
        const control = row.querySelector(`[data-name="${key}"]`);
        control.name = name;
        control.id = id;
        row.querySelector(`[data-for="${key}"]`).htmlFor = id;
        const error = row.querySelector(`[data-error="${key}"]`);
        error.id = `${id}-error`;
        control.closest("[data-field]").dataset.field = name;
      }
    });
  }

  /**
   * Fill the form from a URL query: a link holds the whole form, so the
   * example the form opens with goes first. Without a query the example
   * stays. Dates left empty become today.
   */
  fill(params) {
    const today = todayISO();
    let linked = false;
    const indices = new Set();
    for (const key of params.keys()) {
      const match = RELATED_KEY.exec(key);
      if (match) {
        indices.add(match[1]);
      }
      linked = linked || Boolean(match) || KEYS.includes(key) || CONDITION_KEYS.includes(key);
    }
    if (linked) {
      this.blankExample();
    }
    // Row numbers in a link are compacted in their order (…related.7… and
    // …related.999999… become rows 1 and 2); beyond the limit, the page says so.
    const order = [...indices].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
    const kept = order.slice(0, MAX_RELATED);
    this.part("related-limit").hidden = order.length <= MAX_RELATED;
    const rows = kept.length - 1;
    for (let i = 0; i <= rows; i += 1) {
      this.addRelated();
    }
    const set = (name, raw) => {
      const control = this.control(name);
      if (!control || raw === null) {
        return;
      }
      // A value the form has no place for is kept, never replaced by a default.
      if (control instanceof RadioNodeList) {
        const option = [...control].find((input) => input.value === raw);
        if (option) {
          option.checked = true;
        } else {
          keepUnknown(this.form, name, raw, control);
        }
      } else if (control.type === "checkbox") {
        if (raw === "true" || raw === "false") {
          control.checked = raw === "true";
        } else {
          this.linkRaw.set(name, raw);
        }
      } else if (control instanceof HTMLSelectElement) {
        if ([...control.options].some((option) => option.value === raw)) {
          control.value = raw;
        } else if (name === "vat_rate" && /^(0(\.\d+)?|1(\.0+)?)$/.test(raw)) {
          control.append(el("option", { value: raw, text: formatPercent(raw) }));
          control.value = raw;
        } else {
          keepUnknown(this.form, name, raw, control);
        }
      } else if (control.dataset.kind === "date") {
        control.value = raw;
        if (control.value !== raw) {
          this.linkRaw.set(name, raw); // the date field cannot hold it
        }
      } else {
        control.value = toDisplay(raw, control.dataset.kind);
      }
      this.touched.add(name);
    };
    for (const key of KEYS) {
      set(key, params.get(key));
    }
    kept.forEach((index, row) => {
      for (const key of RELATED_FIELDS) {
        set(`enterprise.related.${row}.${key}`, params.get(`enterprise.related.${index}.${key}`));
      }
    });
    const conditions = fillConditions(this.form, params); // the Voorwaarden group (conditions.js)
    conditions.forEach((name) => this.touched.add(name));
    if (conditions.length) {
      this.conditions.open();
    }
    for (const name of ["application_date", "start_date"]) {
      if (!this.value(name) && !this.linkRaw.has(name)) {
        this.control(name).value = today;
      }
    }
  }

  /** Empty the fields that hold the example (marked data-example). */
  blankExample() {
    for (const control of this.form.querySelectorAll("[data-example]")) {
      control.value = "";
    }
  }

  /** "Begin met een leeg formulier": every field as it is without the example, dates today. */
  clear() {
    for (const row of this.relatedRows()) {
      row.remove();
    }
    forgetUnknown(this.form);
    this.conditions.close();
    this.form.reset();
    this.blankExample();
    this.touched.clear();
    this.linkRaw.clear();
    this.fill(new URLSearchParams());
    this.clearFieldErrors();
    this.update();
    this.form.querySelector("input:not([type=hidden]), select").focus();
  }

  /** The form as a request of the contract (amounts as decimal strings; defaults left out). */
  request() {
    const text = (name) => {
      const control = this.control(name);
      return control ? toContract(control.value, control.dataset.kind) : "";
    };
    const put = (object, key, value) => {
      if (value !== "" && value !== null && value !== undefined) {
        object[key] = value;
      }
    };
    const request = {};
    const raw = (name) => (this.linkRaw.has(name) ? this.linkRaw.get(name) : this.value(name));
    put(request, "application_date", raw("application_date"));
    put(request, "start_date", raw("start_date"));
    put(request, "service", this.value("service"));
    put(request, "theme", this.value("theme"));
    if (this.linkRaw.has("registered_provider")) {
      request.registered_provider = this.linkRaw.get("registered_provider");
    } else if (!this.value("registered_provider")) {
      request.registered_provider = false;
    }
    const enterprise = {};
    put(enterprise, "size", this.value("enterprise.size"));
    put(enterprise, "fte", text("enterprise.fte"));
    put(enterprise, "turnover", text("enterprise.turnover"));
    put(enterprise, "balance_sheet_total", text("enterprise.balance_sheet_total"));
    const related = this.relatedRows().map((row, index) => {
      const item = {};
      put(item, "relation", this.value(`enterprise.related.${index}.relation`));
      for (const key of RELATED_FIELDS.slice(1)) {
        put(item, key, text(`enterprise.related.${index}.${key}`));
      }
      return item;
    });
    if (related.length) {
      enterprise.related = related;
    }
    request.enterprise = enterprise;
    put(request, "cost", text("cost"));
    put(request, "vat_rate", this.value("vat_rate"));
    const catering = {};
    put(catering, "participants", text("catering.participants"));
    put(catering, "days", text("catering.days"));
    put(catering, "per_person_per_day", text("catering.per_person_per_day"));
    if (Object.keys(catering).length) {
      request.catering = catering;
    }
    put(request, "support_used_this_year", text("support_used_this_year"));
    if (this.linkRaw.has("werkbaar_werk")) {
      request.werkbaar_werk = this.linkRaw.get("werkbaar_werk");
    } else if (this.value("werkbaar_werk")) {
      request.werkbaar_werk = true;
    }
    if (this.linkRaw.has("vat_deductible")) {
      request.vat_deductible = this.linkRaw.get("vat_deductible");
    } else if (this.value("vat_deductible")) {
      request.vat_deductible = true;
    }
    return readConditions(this.form, request);
  }

  /** The planner ("Plan meer aanvragen dit jaar") with this application and this enterprise in its URL. */
  plannerLink(request) {
    const params = new URLSearchParams();
    const enterprise = request.enterprise || {};
    for (const key of ["fte", "turnover", "balance_sheet_total", "size"]) {
      if (typeof enterprise[key] === "string") params.append(`enterprise.${key}`, enterprise[key]);
    }
    const year = String(request.application_date || "").slice(0, 4);
    if (request.support_used_this_year && /^\d{4}$/.test(year)) {
      params.append(`support_used.${year}`, request.support_used_this_year);
    }
    for (const key of ["application_date", "start_date", "service", "theme", "cost"]) {
      if (typeof request[key] === "string" && request[key] !== "") params.append(`applications.0.${key}`, request[key]);
    }
    const url = new URL("planner/", siteRoot());
    url.search = params.toString();
    return url.href;
  }

  /** "Zet de termijnen in je agenda": the deadlines of the result on screen as an .ics file. */
  exportIcs() {
    const status = this.part("copy-status");
    if (!this.lastResult || !this.lastResult.eligible) {
      status.textContent = "Er zijn nog geen termijnen: eerst moet er een resultaat zijn dat in aanmerking komt.";
      return;
    }
    const request = this.request();
    const title = `${request.service === "advice" ? "advies" : "opleiding"} van ${request.application_date}`;
    const events = deadlineEvents(this.lastResult, { title, url: this.linkFor(request), key: `rekenhulp-${request.application_date}` });
    download(calendarText(events), "kmo-portefeuille-termijnen.ics", "text/calendar;charset=utf-8");
    status.textContent = "De termijnen staan in het bestand; open het met je agenda.";
  }

  linkFor(request) {
    const query = requestToQuery(request).toString();
    return this.pageLink(query);
  }

  // -- updating -------------------------------------------------------------

  async update() {
    clearTimeout(this.timer);
    this.timer = null;
    if (!this.form.isConnected) {
      return;
    }
    const request = this.request();
    const link = this.linkFor(request);
    if (link !== location.href) {
      history.replaceState(history.state, "", link);
    }
    this.part("plan-link").href = this.plannerLink(request);
    this.markEmpty();
    this.conditions.showCount();
    this.checkPrerendered();
    this.busy(true);
    const seq = ++this.seq;
    const api = engine();
    let response;
    try {
      // Sent at once, also while Python boots: the worker answers it as soon
      // as it is ready.
      response = await api.estimate(request);
    } catch (error) {
      if (api.state.phase === "failed") {
        if (seq === this.seq && this.timer === null) {
          this.busy(false);
        }
        return; // the failure message is shown by renderStatus
      }
      response = { errors: [{ field: "", message: `De berekening mislukte: ${error.message}` }] };
    }
    if (seq === this.seq && this.form.isConnected) {
      this.render(response);
      if (!performance.getEntriesByName("kmo-first-result").length) {
        performance.mark("kmo-first-result");
      }
      if (this.timer === null) {
        this.busy(false);
      }
    }
  }

  /** data-empty on empty fields (print leaves them out). */
  markEmpty() {
    for (const wrapper of this.form.querySelectorAll(".kmo-rh__field[data-field]")) {
      const control = wrapper.querySelector("input:not([type=checkbox]), select");
      wrapper.toggleAttribute("data-empty", Boolean(control) && control.value.trim() === "");
    }
  }

  /**
   * The result area may hold the estimate computed at build time for the
   * example the form opens with (hooks/rekenhulp_build.py,
   * data-state="prerendered"), until the live result replaces it. It stays
   * while the form holds that request. On another day (both dates the same
   * day, as the form opens) the amounts stay while the same rules apply
   * (data-valid-from .. data-valid-until); what depends on the dates goes.
   * Any other request hides it.
   */
  checkPrerendered() {
    const output = this.part("output");
    if (output.dataset.state !== "prerendered") {
      return;
    }
    const now = this.request();
    let built = null;
    try {
      built = JSON.parse(output.dataset.request);
    } catch {
      built = null;
    }
    if (built && canonical(built) === canonical(now)) {
      return;
    }
    const undated = (request) => canonical({ ...request, application_date: null, start_date: null });
    const day = now.application_date;
    const { validFrom, validUntil } = output.dataset;
    const sameRules = built && undated(built) === undated(now) && day && day === now.start_date
      && validFrom && day >= validFrom && (!validUntil || day < validUntil);
    this.dropPrerenderedSteps();
    if (sameRules) {
      for (const part of output.querySelectorAll('[data-depends="dates"]')) {
        part.hidden = true;
      }
      return;
    }
    output.hidden = true;
    output.replaceChildren();
    output.dataset.state = "empty";
  }

  /** The steps computed at build time go with the first change of the form or day. */
  dropPrerenderedSteps() {
    const list = this.part("steps");
    if (list.dataset.state === "prerendered") {
      this.renderSteps(null);
    }
  }

  // -- status (loading, failure) --------------------------------------------

  renderStatus() {
    const state = engine().state;
    const status = this.part("status");
    const text = this.part("status-text");
    const bar = this.part("progress");
    if (state.phase === "ready") {
      status.hidden = true;
      return;
    }
    status.hidden = false;
    if (state.phase === "loading") {
      status.classList.remove("kmo-rh__status--failed");
      delete text.dataset.kmoFailure;
      const restarted = state.restarted === "build"
        ? "De site werd intussen bijgewerkt: de rekenhulp start opnieuw, met de regels van deze versie. " : "";
      // While the runtime comes in: how much of it, so that a slow link is seen to move.
      const downloading = state.total > 0 && state.bytes > 0 && state.bytes < state.total;
      const amount = downloading ? ` (${MB(state.bytes)} van ${MB(state.total)} MB)` : "";
      text.textContent = `${restarted}De rekenhulp wordt geladen, stap ${Math.max(state.step, 1)} van ${state.steps}: `
        + `${state.label}${amount}. Je kunt intussen al invullen.`;
      text.dataset.kmoBytes = String(state.bytes || 0);
      bar.hidden = false;
      if (downloading) {
        bar.max = state.total;
        bar.value = state.bytes;
      } else if (state.step > 0) {
        bar.max = state.steps;
        bar.value = state.step;
      } else {
        bar.removeAttribute("value"); // indeterminate until the worker reports
      }
      return;
    }
    bar.hidden = true;
    status.classList.add("kmo-rh__status--failed");
    const kind = state.error && FAILURES[state.error.kind] ? state.error.kind : "python";
    const tables = el("a", { href: new URL("hoeveel-steun/", siteRoot()).href, text: "Hoeveel steun?" });
    // The estimate computed at build time stays when it is for what the form
    // holds, marked as such: better than nothing while Python cannot run.
    const output = this.part("output");
    const kept = output.dataset.state === "prerendered" && !output.hidden;
    const status404 = kind === "http" && state.error.status ? ` (HTTP ${state.error.status})` : "";
    text.replaceChildren(
      el("strong", { text: FAILURES[kind].replace(/\.$/, `${status404}.`) }), " ", FAILURE_ADVICE[kind], " ",
      kept ? "Het resultaat hieronder is de voorlopige berekening van bij het bouwen van de site, niet die van de rekenhulp zelf. " : "",
      "Je kunt de steun ook zelf berekenen met de tabellen op ", tables,
      ", of bel het gratis nummer ", el("a", { href: "tel:1700", text: "1700" }),
      " van de Vlaamse overheid.",
    );
    text.dataset.kmoFailure = kind;
    output.toggleAttribute("data-kmo-kept", kept);
  }

  // -- result ---------------------------------------------------------------

  render(response) {
    const key = JSON.stringify([response, [...this.touched].sort()]);
    if (key === this.lastKey) {
      return;
    }
    this.lastKey = key;
    const output = this.part("output");
    output.hidden = false;
    output.dataset.state = "live";
    this.lastResult = response.errors ? null : response;
    if (response.errors) {
      this.renderErrors(response.errors, output);
    } else {
      this.clearFieldErrors();
      this.renderResult(response, output);
    }
    this.conditions.follow(response);
    this.summary.show(response);
  }

  clearFieldErrors() {
    for (const node of this.form.querySelectorAll(".kmo-rh__error")) {
      node.hidden = true;
      node.textContent = "";
    }
    for (const control of this.form.querySelectorAll("[aria-invalid]")) {
      control.removeAttribute("aria-invalid");
      this.describe(control, null);
    }
  }

  /** Add or drop the error id in a control's aria-describedby. */
  describe(control, errorId) {
    const ids = (control.getAttribute("aria-describedby") || "").split(/\s+/)
      .filter((id) => id && !id.endsWith("-error"));
    if (errorId) {
      ids.push(errorId);
    }
    if (ids.length) {
      control.setAttribute("aria-describedby", ids.join(" "));
    } else {
      control.removeAttribute("aria-describedby");
    }
  }

  labelOf(field) {
    const control = this.control(field);
    const target = control instanceof RadioNodeList ? control[0] : control;
    if (target && target.labels && target.labels.length && !(control instanceof RadioNodeList)) {
      return target.labels[0].textContent.trim();
    }
    const group = this.form.querySelector(`[data-field="${CSS.escape(field)}"]`);
    const legend = group && group.querySelector("legend");
    return legend ? legend.textContent.trim() : "";
  }

  /** Where an error about `field` goes: the control (or its group) and the message element. */
  errorTarget(field) {
    const control = field ? this.control(field) : null;
    if (control) {
      const first = control instanceof RadioNodeList ? control[0] : control;
      return { controls: control instanceof RadioNodeList ? [...control] : [control], focus: first, message: document.getElementById(`${idFor(field)}-error`) };
    }
    const group = field ? this.form.querySelector(`[data-field="${CSS.escape(field)}"]`) : null;
    if (group) {
      const focus = group.querySelector("input, select, button");
      return { controls: [], focus, message: document.getElementById(`${idFor(field)}-error`) };
    }
    return null;
  }

  renderErrors(errors, output) {
    this.clearFieldErrors();
    const shown = [];
    const waiting = [];
    for (const original of errors) {
      const error = { ...original, message: conditionMessage(original) };
      const control = this.control(error.field);
      if (this.linkRaw.has(error.field) && control && control.type === "checkbox") {
        error.message = `De link gaf „${this.linkRaw.get(error.field)}”: vink het vakje aan of uit.`;
      }
      if (/\.share$/.test(error.field) && error.message.includes("breuk")) {
        // The form asks for a percentage; the contract for a fraction.
        error.message = "Geef het aandeel in procent, tussen 0 en 100 (bijvoorbeeld 30).";
      }
      const target = this.errorTarget(error.field);
      const empty = control && !(control instanceof RadioNodeList) && control.type !== "checkbox"
        && String(control.value).trim() === "";
      const entry = { ...error, target, label: this.labelOf(error.field) };
      if (empty && !this.touched.has(error.field)) {
        waiting.push(entry);
        continue;
      }
      shown.push(entry);
      if (target && target.message) {
        const text = target.message.textContent;
        target.message.textContent = text ? `${text} ${error.message}` : error.message;
        target.message.hidden = false;
        for (const input of target.controls) {
          input.setAttribute("aria-invalid", "true");
          this.describe(input, target.message.id);
        }
      }
    }
    const list = (entries) => el("ul", {}, entries.map((entry) => {
      const joint = /[?:]$/.test(entry.label) ? " " : ": "; // a question as label: no "?:"
      const text = entry.label ? `${entry.label}${joint}${entry.message}` : entry.message;
      if (!entry.target || !entry.target.focus) {
        return el("li", { text });
      }
      const link = el("a", { href: `#${entry.target.focus.id}`, "data-focus": entry.target.focus.id, text });
      return el("li", {}, link);
    }));
    const parts = [];
    if (shown.length) {
      parts.push(el("div", { class: "kmo-rh__summary kmo-rh__summary--errors" },
        el("h3", { text: "Kijk dit na" }), list(shown)));
    }
    if (waiting.length) {
      parts.push(el("div", { class: "kmo-rh__summary" },
        el("h3", { text: "Nog in te vullen" }), list(waiting)));
    }
    output.replaceChildren(...parts);
    this.renderSteps(null);
  }

  renderResult(r, output) {
    showNodes(output, resultView(r, el));
    this.renderSteps(r.steps);
  }

  renderSteps(steps) {
    const list = this.part("steps");
    this.part("steps-empty").hidden = Boolean(steps);
    list.dataset.state = steps ? "live" : "empty";
    showNodes(list, stepsView(steps || [], el));
  }

  // -- buttons --------------------------------------------------------------

  onClick(event) {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) {
      return;
    }
    const scrollLink = target.closest("a[data-scroll]");
    if (scrollLink) {
      // A link within the result (to the assumptions): move there, not through instant navigation.
      event.preventDefault();
      event.stopPropagation();
      const place = document.getElementById(scrollLink.dataset.scroll);
      if (place) {
        place.focus({ preventScroll: true });
        place.scrollIntoView({ block: "start" });
      }
      return;
    }
    const focusLink = target.closest("a[data-focus]");
    if (focusLink) {
      // Not through Material's instant navigation: focus the field itself.
      event.preventDefault();
      event.stopPropagation();
      const control = document.getElementById(focusLink.dataset.focus);
      const group = control && control.closest("details");
      if (group) {
        group.open = true; // a field of the Voorwaarden group
      }
      if (control) {
        control.focus();
        control.scrollIntoView({ block: "center" });
      }
      return;
    }
    if (target.closest('a[data-open="conditions"]')) {
      // "Vul de voorwaarden aan" under the assumptions: open the group, focus it.
      event.preventDefault();
      event.stopPropagation();
      this.conditions.open({ focus: true });
      return;
    }
    if (target.closest('.kmo-rh__skip a, a[data-kmo="bar"]')) {
      event.preventDefault();
      event.stopPropagation();
      const result = this.root.querySelector("#kmo-resultaat");
      result.focus();
      result.scrollIntoView({ block: "start" });
      return;
    }
    const button = target.closest("[data-action]");
    if (!button) {
      return;
    }
    const action = button.dataset.action;
    if (action === "add-related") {
      const row = this.addRelated();
      if (!row) {
        this.part("related-full").hidden = false;
        return;
      }
      if (row) {
        row.querySelector("select").focus();
      }
      this.schedule();
    } else if (action === "remove-related") {
      this.removeRelated(button.closest("li"));
      this.schedule();
    } else if (action === "clear") {
      this.clear();
    } else if (action === "copy-link") {
      this.copyLink();
    } else if (action === "print") {
      window.print();
    } else if (action === "export-ics") {
      this.exportIcs();
    }
  }
}

// --------------------------------------------------------------------------
// Binding
// --------------------------------------------------------------------------

engine().addEventListener("change", () => {
  if (current && current.form.isConnected) {
    current.renderStatus();
  }
});

// In Material's DOMContentLoaded task (document$), on purpose: on a slow
// phone the main thread is the bottleneck, and a binding one task later
// (tried) sent the first request ~0.3 s later, and so made the first
// estimate that much later.
bindEachPage(FORM_ID, (form) => {
  current = new Calculator(form);
});
