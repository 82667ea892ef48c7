//! Locks jwt's verdict on every case of the catalogue, so that a library upgrade that
//! changes behaviour shows up as a snapshot diff to review.

use jwt_conformance::{Manifest, Suite};
use jwt_conformance_jwt::{JwtAdapter, MANIFEST};
use std::sync::Arc;

#[test]
fn verdicts() {
    let manifest = Manifest::parse("expected-failures.toml", MANIFEST).unwrap();
    let suite = Suite::new(Arc::new(JwtAdapter)).manifest(manifest);
    insta::assert_snapshot!(suite.verdict_summary().unwrap());
}
