// The rekenhulp's "Voorwaarden" group (overrides/rekenhulp.html, issue 9): the
// conditions VLAIO checks besides the amounts (legal form, Flemish
// establishment, public share, main activity, excluded services, delivery,
// werkenden, related provider, de-minimis aid).
//
// rekenhulp.js stays the coordinator; this module only knows the group:
// * readConditions(form, request): its answers into the request (tri-state
//   yes/no questions are left out while unanswered);
// * fillConditions(form, params): its fields from a URL query, keeping a
//   value a link brings that the form does not know (the rules package then
//   puts its Dutch message at the field);
// * Conditions: opening the group (by itself when one of its answers makes
//   the application fail, never closing on its own), and its count.

import { toContract, toDisplay } from "./format.js";

/** The group's fields: contract name -> how the form holds it. */
const FIELDS = {
  "enterprise.legal_form": "select",
  "enterprise.flemish_establishment": "yes_no",
  "enterprise.public_share": "percent",
  "enterprise.nace": "code",
  "enterprise.health_profession": "yes_no",
  "de_minimis_received": "amount",
  "topic": "select",
  "delivery": "select",
  "participants_are_workers": "yes_no",
  "provider_related": "yes_no",
};

/** The keys a URL query may carry for this group (rekenhulp.js counts them as "a link"). */
export const CONDITION_KEYS = Object.keys(FIELDS);

/** Reason codes of a failed condition of this group: the group opens to show its answer. */
export const CONDITION_REASONS = new Set([
  "legal_form_excluded", "no_flemish_establishment", "public_share_too_high", "main_activity_excluded",
  "service_excluded", "provider_related", "distance_without_interaction", "participants_not_workers",
  "de_minimis_exceeded",
]);

const YES_NO = { true: true, false: false };

/** A NACE-BEL code as typed -> the contract's text: spaces out, "10,711" -> "10.711". */
function codeToContract(text) {
  const typed = String(text ?? "").trim();
  const plain = typed.replace(/\s+/g, "");
  return /^\d{2}[.,]\d+$/.test(plain) ? plain.replace(",", ".") : plain;
}

/** The control (or radio group) of a field. */
function controlOf(form, name) {
  return form.elements.namedItem(name);
}

/** One field's value for the request, or undefined when it is unanswered. */
function readField(form, name) {
  const control = controlOf(form, name);
  if (!control) {
    return undefined;
  }
  const how = FIELDS[name];
  const raw = String(control.value ?? "").trim(); // a RadioNodeList's value is the checked radio's
  if (raw === "") {
    return undefined;
  }
  if (how === "yes_no") {
    return raw in YES_NO ? YES_NO[raw] : raw; // an unknown value goes as it is: Python names it
  }
  if (how === "code") {
    return codeToContract(raw);
  }
  return how === "select" ? raw : toContract(raw, how);
}

/** Add the group's answers to a request (enterprise.* into request.enterprise). */
export function readConditions(form, request) {
  for (const name of CONDITION_KEYS) {
    const value = readField(form, name);
    if (value === undefined) {
      continue;
    }
    if (name.startsWith("enterprise.")) {
      request.enterprise = request.enterprise || {};
      request.enterprise[name.slice("enterprise.".length)] = value;
    } else {
      request[name] = value;
    }
  }
  return request;
}

/**
 * A value from a link that the form has no option for stays visible: a
 * select gets an extra option, a yes/no question an extra radio button,
 * both saying where the value came from. The rules package's error then
 * stands at the field.
 */
export function keepUnknown(form, name, raw, control = controlOf(form, name)) {
  const label = `Uit de link: ${raw}`;
  if (control instanceof HTMLSelectElement) {
    const option = new Option(label, raw, false, true);
    option.dataset.fromLink = "";
    control.append(option);
    return;
  }
  const first = control[0];
  const option = first.closest(".kmo-rh__option").cloneNode(true);
  option.dataset.fromLink = "";
  const input = option.querySelector("input");
  input.id = `${first.id.replace(/-[^-]*$/, "")}-link`;
  input.value = raw;
  const text = option.querySelector("label");
  text.htmlFor = input.id;
  text.textContent = label;
  first.closest(".kmo-rh__choice").querySelector(".kmo-rh__error").before(option);
  input.checked = true;
}

/** Fill the group's fields from a URL query; returns the names it filled. */
export function fillConditions(form, params) {
  const filled = [];
  for (const name of CONDITION_KEYS) {
    const raw = params.get(name);
    const control = controlOf(form, name);
    if (raw === null || !control) {
      continue;
    }
    const how = FIELDS[name];
    if (how === "select" || how === "yes_no") {
      const known = control instanceof HTMLSelectElement
        ? [...control.options].some((option) => option.value === raw)
        : [...control].some((input) => input.value === raw);
      if (known) {
        control.value = raw;
      } else {
        keepUnknown(form, name, raw);
      }
    } else {
      control.value = how === "code" ? raw : toDisplay(raw, how);
    }
    filled.push(name);
  }
  return filled;
}

/** Drop what keepUnknown added (the form is emptied). */
export function forgetUnknown(form) {
  for (const node of form.querySelectorAll("[data-from-link]")) {
    node.remove();
  }
}

/**
 * A message of the rules package in the form's terms: the form asks for a
 * percentage where the contract wants a fraction, and says "Ja"/"Nee"
 * where the contract says true/false. Other messages stay as they are.
 */
export function conditionMessage(error) {
  if (error.field === "enterprise.public_share" && error.message.includes("breuk")) {
    return "Geef het deel van de overheden in procent, tussen 0 en 100 (bijvoorbeeld 30).";
  }
  if (FIELDS[error.field] === "yes_no" && error.message.includes("(true)")) {
    return "Kies Ja, Nee of Niet ingevuld.";
  }
  return error.message;
}

/** The group itself: a <details> in the form. */
export class Conditions {
  constructor(form) {
    this.form = form;
    this.details = form.querySelector('[data-kmo="conditions"]');
    this.count = form.querySelector('[data-kmo="conditions-count"]');
  }

  /** Open the group; with focus, move the focus to its summary and bring it into view. */
  open({ focus = false } = {}) {
    if (!this.details) {
      return;
    }
    this.details.open = true;
    if (focus) {
      const summary = this.details.querySelector("summary");
      summary.focus();
      summary.scrollIntoView({ block: "start" });
    }
  }

  /** Close the group (only when the whole form is emptied: never by itself). */
  close() {
    if (this.details) {
      this.details.open = false;
    }
  }

  /**
   * After an answer: open the group when one of its answers makes the
   * application fail (a reason of this group, or an error at one of its
   * fields). It never closes here: the visitor may be working in it.
   */
  follow(response) {
    const failed = response.errors
      ? response.errors.some((error) => CONDITION_KEYS.includes(error.field))
      : (response.reasons || []).some((reason) => CONDITION_REASONS.has(reason.code));
    if (failed) {
      this.open();
    }
  }

  /** "(3 van 10 ingevuld)" in the summary, so a closed group still says what it holds. */
  showCount() {
    if (!this.count) {
      return;
    }
    const answered = CONDITION_KEYS.filter((name) => readField(this.form, name) !== undefined).length;
    this.count.textContent = answered ? `(${answered} van ${CONDITION_KEYS.length} ingevuld)` : "(niet verplicht)";
  }
}
