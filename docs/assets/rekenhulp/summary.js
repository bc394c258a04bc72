// The rekenhulp's compact summary for a phone (overrides/rekenhulp.html,
// <a class="kmo-rh__bar" data-kmo="bar">): the verdict and the support at the
// bottom of the screen while the form is filled, as a link to the full
// result (#kmo-resultaat). rekenhulp.js calls show() with every live answer.
//
// * Only a live answer of Python in the browser: while loading (also with the
//   estimate computed at build time on screen) and after a failure the bar
//   stays hidden; when the form has errors it says there is no result yet.
// * Not a live region (the result area is one already: no double
//   announcements) and never aria-hidden (it is a link that can be focused).
// * Hidden on wide screens (CSS) and while the result itself is in sight.

import { formatAmount } from "./format.js";

export class Summary {
  constructor(root) {
    this.bar = root.querySelector('[data-kmo="bar"]');
    this.result = root.querySelector("#kmo-resultaat");
    this.watch();
  }

  /** Hide the bar while the upper part of the result is on screen (it would only repeat it). */
  watch() {
    if (!this.bar || !this.result || typeof IntersectionObserver !== "function") {
      return;
    }
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        this.bar.toggleAttribute("data-result-in-view", entry.isIntersecting);
      }
    }, { rootMargin: "0px 0px -25% 0px" });
    observer.observe(this.result);
  }

  /** Show what an answer says (null: nothing to show, e.g. while loading or after a failure). */
  show(response) {
    if (!this.bar) {
      return;
    }
    if (!response) {
      this.bar.hidden = true;
      this.bar.replaceChildren();
      delete this.bar.dataset.verdict;
      return;
    }
    const hint = document.createElement("span");
    hint.className = "kmo-rh__vh";
    hint.textContent = " Naar het volledige resultaat.";
    let text;
    if (response.errors) {
      text = "Nog geen resultaat: bekijk wat nog nodig is";
      this.bar.dataset.verdict = "none";
    } else if (response.eligible) {
      text = `Komt in aanmerking · ${formatAmount(response.support)} steun`;
      this.bar.dataset.verdict = "yes";
    } else {
      text = "Komt niet in aanmerking";
      this.bar.dataset.verdict = "no";
    }
    const visible = document.createElement("span");
    visible.dataset.kmo = "bar-text";
    visible.textContent = text;
    this.bar.replaceChildren(visible, hint);
    this.bar.hidden = false;
  }
}
