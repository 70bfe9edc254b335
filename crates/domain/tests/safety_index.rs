//! The safety index (docs/domain.md §8) checked against figures computed here by plain loops over the
//! raw rows, never against the module's own output, plus the hand-made edge cases.

use sikkerby_domain::safety_index::uncertainty::{
    kish_effective_n, poisson_rate_p_value, two_proportion_p_value, wilson_interval,
};
use sikkerby_domain::safety_index::{
    category_changes, compute, AreaYear, Category, CutPoints, IndexConfig, IndexInputs, PoliceReports,
    SurveyResponse, Weights,
};

fn area(id: &str, district: &str, year: i32, population: u64) -> AreaYear {
    AreaYear { area: id.into(), district: district.into(), year, population }
}

fn reports(id: &str, year: i32, group: &str, citizen_facing: bool, count: u64) -> PoliceReports {
    PoliceReports { area: id.into(), year, group: group.into(), citizen_facing, count }
}

/// A response: (area, year, weight, neighbourhood answer, night answer, victimised).
fn answer(
    (area, year, weight, safe_neighbourhood, safe_night, victimised): (&str, i32, f64, u8, u8, bool),
    i: usize,
) -> SurveyResponse {
    let (respondent_id, area) = (format!("r{i}"), area.into());
    SurveyResponse { respondent_id, area, year, weight, safe_neighbourhood, safe_night, victimised }
}

/// `count` respondents of weight 1 in an area and year, the first `unsafe_count` unsafe day and
/// night and the first `victims` victimised.
fn crowd(id: &str, year: i32, count: usize, unsafe_count: usize, victims: usize) -> Vec<SurveyResponse> {
    (0..count)
        .map(|i| {
            let answer_value = if i < unsafe_count { 5 } else { 2 };
            answer((id, year, 1.0, answer_value, answer_value, i < victims), i)
        })
        .collect()
}

/// Three areas in two districts over two years, with unequal weights. Laid out as tables.
fn three_areas() -> IndexInputs {
    #[rustfmt::skip]
    let rows = [
        ("a1", 2012, 0.5, 4, 5, true), ("a1", 2012, 1.5, 2, 4, false),
        ("a1", 2012, 1.0, 1, 2, false), ("a1", 2012, 2.0, 5, 5, true),
        ("a2", 2012, 1.0, 3, 4, false), ("a2", 2012, 1.0, 2, 2, false), ("a2", 2012, 0.8, 4, 3, true),
        ("a2", 2012, 1.2, 1, 1, false), ("a2", 2012, 1.0, 2, 3, false),
        ("a3", 2012, 2.5, 5, 5, true), ("a3", 2012, 0.5, 1, 4, false), ("a3", 2012, 1.0, 4, 4, false),
        ("a1", 2013, 1.0, 2, 4, false), ("a1", 2013, 1.0, 3, 3, true), ("a1", 2013, 1.0, 4, 5, false),
        ("a2", 2013, 0.7, 1, 2, false), ("a2", 2013, 1.3, 5, 4, true), ("a2", 2013, 2.0, 2, 2, false),
        ("a3", 2013, 1.5, 4, 5, false), ("a3", 2013, 1.5, 2, 4, true),
        ("a3", 2013, 0.5, 1, 1, false), ("a3", 2013, 0.5, 3, 3, false),
    ];
    #[rustfmt::skip]
    let populations = [
        ("a1", "d1", 2012, 1000), ("a2", "d1", 2012, 2500), ("a3", "d2", 2012, 800),
        ("a1", "d1", 2013, 1050), ("a2", "d1", 2013, 2400), ("a3", "d2", 2013, 820),
    ];
    #[rustfmt::skip]
    let counts = [
        ("a1", 2012, "vold", true, 30), ("a1", 2012, "indbrud", true, 12), ("a1", 2012, "cykel", false, 50),
        ("a2", 2012, "vold", true, 40), ("a2", 2012, "indbrud", true, 35),
        ("a3", 2012, "vold", true, 20), ("a3", 2012, "cykel", false, 9),
        ("a1", 2013, "vold", true, 25), ("a1", 2013, "indbrud", true, 10),
        ("a2", 2013, "vold", true, 50), ("a2", 2013, "cykel", false, 7),
        ("a3", 2013, "vold", true, 30), ("a3", 2013, "indbrud", true, 8),
    ];
    IndexInputs {
        areas: populations.into_iter().map(|(a, d, y, p)| area(a, d, y, p)).collect(),
        reports: counts.into_iter().map(|(a, y, g, c, n)| reports(a, y, g, c, n)).collect(),
        survey: rows.into_iter().enumerate().map(|(i, r)| answer(r, i)).collect(),
    }
}

/// [R, V, U, N] of one area (or the city for `None`) by plain loops over the raw rows.
fn by_hand(inputs: &IndexInputs, id: Option<&str>, year: i32) -> [f64; 4] {
    let in_scope = |a: &str, y: i32| y == year && id.is_none_or(|id| id == a);
    let mut population = 0.0;
    for row in inputs.areas.iter().filter(|r| in_scope(&r.area, r.year)) {
        population += row.population as f64;
    }
    let mut count = 0.0;
    for row in inputs.reports.iter().filter(|r| in_scope(&r.area, r.year)) {
        if row.citizen_facing {
            count += row.count as f64;
        }
    }
    let (mut total, mut victims, mut unsafe_day, mut unsafe_night) = (0.0, 0.0, 0.0, 0.0);
    for r in inputs.survey.iter().filter(|r| in_scope(&r.area, r.year)) {
        total += r.weight;
        victims += if r.victimised { r.weight } else { 0.0 };
        unsafe_day += if r.safe_neighbourhood > 3 { r.weight } else { 0.0 };
        unsafe_night += if r.safe_night > 3 { r.weight } else { 0.0 };
    }
    [count / population * 1000.0, victims / total, unsafe_day / total, unsafe_night / total]
}

fn close(actual: Option<f64>, expected: f64) {
    let actual = actual.expect("a value");
    assert!((actual - expected).abs() <= 1e-9 * expected.abs().max(1.0), "{actual} != {expected}");
}

fn quick() -> IndexConfig {
    IndexConfig { bootstrap_resamples: 400, ..IndexConfig::default() }
}

#[test]
fn every_component_index_and_t_matches_plain_loops_over_the_raw_rows() {
    let inputs = three_areas();
    let result = compute(&inputs, &quick());
    assert_eq!(result.base_year, Some(2012));
    let base = by_hand(&inputs, None, 2012);
    for year in [2012, 2013] {
        for id in ["a1", "a2", "a3"] {
            let got = result.area(id, year).expect("a row");
            let want = by_hand(&inputs, Some(id), year);
            let i: Vec<f64> = (0..3).map(|c| want[c] / base[c] * 100.0).collect();
            #[rustfmt::skip]
            let pairs = [
                (got.r, want[0]), (got.v, want[1]), (got.u, want[2]), (got.night, want[3]),
                (got.i_r, i[0]), (got.i_v, i[1]), (got.i_u, i[2]), (got.t, (i[0] + i[1] + i[2]) / 3.0),
            ];
            pairs.into_iter().for_each(|(got, want)| close(got, want));
        }
        let city = &result.year(year).unwrap().city;
        let want = by_hand(&inputs, None, year);
        [city.r, city.v, city.u, city.night].into_iter().zip(want).for_each(|(got, want)| close(got, want));
    }
}

#[test]
fn the_city_is_100_in_the_base_year_by_construction() {
    let result = compute(&three_areas(), &quick());
    let city = &result.year(2012).unwrap().city;
    for value in [city.i_r, city.i_v, city.i_u, city.t] {
        close(value, 100.0);
    }
    let later = compute(&three_areas(), &IndexConfig { base_year: Some(2013), ..quick() });
    close(later.year(2013).unwrap().city.t, 100.0);
}

#[test]
fn kish_effective_n_of_equal_weights_is_the_number_of_respondents() {
    assert_eq!(kish_effective_n([2.0; 7]), 7.0);
    close(Some(kish_effective_n([1.0, 2.0, 3.0])), 36.0 / 14.0);
    let result = compute(&three_areas(), &quick());
    close(Some(result.area("a1", 2013).unwrap().n_eff), 3.0);
    let a2 = result.area("a2", 2012).unwrap();
    assert_eq!(a2.n, 5);
    close(Some(a2.n_eff), 5.0_f64.powi(2) / (1.0 + 1.0 + 0.64 + 1.44 + 1.0));
}

#[test]
fn wilson_and_the_tests_give_textbook_values() {
    let [lo, hi] = wilson_interval(0.5, 100.0).unwrap();
    assert!((lo - 0.4038).abs() < 1e-4 && (hi - 0.5962).abs() < 1e-4);
    // 50 % vs 60 % on 100 each: z = 1.4213, p = 0.1552.
    assert!((two_proportion_p_value(0.5, 100.0, 0.6, 100.0).unwrap() - 0.1552).abs() < 1e-4);
    // binom.test(12, 14): p = 212 / 16384.
    let p = poisson_rate_p_value(2, 1000.0, 12, 1000.0).unwrap();
    assert!((p - 212.0 / 16384.0).abs() < 1e-9, "{p}");
    assert_eq!(poisson_rate_p_value(10, 500.0, 10, 500.0), Some(1.0));
}

#[test]
fn an_area_with_one_respondent_has_effective_n_one_is_uncertain_and_has_wide_valid_intervals() {
    let mut inputs = three_areas();
    inputs.areas.push(area("lone", "d2", 2012, 300));
    inputs.reports.push(reports("lone", 2012, "vold", true, 6));
    inputs.survey.push(answer(("lone", 2012, 2.5, 4, 2, false), 99));
    let lone = compute(&inputs, &quick()).area("lone", 2012).unwrap().clone();
    assert_eq!((lone.n, lone.n_eff), (1, 1.0));
    assert!(lone.uncertain);
    let shares = [(lone.u, lone.u_interval), (lone.night, lone.night_interval)];
    for (p, [lo, hi]) in shares.map(|(p, i)| (p.unwrap(), i.unwrap())) {
        assert!((0.0..=p).contains(&lo) && (p..=1.0).contains(&hi) && hi - lo > 0.5);
    }
    // Every resample is the same respondent: T has no spread, and the interval is [T, T].
    let ([lo, hi], t) = (lone.t_interval.unwrap(), lone.t.unwrap());
    assert!((lo - t).abs() < 1e-9 && (hi - t).abs() < 1e-9, "[{lo}, {hi}] vs {t}");
}

#[test]
fn a_zero_city_base_leaves_that_index_undefined_and_t_renormalises_the_remaining_weights() {
    let mut inputs = three_areas();
    for r in inputs.survey.iter_mut().filter(|r| r.year == 2012) {
        r.victimised = false;
    }
    let result = compute(&inputs, &quick());
    let base = by_hand(&inputs, None, 2012);
    for year in [2012, 2013] {
        let a1 = result.area("a1", year).unwrap();
        let want = by_hand(&inputs, Some("a1"), year);
        assert_eq!((a1.i_v, a1.v.is_some()), (None, true), "V itself is still shown");
        close(a1.t, (want[0] / base[0] * 100.0 + want[2] / base[2] * 100.0) / 2.0);
    }
    close(result.year(2012).unwrap().city.t, 100.0);
}

#[test]
fn an_area_without_a_row_in_a_year_has_no_result_that_year_and_no_change_the_year_after() {
    let mut inputs = three_areas();
    inputs.areas.retain(|a| !(a.area == "a3" && a.year == 2013));
    inputs.areas.push(area("a3", "d2", 2014, 830));
    inputs.areas.push(area("a1", "d1", 2014, 1060));
    inputs.survey.extend(crowd("a3", 2014, 4, 1, 1));
    inputs.survey.extend(crowd("a1", 2014, 4, 2, 0));
    inputs.reports.push(reports("a3", 2014, "vold", true, 12));
    let result = compute(&inputs, &quick());
    assert!(result.area("a3", 2013).is_none());
    assert_eq!(result.unmatched_responses, 4, "a3's 2013 answers have no row");
    assert_eq!(result.unmatched_reports, 2);
    assert!(result.area("a3", 2014).unwrap().change.is_none());
    assert_eq!(result.area("a1", 2014).unwrap().change.as_ref().unwrap().previous_year, 2013);
    assert!(result.c16_crime_down("a3", 2014).is_none());
    // The city leaves a3's unmatched 2013 answers out too: a1's weights sum to 3, a2's to 4.
    let (a1, a2) = (by_hand(&inputs, Some("a1"), 2013), by_hand(&inputs, Some("a2"), 2013));
    close(result.year(2013).unwrap().city.u, (a1[2] * 3.0 + a2[2] * 4.0) / 7.0);
}

#[test]
fn an_area_with_reports_but_no_survey_responses_has_r_but_no_v_u_n_or_t() {
    let mut inputs = three_areas();
    inputs.areas.push(area("quiet", "d2", 2012, 400));
    inputs.reports.push(reports("quiet", 2012, "vold", true, 8));
    let result = compute(&inputs, &quick());
    let quiet = result.area("quiet", 2012).unwrap();
    close(quiet.r, 20.0);
    assert!(quiet.i_r.is_some());
    assert_eq!((quiet.v, quiet.u, quiet.night, quiet.t), (None, None, None, None));
    assert_eq!((quiet.category, quiet.t_interval, quiet.n, quiet.n_eff), (None, None, 0, 0.0));
    assert!(quiet.uncertain);
    assert!(result.c14_night_at_or_below_city("quiet", 2012).is_none());
}

#[test]
fn a_year_without_any_police_data_has_no_r_rather_than_a_crime_free_one() {
    let mut inputs = three_areas();
    inputs.reports.retain(|r| r.year != 2013);
    let result = compute(&inputs, &quick());
    let a1 = result.area("a1", 2013).unwrap();
    assert_eq!((a1.r, a1.t), (None, None));
    assert!(a1.u.is_some());
}

/// Two areas with 400 respondents each: one changes clearly from 2012 to 2013, one not at all.
fn clear_and_steady() -> IndexInputs {
    let mut inputs = IndexInputs::default();
    for year in [2012, 2013] {
        inputs.areas.extend(["clear", "steady"].map(|id| area(id, "d1", year, 10_000)));
        let clear = if year == 2012 { (80, 40, 100) } else { (200, 120, 300) };
        inputs.survey.extend(crowd("clear", year, 400, clear.0, clear.1));
        inputs.survey.extend(crowd("steady", year, 400, 100, 60));
        inputs.reports.push(reports("clear", year, "vold", true, clear.2));
        inputs.reports.push(reports("steady", year, "vold", true, 150));
    }
    inputs
}

#[test]
fn a_clear_change_is_significant_and_no_change_is_not() {
    let result = compute(&clear_and_steady(), &quick());
    let clear = result.area("clear", 2013).unwrap().change.clone().unwrap();
    for change in [clear.t, clear.r, clear.v, clear.u, clear.night] {
        assert!(change.unwrap().significant, "{change:?}");
    }
    let steady = result.area("steady", 2013).unwrap().change.clone().unwrap();
    for change in [steady.t, steady.r, steady.v, steady.u, steady.night] {
        assert!(!change.unwrap().significant, "{change:?}");
    }
    let c15 = result.c15_safer_than_previous_year("clear", 2013).unwrap();
    assert!(!c15.met && c15.u.significant && c15.night.significant);
    assert!(!result.c16_crime_down("clear", 2013).unwrap().met);
    let back = result.c16_crime_down("steady", 2013).unwrap();
    assert!(!back.met && back.r.p_value == Some(1.0));
}

#[test]
fn the_bootstrap_is_deterministic_for_a_seed_and_its_interval_contains_t() {
    let inputs = clear_and_steady();
    let (first, again) = (compute(&inputs, &quick()), compute(&inputs, &quick()));
    assert_eq!(first, again);
    let other = compute(&inputs, &IndexConfig { bootstrap_seed: 7, ..quick() });
    let clear = first.area("clear", 2013).unwrap();
    assert_ne!(clear.t_interval, other.area("clear", 2013).unwrap().t_interval);
    for year in &first.years {
        for a in &year.areas {
            let ([lo, hi], t) = (a.t_interval.unwrap(), a.t.unwrap());
            assert!(lo < t && t < hi, "{lo} < {t} < {hi}");
            assert_eq!(a.bootstrap.len(), 400);
            let p = a.category_probabilities.unwrap();
            close(Some(Category::ALL.iter().map(|&c| p.get(c)).sum()), 1.0);
        }
    }
}

/// Six areas of 1,000 residents, T from R alone, so each T is set exactly by its reports:
/// the 2012 city has 1,200 reports on 6,000 residents, R = 200, and T = reports / 2.
fn r_only() -> (IndexInputs, IndexConfig) {
    let counts = [
        (2012, [300, 300, 300, 300, 0, 0]),
        (2013, [300, 250, 248, 0, 0, 0]),
        (2014, [300, 250, 300, 0, 0, 0]),
    ];
    let mut inputs = IndexInputs::default();
    for (year, per_area) in counts {
        for (i, count) in per_area.into_iter().enumerate() {
            let id = format!("o{i}");
            inputs.areas.push(area(&id, "d1", year, 1000));
            inputs.reports.push(reports(&id, year, "vold", true, count));
        }
    }
    let weights = Weights { r: 1.0, v: 0.0, u: 0.0 };
    (inputs, IndexConfig { weights, ..quick() })
}

#[test]
fn a_t_exactly_on_a_cut_point_belongs_to_the_higher_category() {
    let cuts = CutPoints::default();
    let expected = [(99.999, "tryg"), (100.0, "behov_for_indsats"), (124.999, "behov_for_indsats")];
    for (t, code) in expected.into_iter().chain([(125.0, "markant"), (150.0, "intensiveret")]) {
        assert_eq!(Category::from_t(t, &cuts).code(), code, "T = {t}");
    }
    let (inputs, config) = r_only();
    let result = compute(&inputs, &config);
    let o1 = result.area("o1", 2013).unwrap();
    assert_eq!((o1.t, o1.category), (Some(125.0), Some(Category::Markant)));
    assert_eq!(result.area("o2", 2013).unwrap().category, Some(Category::BehovForIndsats));
    assert_eq!(o1.t_interval, Some([125.0, 125.0]), "R is a count, not a sample");
}

#[test]
fn c19_is_met_when_marked_or_intensified_areas_are_at_most_half_of_the_base_year() {
    let (inputs, config) = r_only();
    let result = compute(&inputs, &config);
    let met = result.c19_goal(2012, 2013).unwrap();
    assert_eq!((met.base_count, met.count, met.ratio, met.met), (4, 2, Some(0.5), true));
    let missed = result.c19_goal(2012, 2014).unwrap();
    assert_eq!((missed.count, missed.ratio, missed.met), (3, Some(0.75), false));
    assert!(result.c19_goal(2012, 2020).is_none());
}

#[test]
fn c14_compares_the_areas_night_time_unsafety_with_the_city_the_same_year() {
    let inputs = three_areas();
    let result = compute(&inputs, &quick());
    let city = by_hand(&inputs, None, 2012)[3];
    for id in ["a1", "a2", "a3"] {
        let own = by_hand(&inputs, Some(id), 2012)[3];
        let (met, area_n, city_n) = result.c14_night_at_or_below_city(id, 2012).unwrap();
        assert_eq!(met, own <= city);
        close(Some(area_n), own);
        close(Some(city_n), city);
    }
}

#[test]
fn category_changes_lists_the_areas_a_new_cut_point_moves() {
    let (inputs, config) = r_only();
    let before = compute(&inputs, &config);
    let cut_points = CutPoints { markant: 130.0, ..CutPoints::default() };
    let after = compute(&inputs, &IndexConfig { version: 2, cut_points, ..config });
    assert_eq!((before.config_version, after.config_version), (1, 2));
    let moved = category_changes(&before, &after);
    assert_eq!(moved.len(), 2, "{moved:?}");
    assert!(moved.iter().all(|c| c.area == "o1" && c.from == Some(Category::Markant)));
    assert_eq!(moved[0].to, Some(Category::BehovForIndsats));
    assert!(category_changes(&before, &before).is_empty());
}

#[test]
fn a_year_serialises_to_the_documented_index_document() {
    let result = compute(&three_areas(), &quick());
    let json = serde_json::to_value(result.year(2012).unwrap()).unwrap();
    assert_eq!((json["year"].as_i64(), json["base_year"].as_i64()), (Some(2012), Some(2012)));
    assert!(json["city"]["T"].is_number());
    let a1 = &json["areas"][0];
    let documented =
        ["area", "bydel", "R", "V", "U", "N", "I_R", "I_V", "I_U", "T", "category", "n", "n_eff"];
    for key in documented.into_iter().chain(["T_interval", "uncertain"]) {
        assert!(a1.get(key).is_some(), "{key}");
    }
    assert_eq!((a1["area"].as_str(), a1["bydel"].as_str()), (Some("a1"), Some("d1")));
    assert!(a1.get("bootstrap").is_none());
    let code = Category::from_t(a1["T"].as_f64().unwrap(), &CutPoints::default()).code();
    assert_eq!(a1["category"].as_str(), Some(code));
}

#[test]
fn the_configuration_round_trips_through_toml_and_fills_in_defaults() {
    let config = IndexConfig { base_year: Some(2010), version: 3, ..IndexConfig::default() };
    let text = toml::to_string(&config).unwrap();
    assert_eq!(toml::from_str::<IndexConfig>(&text).unwrap(), config);
    let partial: IndexConfig = toml::from_str("version = 2\n[cut_points]\nmarkant = 130.0").unwrap();
    assert_eq!((partial.version, partial.cut_points.markant), (2, 130.0));
    assert_eq!((partial.cut_points.intensiveret, partial.unsafe_from), (150.0, 4));
    assert!(Category::Markant.needs_marked_or_intensified());
    assert!(!Category::BehovForIndsats.needs_marked_or_intensified());
}
