//! jwt-conformance adapter for [`jsonwebtoken`](https://docs.rs/jsonwebtoken) on its
//! `aws_lc_rs` backend.
//!
//! jsonwebtoken verifies with one of two crypto providers, and they do not agree on
//! everything: an RSA JWK whose `e` carries leading zero octets is accepted by the
//! RustCrypto provider and rejected by aws-lc-rs. This crate runs the very same adapter
//! as `jwt-conformance-jsonwebtoken` (key picked by `kid` from a `JwkSet`,
//! `DecodingKey::from_jwk`, `decode` with a `Validation` built from the policy) with
//! `jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER` installed instead.
//!
//! The provider is process-wide and can be installed once, so this adapter and the
//! RustCrypto one cannot both run in one process: whichever prepares first wins and the
//! other declines every case as unsupported. Each has its own test binary.
//!
//! Clock: jsonwebtoken reads `SystemTime::now()`, so exact time-boundary cases are
//! skipped.

use jsonwebtoken::crypto::aws_lc;
use jwt_conformance::{Adapter, AdapterInfo, Policy, Verdict, Verifier};
use jwt_conformance_jsonwebtoken::BackendAdapter;

pub use jwt_conformance_jsonwebtoken::LIBRARY_VERSION;

/// The version of aws-lc-rs this adapter is built against (checked against Cargo.lock
/// by a test): the backend's behaviour is part of what is tested.
pub const BACKEND_VERSION: &str = "1.19.0";

/// The expected-failures manifest: jsonwebtoken's known deviations on aws-lc-rs.
pub const MANIFEST: &str = include_str!("../expected-failures.toml");

jwt_conformance::adapter_crate_test!("jsonwebtoken", LIBRARY_VERSION, MANIFEST);

/// [`JsonwebtokenAwsLcAdapter`] as a [`BackendAdapter`].
pub const AWS_LC: BackendAdapter =
    BackendAdapter::new("jsonwebtoken-aws-lc", &aws_lc::DEFAULT_PROVIDER);

/// The jsonwebtoken adapter on the aws-lc-rs backend.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsonwebtokenAwsLcAdapter;

impl Adapter for JsonwebtokenAwsLcAdapter {
    fn info(&self) -> AdapterInfo {
        AWS_LC.info()
    }

    fn prepare(&self, policy: &Policy) -> Result<Box<dyn Verifier>, Verdict> {
        AWS_LC.prepare(policy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backend_version_is_the_locked_one() {
        use jwt_conformance::lockfile::{governing_lock, pinned_versions};
        let lock = governing_lock(env!("CARGO_MANIFEST_DIR")).unwrap();
        assert_eq!(
            pinned_versions(&lock, "aws-lc-rs").unwrap(),
            [BACKEND_VERSION],
            "update BACKEND_VERSION to the locked aws-lc-rs version"
        );
    }

    #[test]
    fn preparing_installs_the_aws_lc_provider() {
        let policy = Policy::new(Default::default(), vec![jwt_conformance::Alg::HS256], None);
        assert!(JsonwebtokenAwsLcAdapter.prepare(&policy).is_ok());
        let installed = jsonwebtoken::crypto::CryptoProvider::try_get_default();
        assert!(installed.is_some_and(|p| std::ptr::eq(p, &aws_lc::DEFAULT_PROVIDER)));
        assert_eq!(JsonwebtokenAwsLcAdapter.info().name, "jsonwebtoken-aws-lc");
    }
}
