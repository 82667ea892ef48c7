//! Validation throughput of the adapters that need jsonwebtoken's aws-lc-rs backend as
//! their process's crypto provider, which `verify` has set to the rust_crypto one.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};

/// The registry's adapters that need a process of their own.
fn adapters(c: &mut Criterion) {
    let own_process: Vec<_> = jwt_conformance_registry::all()
        .into_iter()
        .filter(|b| !b.shares_process)
        .map(|b| b.make)
        .collect();
    common::per_adapter::bench(c, &own_process);
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = adapters
}
criterion_main!(benches);
