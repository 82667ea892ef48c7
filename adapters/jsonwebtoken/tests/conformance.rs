//! Runs the whole jwt-conformance catalogue and its properties against jsonwebtoken,
//! one test per case and per property.

fn main() {
    jwt_conformance::libtest::Harness::new(jwt_conformance_jsonwebtoken::JsonwebtokenAdapter)
        .manifest_file(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/expected-failures.toml"
        ))
        .regressions_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions"))
        .run()
}
