//! What the fuzz targets' oracles cost: each target's body against its bare baseline
//! (jsonwebtoken's `decode` alone, configured the same way), on the same inputs, the
//! committed seed corpus. The difference is the harness, the adapter and the oracle;
//! it must stay under 20% so that fuzzing with oracles finds bugs nearly as fast as
//! fuzzing for crashes only.

#[allow(dead_code)] // the adapters and fixtures the other benches share
mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use jwt_conformance_fuzz_oracles as oracles;
use std::hint::black_box;
use std::path::Path;

/// Every seed token, read once.
fn seed_corpus() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus-seed/tokens");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("readable directory").path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .collect()
}

fn fuzz_oracle(c: &mut Criterion) {
    let corpus = seed_corpus();
    // Prepare the verifiers and fixed setups outside the measurement, and make sure no
    // seed is a finding: a finding would panic in a fuzz target.
    for input in &corpus {
        oracles::verify_bytes(input).unwrap_or_else(|f| panic!("{f}"));
        oracles::verify_structured(input).unwrap_or_else(|f| panic!("{f}"));
        oracles::bare_decode(input);
        oracles::bare_structured(input);
    }
    let mut group = c.benchmark_group("fuzz-oracle");
    group.throughput(Throughput::Elements(corpus.len() as u64));
    let run = |group: &mut criterion::BenchmarkGroup<'_, _>, name: &str, body: fn(&[u8])| {
        group.bench_function(BenchmarkId::new(name, "seed-corpus"), |b| {
            b.iter(|| {
                for input in &corpus {
                    body(black_box(input));
                }
            })
        });
    };
    run(&mut group, "bare-decode", |d| {
        black_box(oracles::bare_decode(d));
    });
    run(&mut group, "verify-bytes", |d| {
        let _ = black_box(oracles::verify_bytes(d));
    });
    run(&mut group, "bare-structured", |d| {
        black_box(oracles::bare_structured(d));
    });
    run(&mut group, "verify-structured", |d| {
        let _ = black_box(oracles::verify_structured(d));
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = fuzz_oracle
}
criterion_main!(benches);
