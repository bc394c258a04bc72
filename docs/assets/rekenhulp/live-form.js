// What every form that recomputes as you type shares (the rekenhulp, the
// planner, the provider page): the busy flag on the live region (tests wait
// for aria-busy="false"), the debounce before a new answer, and the page's
// own address with the form's state as its query.
//
// A subclass has this.part(name) (the element with data-kmo="name"), an
// update() method, request() and linkFor(request). bindEachPage() binds a
// form on every page view, also after Material's instant navigation.

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

  /** "Kopieer link": the link to this state in the clipboard, or shown to copy by hand. */
  async copyLink() {
    const link = this.linkFor(this.request());
    const field = this.part("link");
    const status = this.part("copy-status");
    field.value = link;
    this.part("link-field").hidden = false;
    try {
      await navigator.clipboard.writeText(link);
      status.textContent = "De link is gekopieerd.";
    } catch {
      field.focus();
      field.select();
      status.textContent = "Kopiëren lukte niet: kopieer de link hieronder zelf.";
    }
  }
}

/**
 * Call make(form) once per form element with id formId: on every page view
 * (Material's document$ re-runs after instant navigation), idempotent
 * (a new visit brings a new form).
 */
export function bindEachPage(formId, make) {
  const bind = () => {
    const form = document.getElementById(formId);
    if (!form || form.dataset.kmoBound === "true") {
      return;
    }
    form.dataset.kmoBound = "true";
    make(form);
  };
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(() => bind());
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
}
