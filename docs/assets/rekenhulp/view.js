// How an estimate looks: the result (verdict, reasons, figures, deadlines,
// warnings) and the steps of the calculation, as calls of
//   h(tag, attributes, ...children)
// so that one description serves two builders:
//
// * in the browser, rekenhulp.js passes a builder of DOM nodes;
// * at build time, tools/prerender.mjs (run by hooks/rekenhulp_build.py)
//   passes a builder of HTML text, so the page opens with the estimate for
//   its example already in place, computed by kmo_portefeuille in CPython.
//
// Attributes: null, undefined and false are left out, true is an empty
// attribute, "text" is the text content. No DOM, no globals: Node runs it.

import { formatAmount, formatDate, formatPercent } from "./format.js";

const SIZE_WORDS = { small: "kleine onderneming", medium: "middelgrote onderneming", large: "grote onderneming" };

/**
 * The result of kmo_portefeuille.estimate (no "errors"), as a list of nodes.
 * Every figure carries data-result (its key in the answer) and data-value
 * (the contract's value); parts that depend on the dates of the request are
 * marked data-depends="dates".
 */
export function resultView(r, h) {
  const figure = (key, label, note) => h("div", { class: "kmo-rh__figure" },
    h("dt", { text: label }),
    h("dd", { "data-result": key, "data-value": r[key] }, formatAmount(r[key])),
    note ? h("dd", { class: "kmo-rh__note", text: note }) : null);
  const deadline = (key, label) => h("div", { class: "kmo-rh__figure" },
    h("dt", { text: label }),
    h("dd", { "data-result": key, "data-value": r.deadlines[key] }, formatDate(r.deadlines[key])));

  const verdict = h("p", {
    class: `kmo-rh__verdict kmo-rh__verdict--${r.eligible ? "yes" : "no"}`,
    "data-result": "eligible", "data-value": String(r.eligible),
  }, r.eligible ? "Komt in aanmerking" : "Komt niet in aanmerking");
  const reasons = r.reasons.length
    ? h("ul", { class: "kmo-rh__reasons" },
      r.reasons.map((reason) => h("li", { "data-code": reason.code, text: reason.message })))
    : null;
  // What the answer assumed for the questions of the "Voorwaarden" group left
  // open; each message completes the heading's sentence. The link opens the
  // group (rekenhulp.js handles data-open; without JavaScript the fragment).
  const assumed = r.assumptions && r.assumptions.length
    ? h("div", { class: "kmo-rh__assumptions", "data-result": "assumptions", id: "kmo-aannames", tabindex: "-1" },
      h("h3", { text: "De rekenhulp gaat ervan uit dat …" }),
      h("ul", {}, r.assumptions.map((item) => h("li", { "data-assumption": item.field, text: item.message }))),
      h("p", {}, h("a", { href: "#kmo-voorwaarden", "data-open": "conditions", text: "Vul de voorwaarden aan" })))
    : null;
  // A "yes" resting on assumptions says so right under it (the list follows the figures).
  const n = r.assumptions ? r.assumptions.length : 0;
  const proviso = r.eligible && n
    ? h("p", { class: "kmo-rh__proviso" }, "Als klopt wat de rekenhulp aanneemt over ",
      h("a", { href: "#kmo-aannames", "data-scroll": "kmo-aannames", text: n === 1 ? "één voorwaarde" : `${n} voorwaarden` }),
      " die je niet invulde.")
    : null;
  const vatNote = r.non_eligible !== "0.00"
    ? `btw ${formatAmount(r.vat)} en catering boven het maximum ${formatAmount(r.non_eligible)}`
    : `de btw (${formatAmount(r.vat)})`;
  // Whether the VAT was deducted shows in the answer itself: net_cost is
  // total_outlay minus the VAT when it is deductible (CONTRACT.md, "Nettokost").
  const netNote = r.vat === "0.00"
      ? "Er is geen btw: de nettokost is wat je in totaal zelf betaalt."
      : r.net_cost !== r.total_outlay
        ? `Je onderneming trekt de btw af: de btw (${formatAmount(r.vat)}) telt niet mee in de nettokost.`
        : `De btw (${formatAmount(r.vat)}) telt mee in de nettokost: je onderneming trekt ze niet af.`;
  const figures = h("dl", { class: "kmo-rh__figures" },
    figure("support", "Steun van de kmo-portefeuille"),
    figure("own_share", "Eigen aandeel om te storten"),
    figure("paid_directly", "Rechtstreeks aan de dienstverlener", vatNote),
    figure("total_outlay", "Wat je in totaal zelf betaalt"),
    // data-net="same": the net cost is what you pay in total (print leaves it out).
    h("div", { class: "kmo-rh__figure", "data-net": r.net_cost === r.total_outlay ? "same" : "deducted" },
      h("dt", { text: "Nettokost voor je onderneming" }),
      h("dd", { "data-result": "net_cost", "data-value": r.net_cost }, formatAmount(r.net_cost)),
      h("dd", { class: "kmo-rh__note", "data-result": "net_cost_note", text: netNote })),
    figure("ceiling_left", "Nog over van je jaarplafond na deze aanvraag", `jaarplafond ${formatAmount(r.ceiling)}`));
  const deadlines = h("div", { "data-depends": "dates" },
    h("h3", { text: "Termijnen" }),
    h("dl", { class: "kmo-rh__figures kmo-rh__deadlines" },
      deadline("apply_by", "Aanvragen uiterlijk op"),
      deadline("deposit_by", "Eigen aandeel storten uiterlijk op"),
      deadline("complete_by", "Opleiding of advies afgerond op")));
  const about = h("p", { class: "kmo-rh__about" },
    "Steunpercentage ", h("strong", { "data-result": "rate", "data-value": r.rate, text: formatPercent(r.rate) }),
    ` voor een ${SIZE_WORDS[r.size] || r.size}; regels die gelden sinds `,
    h("span", { "data-result": "rules_version", "data-value": r.rules_version, text: formatDate(r.rules_version) }), ".");
  const warnings = r.warnings.length
    ? h("div", { class: "kmo-rh__warnings" }, h("h3", { text: "Let op" }),
      h("ul", {}, r.warnings.map((warning) => h("li", { "data-code": warning.code, text: warning.message }))))
    : null;
  // The assumptions qualify the verdict and its figures: right under them, so
  // that the support still shows at a glance.
  return [verdict, proviso, reasons, figures, assumed, deadlines, about, warnings].filter(Boolean);
}

/** The steps of the calculation (the answer's "steps"), one list item each, with rule and source. */
export function stepsView(steps, h) {
  return steps.map((step) => h("li", { "data-step": step.id },
    h("p", { text: step.text }),
    step.rule || step.source
      ? h("p", { class: "kmo-rh__source" },
        step.rule ? `Regel: ${step.rule}.` : "",
        step.source
          ? [" Bron: ", h("a", { href: step.source.url, rel: "noopener noreferrer", text: step.source.title })]
          : "")
      : null));
}
