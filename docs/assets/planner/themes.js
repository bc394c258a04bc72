// The theme codes and labels as the page's own theme list shows them: the
// <select> in the application row's <template> (overrides/planner.html),
// rendered at build time from kmo_portefeuille.rules_data()["themes"] by
// hooks/rekenhulp_build.py. One list, from the data; nothing typed here.
export function themes(doc = globalThis.document) {
  const row = doc && doc.getElementById("kmo-pl-app");
  const select = row && row.content.querySelector('[data-key="theme"] select');
  return select ? [...select.options].filter((option) => option.value).map((o) => [o.value, o.textContent.trim()]) : [];
}
