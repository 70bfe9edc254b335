//! The index as published (docs/formats.md, `sikkerby index --format json`): one year's
//! document, with disclosure control unless the reader may see raw figures. Respondents are
//! persons, so an area with 1 … k−1 respondents has its count withheld, and with it every figure
//! computed from its answers alone (they would tell what those few answered).

use serde::Serialize;
use serde_json::{json, Value};
use sikkerby_domain::disclosure::DisclosureRules;
use sikkerby_domain::safety_index::{AreaIndex, CityIndex, YearIndex};

/// The fields withheld from an area with too few respondents.
pub const WITHHELD: [&str; 14] = [
    "n",
    "n_eff",
    "V",
    "U",
    "N",
    "I_V",
    "I_U",
    "T",
    "category",
    "T_interval",
    "V_interval",
    "U_interval",
    "N_interval",
    "category_probabilities",
];

/// An area as published: its figures, and the names of those withheld.
#[derive(Debug, Clone)]
pub struct PublishedArea {
    pub area: AreaIndex,
    pub withheld: bool,
}

/// Whether an area's survey figures must be withheld under `rules`.
pub fn withholds(area: &AreaIndex, rules: Option<&DisclosureRules>) -> bool {
    rules.is_some_and(|r| r.is_small(area.n as u64))
}

/// The areas of a year with withheld figures cleared (`rules = None`: raw).
pub fn publish_areas(year: &YearIndex, rules: Option<&DisclosureRules>) -> Vec<PublishedArea> {
    year.areas
        .iter()
        .map(|a| {
            let withheld = withholds(a, rules);
            let mut area = a.clone();
            if withheld {
                clear(&mut area);
            }
            PublishedArea { area, withheld }
        })
        .collect()
}

fn clear(a: &mut AreaIndex) {
    (a.v, a.u, a.night, a.i_v, a.i_u, a.t, a.category) = (None, None, None, None, None, None, None);
    (a.t_interval, a.v_interval, a.u_interval, a.night_interval) = (None, None, None, None);
    (a.category_probabilities, a.change, a.n, a.n_eff) = (None, None, 0, 0.0);
    a.bootstrap.clear();
}

/// The document of one year, its keys in the order of docs/formats.md.
#[derive(Debug, Serialize)]
pub struct YearDocument<'a> {
    pub year: i32,
    pub base_year: Option<i32>,
    /// The configuration version the figures were computed with.
    pub config_version: u32,
    pub city: &'a CityIndex,
    pub areas: Vec<Value>,
}

/// The JSON document of one year: `{"year", "base_year", "city", "areas": [...]}`, each withheld
/// area with `null` figures and `"suppressed": [names]`.
pub fn year_document<'a>(
    year: &'a YearIndex,
    config_version: u32,
    rules: Option<&DisclosureRules>,
) -> YearDocument<'a> {
    let areas: Vec<Value> = publish_areas(year, rules)
        .into_iter()
        .map(|p| {
            let mut value = serde_json::to_value(&p.area).unwrap_or(Value::Null);
            if let (true, Some(object)) = (p.withheld, value.as_object_mut()) {
                for field in WITHHELD {
                    object.insert(field.to_owned(), Value::Null);
                }
                object.insert("suppressed".into(), json!(WITHHELD));
            }
            value
        })
        .collect();
    YearDocument { year: year.year, base_year: year.base_year, config_version, city: &year.city, areas }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sikkerby_domain::safety_index::{compute, AreaYear, IndexConfig, IndexInputs, SurveyResponse};

    fn answer(id: usize, area: &str) -> SurveyResponse {
        SurveyResponse {
            respondent_id: id.to_string(),
            area: area.into(),
            year: 2013,
            weight: 1.0,
            safe_neighbourhood: 1 + (id % 5) as u8,
            safe_night: 5 - (id % 5) as u8,
            victimised: id.is_multiple_of(3),
        }
    }

    #[test]
    fn an_area_with_fewer_respondents_than_the_threshold_is_published_without_its_survey_figures() {
        let area =
            |id: &str| AreaYear { area: id.into(), district: "valby".into(), year: 2013, population: 1000 };
        let mut survey: Vec<SurveyResponse> = (0..3).map(|i| answer(i, "lille")).collect();
        survey.extend((3..40).map(|i| answer(i, "stor")));
        let inputs = IndexInputs { areas: vec![area("lille"), area("stor")], reports: Vec::new(), survey };
        let result = compute(&inputs, &IndexConfig { bootstrap_resamples: 50, ..IndexConfig::default() });
        let year = result.year(2013).unwrap();
        let rules = DisclosureRules::default();
        let doc = serde_json::to_value(year_document(year, 1, Some(&rules))).unwrap();
        let (small, large) = (&doc["areas"][0], &doc["areas"][1]);
        assert_eq!(small["area"], "lille");
        for field in WITHHELD {
            assert!(small[field].is_null(), "{field}");
        }
        assert_eq!(small["suppressed"].as_array().unwrap().len(), WITHHELD.len());
        assert_eq!(large["n"], 37);
        assert!(large.get("suppressed").is_none());
        assert_eq!(year_document(year, 1, None).areas[0]["n"], 3, "raw");
    }
}
