//! The half-yearly picture of "urolige områder" (docs/domain.md §8, criterion C18): per district the
//! safety index of its areas, the SSP leader groups' and others' assessments of the half-year,
//! and the young people living there who are in the initiatives (citizens with an enrollment
//! active on the half-year's last day, and with one starting in it), the counts through
//! disclosure control as one table of districts × measures.

use crate::Evaluator;
use sikkerby_domain::disclosure::{protect_table, Cell, DisclosureRules};
use sikkerby_domain::geography::{Area, District};
use sikkerby_domain::half_year::HalfYear;
use sikkerby_domain::safety_index::{Category, IndexResult};
use sikkerby_store::tryghed::AreaAssessment;
use sikkerby_store::StoreError;

/// One area's index figures in the picture.
#[derive(Debug, Clone)]
pub struct AreaLine {
    pub area: Area,
    pub t: Option<f64>,
    pub category: Option<Category>,
    pub uncertain: bool,
}

/// One district of the picture.
#[derive(Debug, Clone)]
pub struct DistrictPicture {
    pub district: District,
    pub areas: Vec<AreaLine>,
    pub assessments: Vec<AreaAssessment>,
    /// Citizens with an enrollment active on the half-year's last day.
    pub active: Cell,
    /// Citizens with an enrollment starting in the half-year.
    pub started: Cell,
}

/// The whole picture of one half-year.
#[derive(Debug, Clone)]
pub struct HalfYearPicture {
    pub half_year: HalfYear,
    /// The index year shown: the half-year's own, or the latest before it with data.
    pub index_year: Option<i32>,
    pub districts: Vec<DistrictPicture>,
    /// The city's totals of the two counts.
    pub active_total: Cell,
    pub started_total: Cell,
}

/// The index year for a half-year: its own year, else the latest earlier year with data.
fn index_year(index: &IndexResult, half: HalfYear) -> Option<i32> {
    index.years.iter().rev().map(|y| y.year).find(|y| *y <= half.year())
}

fn area_lines(index: &IndexResult, year: Option<i32>, areas: &[Area], district: &str) -> Vec<AreaLine> {
    areas
        .iter()
        .filter(|a| a.district == district)
        .filter_map(|a| {
            let figures = year.and_then(|y| index.area(&a.id, y));
            // Areas without index figures that year (seed areas never measured) are left out.
            figures.map(|f| AreaLine {
                area: a.clone(),
                t: f.t,
                category: f.category,
                uncertain: f.uncertain,
            })
        })
        .collect()
}

impl Evaluator {
    /// The half-yearly picture; `rules = None` gives raw counts (for users allowed them).
    pub async fn half_year_picture(
        &self,
        half: HalfYear,
        rules: Option<&DisclosureRules>,
    ) -> Result<HalfYearPicture, StoreError> {
        let store = self.store();
        let (index, _) = self.index().await?;
        let geography = store.geography().await?;
        let assessments = store.area_assessments(half).await?;
        let youth = store.youth_by_district(half.period()).await?;
        let year = index_year(&index, half);
        let counts: Vec<Vec<u64>> = geography
            .districts
            .iter()
            .map(|d| {
                let y = youth.iter().find(|y| y.district == d.id);
                vec![y.map_or(0, |y| y.active_on_last_day), y.map_or(0, |y| y.started)]
            })
            .collect();
        let table = published(&counts, rules);
        let districts = geography
            .districts
            .iter()
            .zip(&table)
            .map(|(d, row)| DistrictPicture {
                district: d.clone(),
                areas: area_lines(&index, year, &geography.areas, &d.id),
                assessments: assessments.iter().filter(|a| a.district == d.id).cloned().collect(),
                active: row[0],
                started: row[1],
            })
            .collect();
        let totals = &table[table.len() - 1];
        Ok(HalfYearPicture {
            half_year: half,
            index_year: year,
            districts,
            active_total: totals[0],
            started_total: totals[1],
        })
    }
}

/// The table of districts × (active, started) with its column totals as the last row, protected
/// unless raw.
fn published(counts: &[Vec<u64>], rules: Option<&DisclosureRules>) -> Vec<Vec<Cell>> {
    match rules {
        Some(rules) => protect_table(rules, counts).cells,
        None => {
            let mut rows: Vec<Vec<Cell>> =
                counts.iter().map(|r| r.iter().map(|&c| Cell::Shown(c)).collect()).collect();
            let total = |i: usize| Cell::Shown(counts.iter().map(|r| r[i]).sum());
            rows.push(vec![total(0), total(1)]);
            rows
        }
    }
}
