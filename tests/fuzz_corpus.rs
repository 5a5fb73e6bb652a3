//! Replays the fuzz corpus kept in tests/fuzz/corpus (seeds, what the fuzzers
//! found interesting and every crash they found) through the fuzz targets'
//! properties, so each stays a regression test without any fuzzing tools.
#![cfg(not(target_arch = "wasm32"))]

#[path = "fuzz/checks.rs"]
mod checks;

use std::path::PathBuf;

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/corpus").join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{dir:?}: {err}"))
        .map(|entry| entry.unwrap().path())
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no corpus in {dir:?}");
    inputs
}

#[test]
fn the_parse_corpus_holds_its_properties() {
    for (path, body) in corpus("parse") {
        let outcome = std::panic::catch_unwind(|| checks::check_parse(&body));
        assert!(outcome.is_ok(), "{path:?}");
    }
}

#[tokio::test]
async fn the_handler_corpus_holds_its_properties() {
    let app = checks::handler_app();
    for (path, data) in corpus("handler") {
        let app = app.clone();
        let run = tokio::spawn(async move { checks::check_handler(app, &data).await });
        assert!(run.await.is_ok(), "{path:?}");
    }
}
