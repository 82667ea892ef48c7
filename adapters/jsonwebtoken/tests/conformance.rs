//! Runs the whole jwt-conformance catalogue against jsonwebtoken, one test per case.

fn main() {
    jwt_conformance::libtest::Harness::new(jwt_conformance_jsonwebtoken::JsonwebtokenAdapter)
        .manifest_file(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/expected-failures.toml"
        ))
        .run()
}
