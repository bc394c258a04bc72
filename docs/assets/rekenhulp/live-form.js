// What every form that recomputes as you type shares (the rekenhulp, the
// planner, the provider page): the busy flag on the live region (tests wait
// for aria-busy="false"), the debounce before a new answer, and the page's
// own address with the form's state as its query.
//
// A subclass has this.part(name) (the element with data-kmo="name") and an
// update() method.

const DEBOUNCE_MS = 150;

export class LiveForm {
  /** aria-busy on the live region while a new result is on its way. */
  busy(on) {
    this.part("live").setAttribute("aria-busy", on ? "true" : "false");
  }

  /** A new answer shortly after the last keystroke. */
  schedule() {
    this.busy(true);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), DEBOUNCE_MS);
  }

  /** This page's address with ``query`` (URLSearchParams or text). */
  pageLink(query) {
    const text = String(query);
    return location.origin + location.pathname + (text ? `?${text}` : "");
  }
}
