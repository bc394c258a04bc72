// How a plan looks: per application the verdict, the support and the
// reasons; per year a bar of the ceiling (SVG, with patterns and the figures
// in text beside it, so that it reads without colour) and what the ceiling
// left still covers. Built with h(tag, attributes, ...children) like
// docs/assets/rekenhulp/view.js: no DOM here.

import { formatAmount, formatPercent } from "../rekenhulp/format.js";
import { costCovered, toCents } from "./money.js";

const SIZE_WORDS = { small: "kleine onderneming", medium: "middelgrote onderneming", large: "grote onderneming" };

/** The result of one application of the plan (an estimate response plus "cancelled"). */
export function applicationView(r, h) {
  const figure = (key, label) => h("div", { class: "kmo-rh__figure" },
    h("dt", { text: label }),
    h("dd", { "data-result": key, "data-value": r[key] }, formatAmount(r[key])));
  let verdict;
  if (r.cancelled) {
    verdict = h("p", { class: "kmo-rh__verdict kmo-rh__verdict--no", "data-result": "eligible", "data-value": "cancelled" },
      "Stopgezet: geen steun");
  } else {
    verdict = h("p", {
      class: `kmo-rh__verdict kmo-rh__verdict--${r.eligible ? "yes" : "no"}`,
      "data-result": "eligible", "data-value": String(r.eligible),
    }, r.eligible ? "Komt in aanmerking" : "Komt niet in aanmerking");
  }
  const reasons = r.reasons && r.reasons.length
    ? h("ul", { class: "kmo-rh__reasons" }, r.reasons.map((reason) => h("li", { "data-code": reason.code, text: reason.message })))
    : null;
  const figures = h("dl", { class: "kmo-rh__figures kmo-pl__app-figures" },
    figure("support", "Steun"),
    figure("own_share", "Eigen aandeel om te storten"),
    figure("ceiling_left", "Nog over van het jaarplafond na deze aanvraag"));
  const about = r.rate
    ? h("p", { class: "kmo-rh__about" }, `${formatPercent(r.rate)} steun voor een ${SIZE_WORDS[r.size] || r.size}.`)
    : null;
  return [verdict, reasons, figures, about].filter(Boolean);
}

/** The rate of the year's last application (by application date; the later one given on the same day). */
function lastRate(year, requests, responses) {
  let last = null;
  requests.forEach((request, index) => {
    if (String(request.application_date || "").slice(0, 4) === year
        && (last === null || request.application_date >= requests[last].application_date)) {
      last = index;
    }
  });
  return last === null ? null : responses[last].rate;
}

/** A bar of one year's ceiling: used outside the plan, support of the plan, left. */
function bar(year, y, h) {
  const ceiling = toCents(y.ceiling) || 0n;
  const parts = [
    ["outside", toCents(y.support_used_outside) || 0n, "url(#kmo-pl-hatch)"],
    ["plan", toCents(y.support) || 0n, "url(#kmo-pl-dots)"],
  ];
  const width = 1000n;
  let x = 0n;
  const rects = [];
  for (const [name, cents, fill] of parts) {
    const w = ceiling > 0n ? (cents * width) / ceiling : 0n;
    const clipped = x + w > width ? width - x : w;
    if (clipped > 0n) {
      rects.push(h("rect", { x: String(x), y: "0", width: String(clipped), height: "40", fill, "data-part": name }));
    }
    x += clipped;
  }
  return h("svg", {
    class: "kmo-pl__bar", viewBox: "0 0 1000 40", preserveAspectRatio: "none", role: "img",
    "aria-labelledby": `kmo-pl-year-${year}-text`, focusable: "false",
  },
  h("rect", { x: "0", y: "0", width: "1000", height: "40", class: "kmo-pl__bar-empty" }),
  rects,
  h("rect", { x: "0.5", y: "0.5", width: "999", height: "39", class: "kmo-pl__bar-frame" }));
}

/** The patterns the bars fill with (one <svg> per page). */
export function patterns(h) {
  return h("svg", { class: "kmo-pl__patterns", width: "0", height: "0", "aria-hidden": "true", focusable: "false" },
    h("defs", {},
      h("pattern", { id: "kmo-pl-hatch", width: "8", height: "8", patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
        h("rect", { width: "8", height: "8", class: "kmo-pl__fill-outside" }),
        h("rect", { width: "3", height: "8", class: "kmo-pl__stripe" })),
      h("pattern", { id: "kmo-pl-dots", width: "1000", height: "40", patternUnits: "userSpaceOnUse" },
        h("rect", { width: "1000", height: "40", class: "kmo-pl__fill-plan" }))));
}

/**
 * The years of a plan response: bar, figures in text and the sentence on what
 * the ceiling left still covers. `requests` are the plan's applications as
 * sent (for the year's last application).
 */
export function yearsView(response, requests, h) {
  return Object.keys(response.years).sort().map((year) => {
    const y = response.years[year];
    const rate = lastRate(year, requests, response.applications);
    const covered = y.ceiling_left !== "0.00" ? costCovered(y.ceiling_left, rate) : null;
    const legend = (name, label, value, key) => h("li", { class: `kmo-pl__key kmo-pl__key--${name}` },
      h("span", { class: "kmo-pl__swatch", "aria-hidden": "true" }),
      `${label}: `, h("strong", { "data-year-result": key, "data-value": value, text: formatAmount(value) }));
    let sentence = null;
    if (y.ceiling_left === "0.00") {
      sentence = h("p", { class: "kmo-pl__left" }, `Het jaarplafond van ${year} is op: een nieuwe aanvraag in ${year} krijgt geen steun meer.`);
    } else if (covered !== null) {
      sentence = h("p", { class: "kmo-pl__left" },
        "Met wat er overblijft, kan je nog voor ",
        h("strong", { "data-year-result": "cost_covered", "data-value": covered, text: formatAmount(covered) }),
        ` aan opleiding laten subsidiëren (tegen ${formatPercent(rate)}, het steunpercentage van je laatste aanvraag in ${year}).`);
    }
    return h("section", { class: "kmo-pl__year", "data-year": year, "aria-labelledby": `kmo-pl-year-${year}-title` },
      h("h3", { id: `kmo-pl-year-${year}-title`, text: `${year}` }),
      bar(year, y, h),
      h("ul", { class: "kmo-pl__figures", id: `kmo-pl-year-${year}-text` },
        h("li", {}, `Jaarplafond ${year}: `, h("strong", { "data-year-result": "ceiling", "data-value": y.ceiling, text: formatAmount(y.ceiling) })),
        legend("outside", "Al gekregen buiten de planning (gearceerd)", y.support_used_outside, "support_used_outside"),
        legend("plan", "Steun van deze planning (vol)", y.support, "support"),
        legend("left", "Nog over (leeg)", y.ceiling_left, "ceiling_left")),
      sentence);
  });
}
