//! What the fuzz targets' oracles cost: each target's body against the same without
//! the oracle and against its bare baseline (jsonwebtoken's `decode` alone, configured
//! the same way), on the same inputs. The difference is the harness, the adapter and
//! the oracle; it must stay under 20% so that fuzzing with oracles finds bugs nearly as
//! fast as fuzzing for crashes only.
//!
//! Two input sets: `seed-corpus`, the committed seeds, valid tokens that verifiers
//! accept and the oracle must then check; and `mutated-seeds`, each seed with one byte
//! changed, what a fuzzer mostly executes. Every input runs many times, as a fuzzer's
//! corpus does, so `verify_bytes` verifies each valid token's signature once and then
//! remembers it.

#[allow(dead_code)] // the adapters and fixtures the other benches share
mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use jwt_conformance_fuzz_targets as oracles;
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

/// Each seed with one byte changed, at a position that varies from seed to seed: the
/// kind of input a fuzzer executes most, a corpus entry mutated once.
fn mutated(corpus: &[Vec<u8>]) -> Vec<Vec<u8>> {
    corpus
        .iter()
        .enumerate()
        .map(|(i, seed)| {
            let mut input = seed.clone();
            if !input.is_empty() {
                let at = (i * 7919) % input.len();
                input[at] ^= 0x01;
            }
            input
        })
        .collect()
}

type Body = fn(&[u8]);

const BODIES: [(&str, Body); 6] = [
    ("bare-decode", |d| {
        black_box(oracles::bare_decode(d));
    }),
    ("adapter-bytes", |d| {
        black_box(oracles::verify_target_prepared().bytes_unjudged(d));
    }),
    ("verify-bytes", |d| {
        let _ = black_box(oracles::verify_bytes(d));
    }),
    ("bare-structured", |d| {
        black_box(oracles::bare_structured(d));
    }),
    ("adapter-structured", |d| {
        black_box(oracles::verify_target_prepared().structured_unjudged(d));
    }),
    ("verify-structured", |d| {
        let _ = black_box(oracles::verify_structured(d));
    }),
];

fn fuzz_oracle(c: &mut Criterion) {
    let seeds = seed_corpus();
    let inputs = [
        ("seed-corpus", seeds.clone()),
        ("mutated-seeds", mutated(&seeds)),
    ];
    // Prepare the verifiers and fixed setups outside the measurement, and make sure no
    // input is a finding: a finding would panic in a fuzz target.
    for (_, corpus) in &inputs {
        for input in corpus {
            oracles::verify_bytes(input).unwrap_or_else(|f| panic!("{f}"));
            oracles::verify_structured(input).unwrap_or_else(|f| panic!("{f}"));
        }
    }
    let mut group = c.benchmark_group("fuzz-oracle");
    for (set, corpus) in &inputs {
        group.throughput(Throughput::Elements(corpus.len() as u64));
        for (name, body) in BODIES {
            group.bench_function(BenchmarkId::new(name, set), |b| {
                b.iter(|| {
                    for input in corpus {
                        body(black_box(input));
                    }
                })
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = fuzz_oracle
}
criterion_main!(benches);
