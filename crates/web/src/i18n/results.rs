//! The words of the results dashboard and its drill-down, in one struct so that `da.rs` and
//! `en.rs` each point at one table (`results_da.rs`, `results_en.rs`).

use sikkerby_domain::engine::{Dimension, Status};

/// The strings of the results pages.
#[derive(Debug)]
pub struct ResultTexts {
    pub nav_results: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub filter_legend: &'static str,
    pub fld_year: &'static str,
    pub fld_as_of: &'static str,
    pub as_of_hint: &'static str,
    pub fld_initiative: &'static str,
    pub all_initiatives: &'static str,
    pub show: &'static str,
    pub period: &'static str,
    pub as_of: &'static str,
    /// Said when a settled period is published as of its settled date, not the one asked for.
    pub settled: &'static str,
    pub col_criterion: &'static str,
    pub col_status: &'static str,
    pub col_value: &'static str,
    pub col_target: &'static str,
    pub col_fraction: &'static str,
    pub col_interval: &'static str,
    pub col_unknown: &'static str,
    pub col_pending: &'static str,
    pub col_trend: &'static str,
    pub caption: &'static str,
    pub status_met: &'static str,
    pub status_not_met: &'static str,
    pub status_on_track: &'static str,
    pub status_off_track: &'static str,
    pub status_pending: &'static str,
    pub status_no_data: &'static str,
    pub status_assessed: &'static str,
    /// The status of a cohort smaller than the disclosure threshold.
    pub status_withheld: &'static str,
    pub col_numerator: &'static str,
    pub col_denominator: &'static str,
    pub export_csv: &'static str,
    pub export_xlsx: &'static str,
    pub export_format_error: &'static str,
    pub export_invalid: &'static str,
    pub projection: &'static str,
    pub drill_link: &'static str,
    pub withheld: &'static str,
    pub footnote_count: &'static str,
    pub footnote_share: &'static str,
    pub footnote_heading: &'static str,
    pub legend_unknown: &'static str,
    pub legend_pending: &'static str,
    pub descriptive_heading: &'static str,
    pub descriptive_caption: &'static str,
    pub col_figure: &'static str,
    pub desc_touched: &'static str,
    pub desc_started: &'static str,
    pub without_criteria: &'static str,
    pub trend_label: &'static str,
    pub trend_target: &'static str,
    pub no_data: &'static str,
    pub drill_title: &'static str,
    pub drill_intro: &'static str,
    pub fld_by: &'static str,
    pub dim_centre: &'static str,
    pub dim_caseworker: &'static str,
    pub dim_area: &'static str,
    pub dim_sex: &'static str,
    pub dim_age_band: &'static str,
    pub dim_month: &'static str,
    pub drill_caption: &'static str,
    pub drill_none: &'static str,
    /// The breakdown is withheld as a whole.
    pub drill_withheld: &'static str,
    pub total: &'static str,
    pub unrecorded: &'static str,
    pub back: &'static str,
    pub errors_heading: &'static str,
    pub msg_year: &'static str,
    pub msg_date: &'static str,
    /// The as-of date is not the end of a closed month.
    pub msg_month_end: &'static str,
    pub msg_initiative: &'static str,
    pub msg_dimension: &'static str,
}

impl ResultTexts {
    /// A status in words.
    pub fn status(&self, status: Status) -> &'static str {
        match status {
            Status::Met => self.status_met,
            Status::NotMet => self.status_not_met,
            Status::OnTrack => self.status_on_track,
            Status::OffTrack => self.status_off_track,
            Status::Pending => self.status_pending,
            Status::NoData => self.status_no_data,
            Status::Assessed => self.status_assessed,
            Status::Withheld => self.status_withheld,
        }
    }

    /// A drill-down dimension in words.
    pub fn dimension(&self, dimension: Dimension) -> &'static str {
        match dimension {
            Dimension::Centre => self.dim_centre,
            Dimension::Caseworker => self.dim_caseworker,
            Dimension::Area => self.dim_area,
            Dimension::Sex => self.dim_sex,
            Dimension::AgeBand => self.dim_age_band,
            Dimension::Month => self.dim_month,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Lang;
    use sikkerby_domain::engine::Status;

    #[test]
    fn every_status_reads_the_same_on_the_pages_as_in_the_reports() {
        let all = [
            Status::Met,
            Status::NotMet,
            Status::OnTrack,
            Status::OffTrack,
            Status::Pending,
            Status::NoData,
            Status::Assessed,
            Status::Withheld,
        ];
        for status in all {
            assert_eq!(Lang::Da.texts().res.status(status), sikkerby_reports::display::status_word(status));
        }
    }
}
