//! `sikkerby index`: one year of the safety index as the JSON document of docs/formats.md or a
//! table, through disclosure control unless `--raw`; and `index config set|show`.

use crate::args::OutputFormat;
use crate::format::{print_table, write_csv};
use crate::index_args::{ConfigCommand, IndexArgs, IndexCommand};
use anyhow::Context;
use sikkerby_app::index_config::change_index_config;
use sikkerby_app::index_publish::{publish_areas, year_document, PublishedArea};
use sikkerby_app::Evaluator;
use sikkerby_domain::disclosure::DisclosureRules;
use sikkerby_domain::safety_index::{Category, CityIndex, YearIndex};
use sikkerby_store::Store;

pub async fn run(store: &Store, args: IndexArgs) -> anyhow::Result<()> {
    match args.what {
        Some(IndexCommand::Config { what: ConfigCommand::Set { file, by } }) => {
            set_config(store, &file, &by).await
        }
        Some(IndexCommand::Config { what: ConfigCommand::Show }) => show_config(store).await,
        None => print_year(store, args.year, args.format, args.raw).await,
    }
}

async fn print_year(store: &Store, year: Option<i32>, format: OutputFormat, raw: bool) -> anyhow::Result<()> {
    let evaluator = Evaluator::load(store.clone()).await?;
    let (index, _) = evaluator.index().await?;
    let year = match year.or_else(|| index.years.last().map(|y| y.year)) {
        Some(year) => year,
        None => anyhow::bail!("there are no area data yet: import a tryghed/ folder first"),
    };
    let document = index.year(year).with_context(|| {
        let years: Vec<String> = index.years.iter().map(|y| y.year.to_string()).collect();
        format!("no area data for {year}; the years with data are {}", years.join(", "))
    })?;
    let rules = if raw { None } else { Some(store.disclosure_rules().await?) };
    match format {
        OutputFormat::Json => {
            let json = year_document(document, index.config_version, rules.as_ref());
            println!("{}", serde_json::to_string_pretty(&json)?);
        }
        OutputFormat::Csv => write_csv(&rows(document, rules.as_ref()))?,
        OutputFormat::Table => {
            println!(
                "Tryghedsindeks {year} (basisår {}, konfiguration v{})",
                document.base_year.map_or("–".into(), |y| y.to_string()),
                index.config_version
            );
            print_table(&rows(document, rules.as_ref()));
        }
    }
    Ok(())
}

fn decimal(value: Option<f64>) -> String {
    value.map_or(String::new(), |v| format!("{v:.1}").replace('.', ","))
}

fn percent(value: Option<f64>) -> String {
    value.map_or(String::new(), |v| format!("{:.1} %", v * 100.0).replace('.', ","))
}

fn category(c: Option<Category>) -> String {
    c.map_or(String::new(), |c| c.code().to_owned())
}

/// Header and one row per area, then the city.
fn rows(year: &YearIndex, rules: Option<&DisclosureRules>) -> Vec<Vec<String>> {
    let header = [
        "område",
        "bydel",
        "R",
        "V",
        "U",
        "N",
        "I_R",
        "I_V",
        "I_U",
        "T",
        "T-interval",
        "kategori",
        "n",
        "n_eff",
        "usikker",
    ];
    let mut rows = vec![header.map(String::from).to_vec()];
    rows.extend(publish_areas(year, rules).iter().map(|p| area_row(p, rules)));
    rows.push(city_row(&year.city));
    rows
}

fn area_row(p: &PublishedArea, rules: Option<&DisclosureRules>) -> Vec<String> {
    let a = &p.area;
    let n = match (p.withheld, rules) {
        (true, Some(rules)) => rules.label(),
        _ => a.n.to_string(),
    };
    vec![
        a.area.clone(),
        a.district.clone(),
        decimal(a.r),
        percent(a.v),
        percent(a.u),
        percent(a.night),
        decimal(a.i_r),
        decimal(a.i_v),
        decimal(a.i_u),
        decimal(a.t),
        a.t_interval.map_or(String::new(), |[lo, hi]| format!("{}–{}", decimal(Some(lo)), decimal(Some(hi)))),
        category(a.category),
        n,
        if p.withheld { String::new() } else { decimal(Some(a.n_eff)) },
        if a.uncertain { "ja".into() } else { String::new() },
    ]
}

fn city_row(c: &CityIndex) -> Vec<String> {
    let mut row = vec!["København".into(), String::new(), decimal(c.r), percent(c.v), percent(c.u)];
    row.extend([percent(c.night), decimal(c.i_r), decimal(c.i_v), decimal(c.i_u), decimal(c.t)]);
    row.extend([String::new(), String::new(), c.n.to_string(), decimal(Some(c.n_eff)), String::new()]);
    row
}

async fn set_config(store: &Store, file: &std::path::Path, by: &str) -> anyhow::Result<()> {
    let toml = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let change = change_index_config(store, &toml, by).await?;
    println!(
        "index configuration v{} stored (replacing v{}), changed by {}",
        change.stored.version, change.previous_version, change.stored.changed_by
    );
    if change.changes.is_empty() {
        println!("no area changes category");
        return Ok(());
    }
    println!("{} areas change category:", change.changes.len());
    let mut rows = vec![["år", "område", "før", "efter"].map(String::from).to_vec()];
    for c in &change.changes {
        rows.push(vec![c.year.to_string(), c.area.clone(), category(c.from), category(c.to)]);
    }
    print_table(&rows);
    Ok(())
}

async fn show_config(store: &Store) -> anyhow::Result<()> {
    let history = store.index_config_history().await?;
    let Some(current) = history.last() else {
        let defaults = sikkerby_domain::safety_index::IndexConfig::default();
        println!(
            "# the built-in defaults (version {}) are in force\n{}",
            defaults.version,
            toml_of(&defaults)?
        );
        return Ok(());
    };
    println!(
        "# version {} by {} at {}\n{}",
        current.version, current.changed_by, current.changed_at, current.toml
    );
    for earlier in history.iter().rev().skip(1) {
        println!(
            "# earlier: version {} by {} at {}",
            earlier.version, earlier.changed_by, earlier.changed_at
        );
    }
    Ok(())
}

fn toml_of(config: &sikkerby_domain::safety_index::IndexConfig) -> anyhow::Result<String> {
    Ok(toml::to_string(config)?)
}
