//! The measurements made for every adapter: single-thread verify per algorithm,
//! verify on every core, and the rejection path.

use super::fixtures::{attacks, valid};
use super::{threads, MakeAdapter, ALGS};
use criterion::{BenchmarkId, Criterion, Throughput};
use jwt_conformance::{Adapter, Alg, Context, Verdict, Verifier};
use std::hint::black_box;
use std::sync::Barrier;
use std::thread;
use std::time::{Duration, Instant};

/// A verifier prepared once, as a service would, with a token it accepts.
struct Prepared {
    adapter: String,
    alg: Alg,
    ctx: Context,
    token: String,
    verifier: Box<dyn Verifier>,
}

/// Prepares a verifier for every measured algorithm the adapter supports. A policy the
/// adapter cannot express, or a valid token it does not accept, leaves that cell out
/// with a note on stderr: the conformance report, not the benchmark, is where that is
/// judged.
fn prepare_all(adapter: &dyn Adapter) -> Vec<Prepared> {
    let info = adapter.info();
    let ctx = Context::for_adapter(&info);
    let mut prepared = Vec::new();
    for alg in ALGS.into_iter().filter(|a| info.algorithms.contains(a)) {
        let fixture = valid(alg, &ctx);
        let verifier = match adapter.prepare(&fixture.policy) {
            Ok(verifier) => verifier,
            Err(e) => {
                eprintln!("skipping {} {alg}: prepare: {e}", info.name);
                continue;
            }
        };
        match verifier.verify(&fixture.token) {
            Verdict::Accepted { .. } => prepared.push(Prepared {
                adapter: info.name.clone(),
                alg,
                ctx: ctx.clone(),
                token: fixture.token,
                verifier,
            }),
            other => eprintln!(
                "skipping {} {alg}: the valid token was not accepted: {other:?}",
                info.name
            ),
        }
    }
    prepared
}

/// Verifies `token` `iters` times on each of `threads` threads at once; the clock runs
/// from the moment all threads are released until the last one is done.
pub(crate) fn parallel(
    verifier: &dyn Verifier,
    token: &str,
    threads: usize,
    iters: u64,
) -> Duration {
    let barrier = Barrier::new(threads + 1);
    let start = thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                barrier.wait();
                for _ in 0..iters {
                    black_box(verifier.verify(black_box(token)));
                }
            });
        }
        barrier.wait();
        Instant::now()
    });
    start.elapsed()
}

/// `verify/ADAPTER/ALG`, `multithread/ADAPTER/ALG` and `reject/ADAPTER/ALG/ATTACK` for
/// each adapter.
pub(crate) fn bench(c: &mut Criterion, adapters: &[MakeAdapter]) {
    let adapters: Vec<_> = adapters.iter().map(|make| make()).collect();
    let prepared: Vec<Prepared> = adapters.iter().flat_map(|a| prepare_all(&**a)).collect();

    let mut group = c.benchmark_group("verify");
    group.throughput(Throughput::Elements(1));
    for p in &prepared {
        group.bench_function(BenchmarkId::new(&p.adapter, p.alg), |b| {
            b.iter(|| p.verifier.verify(black_box(&p.token)))
        });
    }
    group.finish();

    let n = threads();
    let mut group = c.benchmark_group("multithread");
    group.throughput(Throughput::Elements(n as u64));
    for p in &prepared {
        group.bench_function(BenchmarkId::new(&p.adapter, p.alg), |b| {
            b.iter_custom(|iters| parallel(&*p.verifier, &p.token, n, iters))
        });
    }
    group.finish();

    // Rejection is compared with acceptance of the cheapest algorithm the adapter has,
    // so a verifier that does expensive work before rejecting shows up at its worst.
    let mut group = c.benchmark_group("reject");
    for adapter in &adapters {
        let name = adapter.info().name;
        let Some(p) = prepared.iter().find(|p| p.adapter == name) else {
            continue;
        };
        for (attack, token) in attacks(p.alg, &p.ctx) {
            if let Verdict::Accepted { .. } = p.verifier.verify(&token) {
                eprintln!("skipping reject {name} {attack}: the verifier accepted it");
                continue;
            }
            // Bytes, so that the table can give the cost per byte of the big inputs.
            group.throughput(Throughput::Bytes(token.len() as u64));
            let id = BenchmarkId::new(&name, format!("{}/{attack}", p.alg));
            group.bench_function(id, |b| b.iter(|| p.verifier.verify(black_box(&token))));
        }
    }
    group.finish();
}
