// A DOM builder for the views' h(tag, attributes, ...children) (rekenhulp, planner, provider page):
// elements, and SVG elements (in their namespace) for the year bars.
// Attributes: null, undefined and false are left out, true is an empty
// attribute, "text" is the text content.

const SVG_NS = "http://www.w3.org/2000/svg";
const SVG_TAGS = new Set(["svg", "defs", "pattern", "rect", "g", "path", "title"]);

export function el(tag, attributes = {}, ...children) {
  const node = SVG_TAGS.has(tag) ? document.createElementNS(SVG_NS, tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === "text") {
      node.textContent = String(value);
    } else {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

export { download } from "./download.js";
