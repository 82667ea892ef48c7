//! The adapters built into the command line, by name.

use jwt_conformance::{Adapter, Manifest};
use std::sync::Arc;

/// A built-in adapter with its compiled-in manifest.
pub struct Builtin {
    pub name: &'static str,
    pub adapter: Arc<dyn Adapter>,
    pub manifest_source: &'static str,
    pub manifest_text: &'static str,
}

impl Builtin {
    /// The adapter's expected-failures manifest.
    pub fn manifest(&self) -> Result<Manifest, jwt_conformance::manifest::ManifestError> {
        Manifest::parse(self.manifest_source, self.manifest_text)
    }
}

/// Every built-in adapter.
///
/// jsonwebtoken's crypto backend is chosen once per process, so `jsonwebtoken` and
/// `jsonwebtoken-aws-lc` cannot both run in one: the one prepared second reports every
/// case as unsupported.
pub fn all() -> Vec<Builtin> {
    vec![
        Builtin {
            name: "jsonwebtoken",
            adapter: Arc::new(jwt_conformance_jsonwebtoken::JsonwebtokenAdapter),
            manifest_source: "adapters/jsonwebtoken/expected-failures.toml",
            manifest_text: jwt_conformance_jsonwebtoken::MANIFEST,
        },
        Builtin {
            name: "jsonwebtoken-aws-lc",
            adapter: Arc::new(jwt_conformance_jsonwebtoken_aws_lc::JsonwebtokenAwsLcAdapter),
            manifest_source: "adapters/jsonwebtoken-aws-lc/expected-failures.toml",
            manifest_text: jwt_conformance_jsonwebtoken_aws_lc::MANIFEST,
        },
        Builtin {
            name: "jwt-simple",
            adapter: Arc::new(jwt_conformance_jwt_simple::JwtSimpleAdapter),
            manifest_source: "adapters/jwt-simple/expected-failures.toml",
            manifest_text: jwt_conformance_jwt_simple::MANIFEST,
        },
        Builtin {
            name: "josekit",
            adapter: Arc::new(jwt_conformance_josekit::JosekitAdapter),
            manifest_source: "adapters/josekit/expected-failures.toml",
            manifest_text: jwt_conformance_josekit::MANIFEST,
        },
        Builtin {
            name: "jwt-compact",
            adapter: Arc::new(jwt_conformance_jwt_compact::JwtCompactAdapter),
            manifest_source: "adapters/jwt-compact/expected-failures.toml",
            manifest_text: jwt_conformance_jwt_compact::MANIFEST,
        },
        Builtin {
            name: "biscuit",
            adapter: Arc::new(jwt_conformance_biscuit::BiscuitAdapter),
            manifest_source: "adapters/biscuit/expected-failures.toml",
            manifest_text: jwt_conformance_biscuit::MANIFEST,
        },
    ]
}

/// The built-in adapter called `name`.
pub fn find(name: &str) -> Option<Builtin> {
    all().into_iter().find(|b| b.name == name)
}

/// The names, for error messages.
pub fn names() -> String {
    all().iter().map(|b| b.name).collect::<Vec<_>>().join(", ")
}
