// The theme codes of kmo_portefeuille.rules_data()["themes"] with the labels
// the forms show (the same list as in overrides/rekenhulp.html), for the CSV
// file (labels out, labels or codes in).
export const THEMES = [
  ["strategy", "Bedrijfsstrategie"],
  ["professional_skills", "Beroepsspecifieke competenties"],
  ["digitalisation", "Digitalisering"],
  ["cybersecurity", "Cyberveiligheid (binnen digitalisering)"],
  ["sustainability", "Duurzaamheid"],
  ["energy_efficiency", "Energie-efficiëntie (binnen duurzaamheid)"],
  ["financial_literacy", "Financiële geletterdheid"],
  ["innovation", "Innovatie"],
  ["internationalisation", "Internationalisering"],
  ["personnel_management", "Personeelsbeleid"],
  ["other", "Ander onderwerp (buiten de thema's)"],
];
