//! The words of the safety-index pages (areas, districts, goal tracker, half-yearly picture), in
//! one struct so that `da.rs` and `en.rs` each point at one table (`index_da.rs`, `index_en.rs`).

use sikkerby_domain::half_year::HalfYear;
use sikkerby_domain::safety_index::Category;

/// The strings of the safety-index pages.
#[derive(Debug)]
pub struct IndexTexts {
    pub nav_index: &'static str,
    /// Menu label of `/maal`.
    pub nav_goal: &'static str,
    /// Menu label of `/uroligeomraader`.
    pub nav_unrest: &'static str,
    pub cat_tryg: &'static str,
    pub cat_behov: &'static str,
    pub cat_markant: &'static str,
    pub cat_intensiveret: &'static str,
    pub cat_none: &'static str,
    /// What each pattern of the charts stands for, in the legend.
    pub pattern_tryg: &'static str,
    pub pattern_behov: &'static str,
    pub pattern_markant: &'static str,
    pub pattern_intensiveret: &'static str,
    pub legend: &'static str,
    pub no_data: &'static str,
    pub year: &'static str,
    pub years_label: &'static str,
    pub city: &'static str,
    pub base_year: &'static str,
    pub config_version: &'static str,
    pub uncertain: &'static str,
    pub uncertain_note: &'static str,
    pub withheld_note: &'static str,
    // Area page.
    pub area_eyebrow: &'static str,
    pub area_lead: &'static str,
    pub area_chart_heading: &'static str,
    pub area_chart_label: &'static str,
    pub area_chart_band: &'static str,
    pub area_chart_reference: &'static str,
    pub components_heading: &'static str,
    pub components_caption: &'static str,
    pub col_r: &'static str,
    pub col_v: &'static str,
    pub col_u: &'static str,
    pub col_n: &'static str,
    pub col_t: &'static str,
    pub col_interval: &'static str,
    pub col_category: &'static str,
    pub col_respondents: &'static str,
    pub col_n_eff: &'static str,
    pub history_heading: &'static str,
    pub history_first: &'static str,
    pub history_same: &'static str,
    pub history_up: &'static str,
    pub history_down: &'static str,
    pub history_probability: &'static str,
    pub back_to_districts: &'static str,
    // District overview.
    pub districts_title: &'static str,
    pub districts_lead: &'static str,
    pub districts_chart_label: &'static str,
    pub district_category_note: &'static str,
    pub areas_heading: &'static str,
    pub areas_count: &'static str,
    // Goal tracker.
    pub goal_title: &'static str,
    pub goal_lead: &'static str,
    pub goal_chart_label: &'static str,
    pub goal_target_line: &'static str,
    pub goal_base_count: &'static str,
    pub goal_target: &'static str,
    pub goal_target_year: &'static str,
    pub goal_caption: &'static str,
    pub col_count: &'static str,
    pub col_share_of_base: &'static str,
    pub col_status: &'static str,
    pub col_projection: &'static str,
    pub col_uncategorised: &'static str,
    pub memo_words: &'static str,
    // Half-yearly picture.
    pub unrest_title: &'static str,
    pub unrest_lead: &'static str,
    pub unrest_choose: &'static str,
    pub unrest_index_year: &'static str,
    pub unrest_youth_caption: &'static str,
    pub col_district: &'static str,
    pub col_area: &'static str,
    /// The district's category (the most serious of its areas), a column of the districts' download.
    pub col_district_category: &'static str,
    pub col_active: &'static str,
    pub col_started: &'static str,
    pub col_source: &'static str,
    pub col_assessment: &'static str,
    pub col_text: &'static str,
    pub assessments_heading: &'static str,
    pub no_assessments: &'static str,
    pub index_heading: &'static str,
    pub total_city: &'static str,
    pub bad_half_year: &'static str,
    /// Assessments 1 (calm) … 5 (serious unrest) in words.
    pub assessment_words: [&'static str; 5],
    /// The first and the second half of `{year}` in words.
    pub half_year_words: [&'static str; 2],
    /// The sources of assessments the extract names by code (`vurderinger.csv`, `kilde`).
    pub source_words: &'static [(&'static str, &'static str)],
}

impl IndexTexts {
    /// A need category in words; `None` (no T) as "no data".
    pub fn category(&self, category: Option<Category>) -> &'static str {
        match category {
            Some(Category::Tryg) => self.cat_tryg,
            Some(Category::BehovForIndsats) => self.cat_behov,
            Some(Category::Markant) => self.cat_markant,
            Some(Category::Intensiveret) => self.cat_intensiveret,
            None => self.cat_none,
        }
    }

    /// What a category's pattern looks like, for the legend.
    pub fn pattern(&self, category: Category) -> &'static str {
        match category {
            Category::Tryg => self.pattern_tryg,
            Category::BehovForIndsats => self.pattern_behov,
            Category::Markant => self.pattern_markant,
            Category::Intensiveret => self.pattern_intensiveret,
        }
    }

    /// A half-year in words: "1. halvår 2013", "first half of 2013".
    pub fn half_year(&self, half: HalfYear) -> String {
        let words = self.half_year_words[usize::from(half.half().clamp(1, 2)) - 1];
        words.replace("{year}", &half.year().to_string())
    }

    /// An assessment's source in words ("SSP-ledergruppen" for `ssp_ledergruppe`); a code
    /// the texts do not know is shown as written, with spaces for underscores.
    pub fn source(&self, code: &str) -> String {
        match self.source_words.iter().find(|(c, _)| *c == code) {
            Some((_, words)) => (*words).to_owned(),
            None => code.replace('_', " "),
        }
    }

    /// An assessment 1–5 in words.
    pub fn assessment(&self, level: u8) -> &'static str {
        self.assessment_words[usize::from(level.clamp(1, 5)) - 1]
    }
}
