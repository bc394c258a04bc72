// The deadlines of an estimate as an iCalendar file (RFC 5545), made in the
// browser: nothing is sent anywhere. Used by the planner (a whole plan) and
// usable by the rekenhulp (one result).
//
//   deadlineEvents(response, {title, url, key})  -> the four events of one application
//   calendarText(events, {now})                  -> the .ics text (CRLF, folded lines)
//
// Every event is a whole day (DTSTART;VALUE=DATE, DTEND the next day), with a
// UID that stays the same for the same application and deadline, so that a
// calendar program replaces an event it imported before instead of doubling it.
// No DOM, no globals besides TextEncoder: Node runs it too.

const PRODID = "-//Kmo-portefeuille uitgelegd//Jaarplanning//NL";
const FOLD_AT = 75; // octets per line, without the CRLF (RFC 5545, 3.1)

/** Escape TEXT values (RFC 5545, 3.3.11): backslash, semicolon, comma, newline. */
export function escapeText(text) {
  return String(text)
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/** Fold one content line at 75 octets (never inside a UTF-8 character); continuation lines start with a space. */
export function foldLine(line) {
  const encoder = new TextEncoder();
  const parts = [];
  let current = "";
  let octets = 0;
  let limit = FOLD_AT;
  for (const char of line) {
    const size = encoder.encode(char).length;
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
      limit = FOLD_AT - 1; // the leading space counts
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

const compact = (iso) => iso.replace(/-/g, "");

/** The day after an ISO date, as an ISO date (UTC arithmetic: no time zone shifts). */
function nextDay(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** "20261201T201500Z" for a Date. */
function stamp(date) {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/**
 * The events of one application: apply by, deposit the own share by, give
 * the payment order (after the deposit), complete by. `title` names the
 * application in the summaries ("Opleiding digitalisering"); `url` links back
 * to the page; `key` makes the UIDs unique within a plan.
 */
export function deadlineEvents(response, { title, url, key = "1" }) {
  const d = response.deadlines || {};
  const back = url ? `\n\nBerekend met de rekenhulp: ${url}` : "";
  const events = [];
  const add = (id, date, summary, description) => {
    if (date) {
      events.push({ uid: `${key}-${id}-${compact(date)}@kmo-portefeuille`, date, summary, description: description + back });
    }
  };
  add("apply", d.apply_by, `Kmo-portefeuille: aanvragen, ${title}`,
    "Vraag vandaag ten laatste de steun aan op het e-loket van VLAIO (kmo-portefeuille). "
    + "Later dan 14 kalenderdagen na de start van de opleiding of het advies kan niet meer.");
  add("deposit", d.deposit_by, `Kmo-portefeuille: eigen aandeel storten, ${title}`,
    "Stort vandaag ten laatste je eigen aandeel op de rekening van de kmo-portefeuille: "
    + "precies het bedrag en de mededeling die je bij de aanvraag kreeg. "
    + "Een storting die te laat komt of niet klopt, wordt teruggestort en de steun vervalt.");
  add("payment-order", d.deposit_by, `Kmo-portefeuille: betaalopdracht geven, ${title}`,
    "Heb je het eigen aandeel gestort? Geef dan in je aanvraag op het e-loket de betaalopdracht "
    + "aan de dienstverlener. Dat gebeurt niet vanzelf: vergeet je het, dan kan je de steun verliezen. "
    + "De btw betaal je rechtstreeks aan de dienstverlener.");
  add("complete", d.complete_by, `Kmo-portefeuille: afronden, ${title}`,
    "De opleiding of het advies moet vandaag ten laatste afgerond en via de kmo-portefeuille betaald zijn.");
  return events;
}

/** The .ics text of the events: a VCALENDAR with one all-day VEVENT each. */
export function calendarText(events, { now = new Date() } = {}) {
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", `PRODID:${PRODID}`, "CALSCALE:GREGORIAN", "METHOD:PUBLISH"];
  const dtstamp = stamp(now);
  for (const event of events) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${event.uid}`,
      `DTSTAMP:${dtstamp}`,
      `DTSTART;VALUE=DATE:${compact(event.date)}`,
      `DTEND;VALUE=DATE:${compact(nextDay(event.date))}`,
      `SUMMARY:${escapeText(event.summary)}`,
      `DESCRIPTION:${escapeText(event.description)}`,
      "TRANSP:TRANSPARENT",
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join("\r\n") + "\r\n";
}
