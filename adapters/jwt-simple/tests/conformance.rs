//! Runs the whole jwt-conformance catalogue against jwt-simple, one test per case
//! and per property.

fn main() {
    jwt_conformance::libtest::Harness::new(jwt_conformance_jwt_simple::JwtSimpleAdapter)
        .manifest_file(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/expected-failures.toml"
        ))
        .regressions_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions"))
        .run()
}
