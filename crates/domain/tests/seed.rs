//! The compiled-in seed data is the memo's content: these tests pin what the memo says.

use rust_decimal::Decimal;
use sikkerby_domain::budget::BudgetCell;
use sikkerby_domain::criteria::CriterionKind;
use sikkerby_domain::portfolio::{DataSource, Scope};
use sikkerby_domain::seed::{self, Seed};

const MEMO_ORDER: [&str; 17] = [
    "KRIMITEAM",
    "ALCAPONE",
    "SSPPLUS",
    "DOMTE",
    "FRITIDSJOB",
    "EXIT",
    "GODLOSLADELSE",
    "UDGAAENDE",
    "VINK",
    "BRANDKORPS",
    "HOTSPOT",
    "NYSTART",
    "PARTNERSKAB",
    "TRYGHEDSINDEKS",
    "UROLIGE",
    "SIKKERBY",
    "SSPBESTYRELSE",
];

fn seed() -> Seed {
    seed::load().expect("the seed data parses and every reference resolves")
}

fn cell(seed: &Seed, initiative: &str, year: i32) -> BudgetCell {
    let column = seed.budget.years.iter().position(|&y| y == year).unwrap();
    let line = seed
        .budget
        .lines
        .iter()
        .find(|l| l.initiative.as_deref() == Some(initiative))
        .unwrap_or_else(|| panic!("no budget line for {initiative}"));
    line.cells[column]
}

#[test]
fn the_seed_data_loads_and_every_reference_resolves() {
    seed::load().unwrap();
}

#[test]
fn the_portfolio_holds_the_seventeen_initiatives_in_the_memos_order() {
    let seed = seed();
    let codes: Vec<&str> = seed.portfolio.initiatives.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(codes, MEMO_ORDER);
}

#[test]
fn every_initiative_has_a_name_a_memo_description_a_target_group_and_phases() {
    for i in &seed().portfolio.initiatives {
        assert!(!i.name.trim().is_empty(), "{} has no name", i.code);
        assert!(!i.memo.description.trim().is_empty(), "{} has no memo text", i.code);
        assert!(!i.target_group.description.trim().is_empty(), "{} has no target group", i.code);
        assert!(!i.phases.is_empty(), "{} has no crime-cycle phase", i.code);
        assert!(!i.notes.trim().is_empty(), "{} has no notes", i.code);
    }
}

#[test]
fn memo_text_is_stripped_of_markdown() {
    for i in &seed().portfolio.initiatives {
        for text in [&i.memo.description, &i.memo.success_criteria, &i.memo.measurement] {
            assert!(!text.contains("**") && !text.contains('\\'), "{}: {text}", i.code);
        }
    }
    let vink = seed().portfolio.get("VINK").unwrap().memo.description.clone();
    assert!(vink.starts_with("VINK – Viden*Inklusion*København."));
}

#[test]
fn ssp_plus_is_for_youths_from_seventeen_and_a_half_until_their_twenty_fifth_birthday() {
    let seed = seed();
    let target = &seed.portfolio.get("SSPPLUS").unwrap().target_group;
    assert_eq!(target.min_age_months, Some(210));
    assert_eq!(target.max_age_months, Some(300));
    assert!(!target.age_band_assumed);
}

#[test]
fn the_age_bands_follow_the_memo_and_only_the_leisure_job_band_is_assumed() {
    let seed = seed();
    let band = |code: &str| {
        let t = &seed.portfolio.get(code).unwrap().target_group;
        (t.min_age_months, t.max_age_months, t.age_band_assumed)
    };
    assert_eq!(band("DOMTE"), (Some(216), Some(360), false));
    assert_eq!(band("EXIT"), (Some(216), Some(312), false));
    assert_eq!(band("NYSTART"), (Some(180), Some(288), false));
    assert_eq!(band("FRITIDSJOB"), (Some(156), Some(216), true));
}

#[test]
fn the_exit_programme_has_twenty_five_full_year_places() {
    let seed = seed();
    assert_eq!(seed.portfolio.get("EXIT").unwrap().capacity_full_year_places, Some(25));
    let others = seed.portfolio.initiatives.iter().filter(|i| i.code.as_str() != "EXIT");
    assert!(others.into_iter().all(|i| i.capacity_full_year_places.is_none()));
}

#[test]
fn opera_measures_the_job_centre_initiatives_and_the_index_measures_the_area_ones() {
    let seed = seed();
    let source = |code: &str| seed.portfolio.get(code).unwrap().data_source;
    for code in ["KRIMITEAM", "SSPPLUS", "DOMTE", "FRITIDSJOB", "EXIT", "UDGAAENDE"] {
        assert_eq!(source(code), DataSource::Opera, "{code}");
    }
    for code in ["HOTSPOT", "PARTNERSKAB", "TRYGHEDSINDEKS", "SIKKERBY"] {
        assert_eq!(source(code), DataSource::SafetyIndex, "{code}");
    }
    assert_eq!(source("NYSTART"), DataSource::External);
    assert_eq!(source("VINK"), DataSource::Manual);
    assert_eq!(source("GODLOSLADELSE"), DataSource::Manual);
}

#[test]
fn the_budget_totals_computed_from_the_lines_equal_the_memos() {
    let seed = seed();
    let expected = [
        (2012, Decimal::new(217, 1)),
        (2013, Decimal::new(216, 1)),
        (2014, Decimal::new(195, 1)),
        (2015, Decimal::new(84, 1)),
    ];
    assert_eq!(seed.budget.totals(), expected);
}

#[test]
fn a_dash_and_an_empty_budget_cell_stay_distinct() {
    let seed = seed();
    assert_eq!(cell(&seed, "SSPPLUS", 2015), BudgetCell::FundingEnded);
    assert_eq!(cell(&seed, "GODLOSLADELSE", 2014), BudgetCell::NoAllocation);
    assert_eq!(cell(&seed, "SSPPLUS", 2014), BudgetCell::Amount(Decimal::new(17, 1)));
}

#[test]
fn every_criterion_from_c1_to_c19_is_present_with_the_memos_words() {
    let seed = seed();
    let ids: Vec<&str> = seed.criteria.iter().map(|c| c.id.as_str()).collect();
    let expected: Vec<String> = (1..=19).map(|n| format!("C{n}")).collect();
    assert_eq!(ids, expected);
    for c in &seed.criteria {
        assert!(!c.memo_words.trim().is_empty(), "{} has no memo words", c.id);
        assert!(!c.definition.trim().is_empty(), "{} has no definition", c.id);
        assert!(!c.targets.is_empty(), "{} has no target", c.id);
    }
}

#[test]
fn the_criteria_keep_key_phrases_of_the_memo_verbatim() {
    let seed = seed();
    let phrases = [
        ("C1", "100 unge modtager tilbud."),
        ("C2", "indenfor det første år efter første behandling af deres sag"),
        ("C3", "600 unge modtager tilbud årligt."),
        ("C4", "3 måneder efter løsladelse fortsat i positiv kontakt med jobcentret"),
        ("C5", "Mindst 200 børn og unge er formidlet til fritidsjob om året."),
        ("C6", "Mindst 50 pct. er fortsat i fritidsjob 3 måneder efter formidlingen."),
        ("C7", "Der forventes ca. 25 løbende aktive sager."),
        ("C8", "tilbud efter Lov om en aktiv beskæftigelsesindsats"),
        ("C9", "3 måneder efter afslutning af tilbud i positiv kontakt med jobcentret"),
        ("C10", "At mindst 66 pct. af de unge, der modtager aktivt tilbud"),
        ("C11", "Ca. 12 oplæg / temadage og 4-5 tværfaglige dialogarrangementer."),
        ("C12", "godkendt af Den politiske styregruppe for Hotspot 22. februar 2012"),
        ("C13", "De unges kriminalitet falder (færre anholdelser, sigtelser, domme)."),
        ("C14", "i nattetimerne vil i 2012 være på niveau med eller bedre end gennemsnittet"),
        ("C15", "Tingbjerg/Utterslevhuses beboere skal være mere trygge - både dag og nat."),
        ("C16", "Kriminaliteten i Tingbjerg/Utterslevhuse skal ned."),
        ("C17", "Der gennemføres årligt en undersøgelse, der forelægges"),
        ("C18", "Der gennemføres halvårligt afrapporteringer til Børne- og Ungdomsudvalget"),
        ("C19", "falder med minimum 50 %. Målet skal være nået senest i 2014”."),
    ];
    for (id, phrase) in phrases {
        let c = seed.criteria.iter().find(|c| c.id == id).unwrap();
        assert!(c.memo_words.contains(phrase), "{id}: {:?}", c.memo_words);
    }
}

#[test]
fn each_criterions_memo_words_stand_in_its_initiatives_success_criteria() {
    let seed = seed();
    for c in &seed.criteria {
        let initiative = seed.portfolio.get(&c.initiative).unwrap();
        assert!(initiative.criteria.contains(&c.id), "{} does not list {}", c.initiative, c.id);
        for line in c.memo_words.lines().filter(|l| !l.trim().is_empty()) {
            assert!(
                initiative.memo.success_criteria.contains(line.trim()),
                "{}: {line:?} is not in {}'s success criteria",
                c.id,
                c.initiative
            );
        }
    }
}

#[test]
fn the_criteria_targets_are_the_memos_figures() {
    let seed = seed();
    let target = |id: &str| {
        let c = seed.criteria.iter().find(|c| c.id == id).unwrap();
        let t = c.target_for(2013).unwrap();
        (c.kind, t.value, t.band)
    };
    assert_eq!(target("C1"), (CriterionKind::CountAtLeast, Some(Decimal::new(100, 0)), None));
    assert_eq!(target("C2"), (CriterionKind::ShareAtLeast, Some(Decimal::new(5, 1)), None));
    assert_eq!(
        target("C7"),
        (CriterionKind::MeanWithinBand, Some(Decimal::new(25, 0)), Some(Decimal::new(2, 1)))
    );
    assert_eq!(target("C10"), (CriterionKind::ShareAtLeast, Some(Decimal::new(66, 2)), None));
    assert_eq!(target("C11"), (CriterionKind::Manual, None, None));
    assert_eq!(target("C13"), (CriterionKind::External, None, None));
    assert_eq!(target("C18"), (CriterionKind::Deliverable, Some(Decimal::new(2, 0)), None));
    assert_eq!(target("C19"), (CriterionKind::Index, Some(Decimal::new(5, 1)), None));
}

#[test]
fn figure_one_places_ssp_plus_in_the_city_wide_row_only() {
    let seed = seed();
    for (scope, cells) in seed.portfolio.figure_one() {
        let present = cells.iter().any(|(_, members)| members.iter().any(|i| i.code.as_str() == "SSPPLUS"));
        assert_eq!(present, scope == Scope::CityWide, "SSPPLUS in the {} row", scope.code());
    }
}

#[test]
fn the_geography_has_the_twelve_districts_and_the_areas_the_memo_names() {
    let seed = seed();
    let districts: Vec<&str> = seed.geography.districts.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        districts,
        [
            "indre_by",
            "christianshavn",
            "oesterbro",
            "noerrebro",
            "vesterbro",
            "kongens_enghave",
            "valby",
            "vanloese",
            "broenshoej_husum",
            "bispebjerg",
            "amager_oest",
            "amager_vest",
        ]
    );
    let area = |id: &str| seed.geography.areas.iter().find(|a| a.id == id).unwrap();
    assert_eq!(area("tingbjerg").name, "Tingbjerg/Utterslevhuse");
    assert_eq!(area("tingbjerg").district, "broenshoej_husum");
    assert_eq!(area("blaagaarden").district, "noerrebro");
    for id in ["husum", "mjoelnerparken", "indre_noerrebro", "ydre_noerrebro", "valby_hotspot", "amager"] {
        assert!(!area(id).memo_wording.is_empty(), "{id}");
    }
}

#[test]
fn the_krimiteam_hangs_under_jku_and_anchors_the_opera_initiatives() {
    let seed = seed();
    let krimiteam = seed.org_units.iter().find(|u| u.id == "krimiteam").unwrap();
    assert_eq!(krimiteam.parent.as_deref(), Some("jku"));
    for code in ["SSPPLUS", "DOMTE", "FRITIDSJOB", "EXIT", "UDGAAENDE"] {
        assert_eq!(seed.portfolio.get(code).unwrap().anchor_unit, "krimiteam", "{code}");
    }
}
