//! Validation throughput of the adapters that need jsonwebtoken's aws-lc-rs backend as
//! their process's crypto provider, which `verify` has set to the rust_crypto one.

mod common;

use common::MakeAdapter;
use criterion::{criterion_group, criterion_main, Criterion};
use std::sync::Arc;

const ADAPTERS: &[MakeAdapter] =
    &[|| Arc::new(jwt_conformance_jsonwebtoken_aws_lc::JsonwebtokenAwsLcAdapter)];

fn adapters(c: &mut Criterion) {
    common::per_adapter::bench(c, ADAPTERS);
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = adapters
}
criterion_main!(benches);
