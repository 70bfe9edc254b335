//! The worklist in Danish.

use super::worklist::WorklistTexts;

pub(super) const DA: WorklistTexts = WorklistTexts {
    title: "Opfølgninger",
    intro: "Åbne opfølgninger, der er overskredet eller forfalder inden for 14 dage – først forfaldne først.",
    purpose_note: "Borgere, du åbner herfra, åbnes med formålet opfølgning; hver visning logges.",
    legend: "Afgræns listen",
    button: "Vis",
    fld_list: "Liste",
    list_mine: "Min liste ({codes})",
    list_all: "Alle i mine centre",
    any: "Alle",
    fld_initiative: "Indsats",
    fld_anchor: "Anledning",
    showing: "Viser {from}–{to} af {total}",
    overdue_of: "{n} overskredet",
    none_at_all: "Ingen overskredne eller snart forfaldne opfølgninger.",
    none_match: "Ingen opfølgninger passer til afgrænsningen.",
    pages_label: "Sider",
    page: "Side",
    unknown_value: "ukendt værdi",
    col_status: "Status",
    days_over: "{n} dage over forfald",
    due_today: "forfalder i dag",
    due_in: "forfalder om {n} dage",
    sort_by: "Sortér efter",
};
