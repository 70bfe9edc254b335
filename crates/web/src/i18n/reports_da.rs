//! The reports page in Danish.

use super::reports::ReportTexts;

pub(super) const DA: ReportTexts = ReportTexts {
    nav_reports: "Rapporter",
    title: "Rapporter til udvalgene",
    intro: "En rapport laves fra et registreret øjebliksbillede af data, konfiguration og kriterier, så den kan \
            genskabes byte for byte. En leders godkendelse låser den; en senere rettelse bliver en ny version \
            med en liste over de tal, der er ændret.",
    legend: "Lav en rapport",
    kind_label: "Rapport",
    kind_annual: "Årsrapport til udvalgene",
    kind_halfyear: "Halvårlig rapport om urolige områder",
    kind_quarter: "Kvartalsrapport til Sikker By",
    period_label: "Periode",
    period_hint: "Et år (2013), et halvår (2013H1) eller et kvartal (2013Q2).",
    format_label: "Format",
    make_button: "Lav og hent rapporten",
    snapshots_caption: "Versioner af rapporten for perioden",
    version: "Version",
    created_by: "Lavet af",
    approved_by: "Godkendt af",
    not_approved: "ikke godkendt",
    approve_button: "Godkend og lås",
    own_version_note: "Du har lavet denne version, så en anden leder skal godkende den (fire øjne).",
    approve_needs_manager: "Godkendes af en leder, som ikke selv har lavet versionen.",
    download: "Hent",
    none_yet: "Der er endnu ingen versioner for denne rapport og periode.",
    approved_note: "Rapporten er godkendt og låst.",
    errors_heading: "Rapporten kunne ikke laves",
    period_error: "Skriv en periode, der passer til rapporten: et år (2013) til årsrapporten, et halvår (2013H1) eller et kvartal (2013Q2).",
};
