//! The whole catalogue as one libtest trial per case, scored with the (empty) manifest.

use jwt_conformance_reference::ReferenceAdapter;

fn main() {
    jwt_conformance::libtest::Harness::new(ReferenceAdapter::STRICT)
        .manifest_file(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/expected-failures.toml"
        ))
        .run()
}
