//! Fuzzing the CSV import with mutated extracts, run briefly in every test run (and so in CI):
//! whatever the bytes, the import neither panics nor stores part of a rejected folder. The
//! mutations start from a valid extract (so they reach the row checks, not only the header) and
//! flip, insert and delete bytes; `SIKKERBY_FUZZ_CASES` runs more cases locally.

mod opera_support;

use opera_support::{import, snapshot, Extract};
use proptest::prelude::*;
use sikkerby_testkit::{TestBackend, TestDatabase};

const FILES: [&str; 6] =
    ["borgere.csv", "forloeb.csv", "tilbud.csv", "fritidsjob.csv", "haendelser.csv", "opfoelgninger.csv"];

/// One mutation of a file's bytes.
#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, byte: u8 },
    Insert { at: usize, bytes: Vec<u8> },
    Delete { at: usize, len: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip { at, byte }),
        (
            any::<usize>(),
            prop::collection::vec(prop::sample::select(b";,\"\n\r-0123456789xX\xc3\xa6".to_vec()), 1..6)
        )
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (any::<usize>(), 1usize..12).prop_map(|(at, len)| Mutation::Delete { at, len }),
    ]
}

fn apply(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let n = bytes.len().max(1);
        match m {
            Mutation::Flip { at, byte } if !bytes.is_empty() => bytes[at % n] = *byte,
            Mutation::Insert { at, bytes: new } => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, new.iter().copied());
            }
            Mutation::Delete { at, len } if !bytes.is_empty() => {
                let start = at % n;
                let end = (start + len).min(bytes.len());
                bytes.drain(start..end);
            }
            _ => {}
        }
    }
    bytes
}

fn cases() -> u32 {
    std::env::var("SIKKERBY_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn mutated_extract_files_never_panic_the_import_and_a_rejection_stores_nothing(
        file in prop::sample::select(FILES.to_vec()),
        mutations in prop::collection::vec(mutation(), 1..8),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let db = TestDatabase::create(TestBackend::Sqlite).await.unwrap();
            let store = db.open_seeded().await;
            let base = Extract::base();
            let original = std::fs::read(base.path().join(file)).unwrap();
            let extract = base.with_bytes(file, &apply(original, &mutations));
            let before = snapshot(&store).await;
            if import(&store, &extract).await.is_err() {
                assert_eq!(snapshot(&store).await, before, "a rejected import stored something");
            }
        });
    }
}
