// Reading and writing numbers, amounts and dates the Flemish way.
//
// The contract of kmo_portefeuille wants decimal strings with a point
// ("1234.56") and ISO dates; people type "1.234,56" and read "€ 1.234,56" and
// "14 april 2026". Everything here works on strings: no floats, so nothing is
// rounded on the way to Python.

const MONTHS = [
  "januari", "februari", "maart", "april", "mei", "juni",
  "juli", "augustus", "september", "oktober", "november", "december",
];
const NBSP = "\u00a0";
const PLAIN = /^-?\d+(\.\d+)?$/;

/** "1234567" -> "1.234.567" (linear: a link may carry a number of any length). */
export function groupThousands(digits) {
  const text = String(digits);
  const head = text.length % 3 || 3;
  const groups = [text.slice(0, head)];
  for (let i = head; i < text.length; i += 3) {
    groups.push(text.slice(i, i + 3));
  }
  return groups.join(".");
}

/** Shift the decimal point of a plain non-negative decimal string: shift("30", -2) = "0.3". */
export function shiftDecimal(text, places) {
  const [whole, fraction = ""] = text.split(".");
  let digits = whole + fraction;
  let point = whole.length + places;
  if (point <= 0) {
    digits = "0".repeat(1 - point) + digits;
    point = 1;
  }
  if (point > digits.length) {
    digits = digits.padEnd(point, "0");
  }
  const head = digits.slice(0, point).replace(/^0+(?=\d)/, "");
  const tail = digits.slice(point).replace(/0+$/, "");
  return tail ? `${head}.${tail}` : head;
}

/**
 * What someone typed -> the contract's decimal string, or the text itself
 * (trimmed) when it is not a number, so that Python's message appears.
 *
 * kind: "amount" (euro; "1.500" is fifteen hundred), "count" (whole number),
 * "number" (e.g. VTE; "12.5" is twelve and a half) or "percent" (becomes a
 * fraction: "30" -> "0.3").
 */
export function toContract(text, kind = "amount") {
  const typed = String(text ?? "").trim();
  let t = typed.replace(/[\s\u00a0\u202f']/g, "");
  if (kind === "amount") {
    t = t.replace(/^€/, "").replace(/(€|euros?|eur)$/i, "");
  }
  if (kind === "percent") {
    t = t.replace(/%$/, "");
  }
  if (t === "") {
    return typed === "" ? "" : typed;
  }
  let sign = "";
  if (/^[-−]/.test(t)) {
    sign = "-";
    t = t.slice(1);
  }
  let plain = null;
  const dotGroups = /^\d{1,3}(\.\d{3})+(,\d+)?$/.test(t);
  if (dotGroups && (kind === "amount" || kind === "count" || /,|\..*\./.test(t))) {
    plain = t.replace(/\./g, "").replace(",", "."); // 1.234,56 / 1.500.000 / 1.500 (euro)
  } else if (/^\d{1,3}(,\d{3})+\.\d+$/.test(t)) {
    plain = t.replace(/,/g, ""); // 1,234.56
  } else if (/^\d+([.,]\d+)?$/.test(t)) {
    plain = t.replace(",", "."); // 1234,56 / 1234.56 / 12
  } else if (/^\d*[.,]\d+$/.test(t)) {
    plain = "0" + t.replace(",", "."); // ,5
  }
  if (plain === null) {
    return typed;
  }
  if (kind === "percent") {
    plain = shiftDecimal(plain, -2);
  }
  return sign + plain;
}

/** A contract value -> what the form shows ("1500000" -> "1.500.000", "0.3" as percent -> "30"). */
export function toDisplay(value, kind = "amount") {
  const text = String(value ?? "").trim();
  if (!PLAIN.test(text)) {
    return text;
  }
  const negative = text.startsWith("-");
  let plain = negative ? text.slice(1) : text;
  if (kind === "percent") {
    plain = shiftDecimal(plain, 2);
  }
  let [whole, fraction] = plain.split(".");
  if (kind === "amount") {
    whole = groupThousands(whole);
  }
  return (negative ? "-" : "") + whole + (fraction !== undefined ? `,${fraction}` : "");
}

/** "1234.5" -> "€ 1.234,50" (the euro sign first, a non-breaking space); "—" for anything else. */
export function formatAmount(value) {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(value ?? "").trim());
  if (!match) {
    return "—";
  }
  const cents = (match[3] || "").padEnd(2, "0");
  return `${match[1] ? "−" + NBSP : ""}€${NBSP}${groupThousands(match[2])},${cents}`;
}

/** "0.30" -> "30 %"; "0.355" -> "35,5 %". */
export function formatPercent(fraction) {
  const text = String(fraction ?? "").trim();
  if (!/^\d+(\.\d+)?$/.test(text)) {
    return "—";
  }
  return `${shiftDecimal(text, 2).replace(".", ",")}${NBSP}%`;
}

/** "2026-04-14" -> "14 april 2026". */
export function formatDate(iso) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso ?? ""));
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) {
    return "—";
  }
  return `${Number(match[3])} ${MONTHS[Number(match[2]) - 1]} ${match[1]}`;
}

/** Today in the browser's time zone, as ISO "JJJJ-MM-DD". */
export function todayISO(now = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
