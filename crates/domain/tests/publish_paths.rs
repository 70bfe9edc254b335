//! Exact figures leave the engine only under a `RawGrant`, and only the store hands one out,
//! after auditing the request: nothing else in the workspace may make one (the benchmark over
//! synthetic data excepted).

#[test]
fn only_the_store_makes_a_raw_grant() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let allowed = [
        "crates/store/src/audit.rs",
        "crates/app/examples/criteria_bench.rs",
        "crates/domain/src/publish/mod.rs",
    ];
    let mut offenders = Vec::new();
    let mut stack = vec![root.join("crates")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                if !path.ends_with("target") {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let relative = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
                let needle = ["RawGrant", "::after_audit("].concat();
                if text.contains(&needle) && !allowed.contains(&relative.as_str()) {
                    offenders.push(relative);
                }
            }
        }
    }
    assert!(offenders.is_empty(), "made a RawGrant outside the store: {offenders:?}");
}
