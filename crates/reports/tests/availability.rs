//! What the report form offers and warns about, on SQLite and PostgreSQL (docs/reports.md
//! "Periods" and "Without data"): the periods of the known years that have begun, and per
//! period the parts of the report without data.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sikkerby_app::Evaluator;
use sikkerby_reports::availability::{missing_data, offered_periods, Missing};
use sikkerby_reports::{ReportKind, ReportPeriod};
use sikkerby_store::cases::{NewCitizen, NewPlacement};
use sikkerby_store::Store;
use sikkerby_testkit::{store_test, TestDatabase};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn labels(store: &Store, kind: ReportKind, today: NaiveDate) -> Vec<String> {
    let evaluator = Evaluator::load(store.clone()).await.unwrap();
    offered_periods(store, &evaluator, kind, today).await.unwrap().into_iter().map(|p| p.label).collect()
}

async fn missing(store: &Store, kind: ReportKind, period: &str) -> Vec<Missing> {
    let evaluator = Evaluator::load(store.clone()).await.unwrap();
    let period = ReportPeriod::parse(kind, period).unwrap();
    missing_data(store, &evaluator, kind, &period).await.unwrap()
}

store_test!(
    the_form_offers_the_begun_periods_of_the_known_years_newest_first,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let budget = store.budget().await.unwrap().years;
        let (first, last) = (budget[0], *budget.last().unwrap());
        assert_eq!(store.case_data_years().await.unwrap(), None, "no case data yet");
        let years: Vec<String> = (first..=last).rev().map(|y| y.to_string()).collect();
        assert_eq!(labels(&store, ReportKind::Annual, date(2026, 12, 3)).await, years, "the budget's years");
        // On 1 May of the budget's second year: nothing after it, and of that year only begun quarters.
        let quarters = labels(&store, ReportKind::Quarter, date(first + 1, 5, 1)).await;
        let expected: Vec<String> =
            [(first + 1, 2), (first + 1, 1), (first, 4), (first, 3), (first, 2), (first, 1)]
                .iter()
                .map(|(y, q)| format!("{y}Q{q}"))
                .collect();
        assert_eq!(quarters, expected);

        // A placement years after the budget stretches the span to it, the years between included.
        let citizen = NewCitizen { cpr: "0101951001".into(), confirm_warnings: true, ..Default::default() };
        let id = store.create_citizen(&citizen).await.unwrap();
        let later = last + 3;
        let placement = NewPlacement { citizen_id: id, employer: None, start: date(later, 3, 1), end: None };
        store.add_placement(&placement).await.unwrap();
        assert_eq!(store.case_data_years().await.unwrap(), Some((later, later)));
        let halves = labels(&store, ReportKind::HalfYear, date(2026, 12, 3)).await;
        assert_eq!(halves.len(), 2 * (later - first + 1) as usize, "{halves:?}");
        assert_eq!(halves[0], format!("{later}H2"));
    }
);

store_test!(
    a_period_lacks_case_data_index_assessments_or_spend_as_its_report_shows_them,
    |db: TestDatabase| async move {
        let store = db.open_seeded().await;
        let year = Missing::Index { year: 2013 };
        assert_eq!(
            missing(&store, ReportKind::Annual, "2013").await,
            [Missing::CaseData, year, Missing::BudgetActuals { year: 2013 }]
        );
        let half_year = sikkerby_domain::half_year::HalfYear::of(date(2013, 1, 1));
        assert_eq!(
            missing(&store, ReportKind::HalfYear, "2013H1").await,
            [Missing::CaseData, year, Missing::Assessments { half_year }]
        );
        assert_eq!(missing(&store, ReportKind::Quarter, "2013Q1").await, [Missing::CaseData, year]);

        // A placement from 1 March 2013 and spend recorded for 2013: only the index still lacks.
        let citizen = NewCitizen { cpr: "0101951002".into(), confirm_warnings: true, ..Default::default() };
        let id = store.create_citizen(&citizen).await.unwrap();
        let placement = NewPlacement { citizen_id: id, employer: None, start: date(2013, 3, 1), end: None };
        store.add_placement(&placement).await.unwrap();
        store.set_budget_actual("Fritidsjobformidling", 2013, Decimal::new(19, 1)).await.unwrap();
        assert_eq!(missing(&store, ReportKind::Annual, "2013").await, [year]);
        assert_eq!(missing(&store, ReportKind::Quarter, "2013Q1").await, [year], "active on its last month");
        let before = Missing::Index { year: 2012 };
        assert_eq!(missing(&store, ReportKind::Quarter, "2012Q4").await, [Missing::CaseData, before]);
    }
);
