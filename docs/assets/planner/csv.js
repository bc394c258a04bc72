// The plan's applications as CSV for accountants, the way Belgian
// spreadsheets read it: Dutch headers, ";" between fields, a decimal comma,
// one row per application; UTF-8 with a byte order mark on export (so that
// Excel reads "€" and "é"). On import dates may be ISO (2026-04-14) or
// dd/mm/jjjj (14/04/2026).
//
// Works on plain objects of contract values (strings: "2000.00",
// "2026-04-14", "training"); no DOM. Import never throws: it returns the
// good rows and a Dutch message for each bad one, naming row and column.

import { themes } from "./themes.js";

const BOM = "\ufeff";
export const COLUMNS = [
  { key: "application_date", header: "Aanvraagdatum", kind: "date", required: true },
  { key: "start_date", header: "Startdatum", kind: "date", required: true },
  { key: "service", header: "Soort dienst", kind: "service", required: true },
  { key: "theme", header: "Thema", kind: "theme", required: true },
  { key: "cost", header: "Prijs zonder btw (euro)", kind: "amount", required: true },
  { key: "cancelled_on", header: "Stopgezet op", kind: "date", required: false },
];
const SERVICES = { training: "opleiding", advice: "advies" };

function quote(value) {
  const text = String(value ?? "");
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** "2000.5" -> "2000,50" (a decimal comma, no thousands separators: spreadsheets read it as a number). */
function amountCell(value) {
  const match = /^(-?\d+)(?:\.(\d+))?$/.exec(String(value ?? ""));
  return match ? `${match[1]},${(match[2] || "").padEnd(2, "0")}` : String(value ?? "");
}

/** The applications as CSV text (with BOM, CRLF). */
export function toCsv(applications) {
  const rows = [COLUMNS.map((c) => c.header)];
  for (const app of applications) {
    rows.push(COLUMNS.map((c) => {
      const value = app[c.key] ?? "";
      if (c.kind === "amount") return amountCell(value);
      if (c.kind === "service") return SERVICES[value] || value;
      if (c.kind === "theme") return (themes().find(([code]) => code === value) || [value, value])[1];
      return value;
    }));
  }
  return BOM + rows.map((row) => row.map(quote).join(";")).join("\r\n") + "\r\n";
}

/** Split CSV text into rows of fields (";" separated, "..." quoting with "" inside). */
export function parseRows(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  const source = text.replace(/^\ufeff/, "");
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i];
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"' && field === "") {
      quoted = true;
    } else if (char === ";") {
      row.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && source[i + 1] === "\n") i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else {
      field += char;
    }
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const norm = (text) => String(text).trim().toLowerCase().normalize("NFC");

/** A date cell as ISO, or null. */
function readDate(text) {
  const t = text.trim();
  let y, m, d;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (match) {
    [, y, m, d] = match;
  } else if ((match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t))) {
    [, d, m, y] = match;
  } else {
    return null;
  }
  const iso = `${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? null : iso;
}

/** An amount cell ("2000,50", "2.000,50", "€ 2000", "2000.50") as a decimal string, or null. */
function readAmount(text) {
  let t = text.replace(/[\s\u00a0\u202f€]/g, "");
  if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)) {
    t = t.replace(/\./g, "").replace(",", ".");
  } else if (/^\d+(,\d+)?$/.test(t)) {
    t = t.replace(",", ".");
  } else if (!/^\d+(\.\d{1,2})?$/.test(t)) {
    return null;
  }
  return t.replace(/\.00?$/, ""); // "10000,00" was written as 10000: the same plan comes back
}

function readCell(column, text) {
  const t = text.trim();
  if (t === "") {
    return column.required ? { error: "is leeg" } : { value: "" };
  }
  if (column.kind === "date") {
    const value = readDate(t);
    return value ? { value } : { error: `"${t}" is geen datum (schrijf 2026-04-14 of 14/04/2026)` };
  }
  if (column.kind === "amount") {
    const value = readAmount(t);
    return value ? { value } : { error: `"${t}" is geen bedrag (schrijf bijvoorbeeld 2000,00)` };
  }
  if (column.kind === "service") {
    const found = Object.entries(SERVICES).find(([code, word]) => norm(t) === code || norm(t) === word);
    return found ? { value: found[0] } : { error: `"${t}" is geen soort dienst (opleiding of advies)` };
  }
  const theme = themes().find(([code, label]) => norm(t) === code || norm(t) === norm(label));
  return theme ? { value: theme[0] } : { error: `"${t}" is geen thema van de kmo-portefeuille` };
}

/**
 * CSV text -> {applications, errors}: errors are Dutch sentences naming the
 * row (as a spreadsheet numbers it: the headers are row 1) and the column.
 * A file without our headers gives one error and no applications.
 */
export function fromCsv(text) {
  const rows = parseRows(String(text ?? ""));
  const header = (rows[0] || []).map((cell) => norm(cell));
  const expected = COLUMNS.map((c) => norm(c.header));
  const missing = COLUMNS.filter((c, i) => header[i] !== expected[i]);
  if (!rows.length || missing.length) {
    const first = missing[0] || COLUMNS[0];
    const index = COLUMNS.indexOf(first);
    const found = rows[0] && rows[0][index] !== undefined ? `"${rows[0][index].trim()}"` : "niets";
    return {
      applications: [],
      errors: [`Dit bestand is geen planning van deze site: in rij 1 staat in kolom ${index + 1} ${found} `
        + `in plaats van "${first.header}". De eerste rij moet de kolommen ${COLUMNS.map((c) => c.header).join("; ")} bevatten, `
        + "gescheiden door een puntkomma."],
    };
  }
  const applications = [];
  const errors = [];
  rows.slice(1).forEach((row, offset) => {
    const number = offset + 2;
    if (row.every((cell) => cell.trim() === "")) {
      return; // an empty line (often the last one)
    }
    const app = {};
    const problems = [];
    COLUMNS.forEach((column, index) => {
      const cell = readCell(column, row[index] ?? "");
      if (cell.error) {
        problems.push(`kolom "${column.header}" ${cell.error}`);
      } else if (cell.value !== "") {
        app[column.key] = cell.value;
      }
    });
    if (problems.length) {
      errors.push(`Rij ${number}: ${problems.join("; ")}. Die rij is niet ingelezen.`);
    } else {
      applications.push(app);
    }
  });
  if (!applications.length && !errors.length) {
    errors.push("Het bestand bevat geen aanvragen: alleen de rij met de kolomnamen.");
  }
  return { applications, errors };
}
