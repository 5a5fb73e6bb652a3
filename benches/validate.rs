//! Parse + validate of a full update (every field, ten metadata keys): the work
//! the proxy does per request before it calls Setter. Goal: ≤ 5 µs.
//!   cargo bench --bench validate
// A native benchmark: on wasm32 (clippy --all-targets --target wasm32) it is empty.
#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use setter_contacts::contract::parse;

fn full_update() -> String {
    let metadata: Vec<String> =
        (0..10).map(|i| format!(r#""key{i}": "value number {i}""#)).collect();
    format!(
        r#"{{"id": 123456, "firstName": "Ada", "lastName": "Lovelace", "fullName": "Ada King, Countess of Lovelace",
            "phoneNumber": "+44 (20) 7946-0018", "email": "ada.lovelace@analytical-engine.example.co.uk",
            "defaultTimeZone": "Europe/London", "metadata": {{{}}}}}"#,
        metadata.join(", ")
    )
}

fn bench(c: &mut Criterion) {
    let body = full_update();
    assert!(parse(body.as_bytes()).is_ok(), "the benchmark measures the accepting path");
    let mut group = c.benchmark_group("contract");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("parse_and_validate_full_update", |b| {
        b.iter(|| parse(black_box(body.as_bytes())))
    });
    let rejected =
        body.replace("Europe/London", "europe/londn").replace("@analytical", "@@analytical");
    group.bench_function("parse_and_reject_with_suggestion", |b| {
        b.iter(|| parse(black_box(rejected.as_bytes())))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
