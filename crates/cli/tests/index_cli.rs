//! The built `sikkerby` binary's area-data commands, on both backends: `import tryghed` all or
//! nothing with the rejected row named, `index --format json` in the shape of docs/formats.md
//! with respondent counts below the threshold withheld unless `--raw`, and `index config set`
//! listing the areas whose category changes.

mod cli_support;

use sikkerby_testkit::tryghed::generate_small;
use sikkerby_testkit::{store_test, TestDatabase};
use std::process::Output;

fn sikkerby(url: &str, args: &[&str]) -> Output {
    cli_support::command(url, args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

store_test!(the_area_data_commands_import_print_and_reconfigure_the_index, |db: TestDatabase| async move {
    db.open_seeded().await;
    let dir = tempfile::tempdir().unwrap();
    let folder = generate_small(dir.path());
    let survey = folder.join("survey.csv");
    let good = std::fs::read_to_string(&survey).unwrap();
    let mut bad: Vec<&str> = good.lines().collect();
    bad[4] = "2012-4;tingbjerg;2012;-1;2;3;0";
    std::fs::write(&survey, bad.join("\n")).unwrap();
    let folder_arg = folder.to_str().unwrap();
    let refused = sikkerby(&db.url, &["import", "tryghed", folder_arg]);
    assert!(!refused.status.success());
    assert!(text(&refused.stderr).contains("survey.csv:5: column vaegt:"), "{}", text(&refused.stderr));
    std::fs::write(&survey, good).unwrap();
    let imported = sikkerby(&db.url, &["import", "tryghed", folder_arg]);
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    assert!(text(&imported.stdout).contains("omraader.csv: 105 read, 105 new"));

    let json = sikkerby(&db.url, &["index", "--year", "2013", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!((doc["year"].as_i64(), doc["base_year"].as_i64()), (Some(2013), Some(2012)));
    let areas = doc["areas"].as_array().unwrap();
    assert_eq!(areas.len(), 35);
    for key in [
        "area",
        "bydel",
        "R",
        "V",
        "U",
        "N",
        "I_R",
        "I_V",
        "I_U",
        "T",
        "category",
        "n",
        "n_eff",
        "T_interval",
        "uncertain",
    ] {
        assert!(areas[0].get(key).is_some(), "{key}");
    }
    assert!(doc["city"]["N"].as_f64().is_some());
    let raw = sikkerby(&db.url, &["index", "--year", "2013", "--format", "json", "--raw"]);
    let raw: serde_json::Value = serde_json::from_slice(&raw.stdout).unwrap();
    for (published, exact) in areas.iter().zip(raw["areas"].as_array().unwrap()) {
        let n = exact["n"].as_u64().unwrap();
        if (1..5).contains(&n) {
            assert!(published["n"].is_null() && published["T"].is_null(), "{published}");
            assert!(published["suppressed"].as_array().unwrap().iter().any(|s| s == "n"));
        } else {
            assert_eq!(published, exact);
        }
    }

    let config = dir.path().join("indeks.toml");
    std::fs::write(&config, "[cut_points]\nmarkant = 100.5\n").unwrap();
    let set = sikkerby(&db.url, &["index", "config", "set", config.to_str().unwrap(), "--by", "analytiker"]);
    assert!(set.status.success(), "{}", text(&set.stderr));
    let out = text(&set.stdout);
    assert!(out.contains("index configuration v2 stored (replacing v1), changed by analytiker"), "{out}");
    assert!(
        out.contains("areas change category:")
            && out.contains("behov_for_indsats")
            && out.contains("markant"),
        "{out}"
    );
});
