// Renders the rekenhulp's result at build time with the page's own view
// (docs/assets/rekenhulp/view.js) and format (format.js), so the HTML the
// page opens with is exactly what the browser would draw for the same answer.
//
//   node tools/prerender.mjs < in.json > out.json
//
// in:  {"response": <kmo_portefeuille.estimate answer>,
//       "fields": {"<form field name>": ["<contract value>", "<kind>"], ...}}
// out: {"result": "<html>", "steps": "<html>",
//       "fields": {"<form field name>": "<value as the form shows it>"}}
//
// Run by hooks/rekenhulp_build.py. Exit code 1 with a message on stderr when
// the input is not what it should be.

import { readFileSync } from "node:fs";
import { toDisplay } from "../docs/assets/rekenhulp/format.js";
import { resultView, stepsView } from "../docs/assets/rekenhulp/view.js";

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escape = (text) => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
const NAME = /^[a-z][a-z0-9]*$/;
const ATTRIBUTE = /^[a-z][a-z0-9-]*$/;

/** h() of view.js, building HTML text; the same rules as rekenhulp.js's el(). */
function h(tag, attributes = {}, ...children) {
  if (!NAME.test(tag)) {
    throw new Error(`unexpected tag ${tag}`);
  }
  let open = `<${tag}`;
  let text = null;
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === "text") {
      text = escape(value);
    } else if (!ATTRIBUTE.test(name)) {
      throw new Error(`unexpected attribute ${name}`);
    } else {
      open += value === true ? ` ${name}=""` : ` ${name}="${escape(value)}"`;
    }
  }
  const inner = children.flat(Infinity)
    .filter((child) => child !== null && child !== undefined && child !== false)
    .map((child) => (child instanceof Html ? child.html : escape(child)))
    .join("");
  return new Html(`${open}>${text ?? ""}${inner}</${tag}>`);
}

class Html {
  constructor(html) {
    this.html = html;
  }
}

const join = (nodes) => nodes.map((node) => node.html).join("");

const input = JSON.parse(readFileSync(0, "utf8"));
const response = input.response;
if (!response || typeof response !== "object" || response.errors || !Array.isArray(response.steps)) {
  process.stderr.write("prerender.mjs: expected an estimate without errors under \"response\"\n");
  process.exit(1);
}
const fields = {};
for (const [name, [value, kind]] of Object.entries(input.fields || {})) {
  fields[name] = toDisplay(value, kind);
}
process.stdout.write(JSON.stringify({
  result: join(resultView(response, h)),
  steps: join(stepsView(response.steps, h)),
  fields,
}));
