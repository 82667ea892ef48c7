//! Runs the whole jwt-conformance catalogue and its properties against jsonwebtoken on
//! aws-lc-rs, one test per case and per property. A test binary of its own:
//! jsonwebtoken's crypto provider is process-wide.

fn main() {
    jwt_conformance::libtest::Harness::new(
        jwt_conformance_jsonwebtoken_aws_lc::JsonwebtokenAwsLcAdapter,
    )
    .manifest_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/expected-failures.toml"
    ))
    .regressions_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions"))
    .run()
}
