//! # jwt-conformance-registry
//!
//! The adapters built into jwt-conformance, by name, each with its compiled-in
//! expected-failures manifest: the one list the command line, the fuzz targets and the
//! benchmarks share. Adding a Rust adapter means its own crate, a line in the workspace
//! manifest, and an entry here.
//!
//! Besides the library adapters (each behind a feature of the same name, all on by
//! default) it knows the two reference verifiers, the references with one planted bug
//! (`planted-none`, `planted-exp`, for showing that fuzz targets find what they should),
//! and `exec:COMMAND`, a verifier process speaking protocol v1.

use jwt_conformance::runner::DEFAULT_TIMEOUT;
use jwt_conformance::{Adapter, Manifest};
use jwt_conformance_process::{reply_timeout_for, ProcessAdapter};
use jwt_conformance_reference::flawed::{Flaw, FlawedAdapter};
use jwt_conformance_reference::ReferenceAdapter;
use std::sync::Arc;

/// A built-in adapter.
#[derive(Clone, Copy)]
pub struct Builtin {
    /// The name `run --adapter` takes.
    pub name: &'static str,
    /// Makes the adapter.
    pub make: fn() -> Arc<dyn Adapter>,
    /// Where the manifest lives in the repository, for messages.
    pub manifest_source: &'static str,
    /// The manifest, compiled in.
    pub manifest_text: &'static str,
    /// Whether it can share a process with the other built-ins: jsonwebtoken's crypto
    /// backend is chosen once per process, so `jsonwebtoken` and `jsonwebtoken-aws-lc`
    /// cannot both run in one (the one prepared second reports every case unsupported).
    pub shares_process: bool,
}

impl Builtin {
    /// The adapter.
    pub fn adapter(&self) -> Arc<dyn Adapter> {
        (self.make)()
    }

    /// The adapter's expected-failures manifest.
    pub fn manifest(&self) -> Result<Manifest, jwt_conformance::manifest::ManifestError> {
        Manifest::parse(self.manifest_source, self.manifest_text)
    }
}

const REFERENCE_MANIFEST: &str = include_str!("../../reference/expected-failures.toml");

/// Every built-in adapter, the library adapters of the enabled features first, then
/// the two references.
// Each push but the references' is behind its feature, which `vec![]` cannot express.
#[allow(clippy::vec_init_then_push)]
pub fn all() -> Vec<Builtin> {
    let mut all = Vec::new();
    #[cfg(feature = "jsonwebtoken")]
    all.push(Builtin {
        name: "jsonwebtoken",
        make: || Arc::new(jwt_conformance_jsonwebtoken::JsonwebtokenAdapter),
        manifest_source: "adapters/jsonwebtoken/expected-failures.toml",
        manifest_text: jwt_conformance_jsonwebtoken::MANIFEST,
        shares_process: true,
    });
    #[cfg(feature = "jsonwebtoken-aws-lc")]
    all.push(Builtin {
        name: "jsonwebtoken-aws-lc",
        make: || Arc::new(jwt_conformance_jsonwebtoken_aws_lc::JsonwebtokenAwsLcAdapter),
        manifest_source: "adapters/jsonwebtoken-aws-lc/expected-failures.toml",
        manifest_text: jwt_conformance_jsonwebtoken_aws_lc::MANIFEST,
        shares_process: false,
    });
    #[cfg(feature = "jwt-simple")]
    all.push(Builtin {
        name: "jwt-simple",
        make: || Arc::new(jwt_conformance_jwt_simple::JwtSimpleAdapter),
        manifest_source: "adapters/jwt-simple/expected-failures.toml",
        manifest_text: jwt_conformance_jwt_simple::MANIFEST,
        shares_process: true,
    });
    #[cfg(feature = "josekit")]
    all.push(Builtin {
        name: "josekit",
        make: || Arc::new(jwt_conformance_josekit::JosekitAdapter),
        manifest_source: "adapters/josekit/expected-failures.toml",
        manifest_text: jwt_conformance_josekit::MANIFEST,
        shares_process: true,
    });
    #[cfg(feature = "jwt-compact")]
    all.push(Builtin {
        name: "jwt-compact",
        make: || Arc::new(jwt_conformance_jwt_compact::JwtCompactAdapter),
        manifest_source: "adapters/jwt-compact/expected-failures.toml",
        manifest_text: jwt_conformance_jwt_compact::MANIFEST,
        shares_process: true,
    });
    #[cfg(feature = "biscuit")]
    all.push(Builtin {
        name: "biscuit",
        make: || Arc::new(jwt_conformance_biscuit::BiscuitAdapter),
        manifest_source: "adapters/biscuit/expected-failures.toml",
        manifest_text: jwt_conformance_biscuit::MANIFEST,
        shares_process: true,
    });
    #[cfg(feature = "jwtk")]
    all.push(Builtin {
        name: "jwtk",
        make: || Arc::new(jwt_conformance_jwtk::JwtkAdapter),
        manifest_source: "adapters/jwtk/expected-failures.toml",
        manifest_text: jwt_conformance_jwtk::MANIFEST,
        shares_process: true,
    });
    #[cfg(feature = "jwt")]
    all.push(Builtin {
        name: "jwt",
        make: || Arc::new(jwt_conformance_jwt::JwtAdapter),
        manifest_source: "adapters/jwt/expected-failures.toml",
        manifest_text: jwt_conformance_jwt::MANIFEST,
        shares_process: true,
    });
    #[cfg(feature = "jsonwebtokens")]
    all.push(Builtin {
        name: "jsonwebtokens",
        make: || Arc::new(jwt_conformance_jsonwebtokens::JsonwebtokensAdapter),
        manifest_source: "adapters/jsonwebtokens/expected-failures.toml",
        manifest_text: jwt_conformance_jsonwebtokens::MANIFEST,
        shares_process: true,
    });
    #[cfg(feature = "openidconnect")]
    all.push(Builtin {
        name: "openidconnect",
        make: || Arc::new(jwt_conformance_openidconnect::OpenIdConnectAdapter),
        manifest_source: "adapters/openidconnect/expected-failures.toml",
        manifest_text: jwt_conformance_openidconnect::MANIFEST,
        shares_process: true,
    });
    all.push(Builtin {
        name: "reference",
        make: || Arc::new(ReferenceAdapter::STRICT),
        manifest_source: "reference/expected-failures.toml",
        manifest_text: REFERENCE_MANIFEST,
        shares_process: true,
    });
    all.push(Builtin {
        name: "reference-lenient",
        make: || Arc::new(ReferenceAdapter::LENIENT),
        manifest_source: "reference/expected-failures.toml",
        manifest_text: REFERENCE_MANIFEST,
        shares_process: true,
    });
    all
}

/// The built-in adapter called `name`.
pub fn find(name: &str) -> Option<Builtin> {
    all().into_iter().find(|b| b.name == name)
}

/// The built-in names, for messages.
pub fn names() -> String {
    all().iter().map(|b| b.name).collect::<Vec<_>>().join(", ")
}

/// An adapter chosen by name, with its name and manifest.
#[derive(Clone)]
pub struct Chosen {
    /// The name it was chosen by.
    pub name: String,
    /// The adapter.
    pub adapter: Arc<dyn Adapter>,
    /// The deviations its authors accept.
    pub manifest: Manifest,
}

/// The names [`by_name`] knows beyond the built-ins, for messages.
pub const OTHER_NAMES: &str = "planted-none, planted-exp, exec:COMMAND";

/// The adapter called `name`: a built-in one, a reference with a planted bug
/// (`planted-none`, `planted-exp`), or `exec:COMMAND` for a verifier speaking the process
/// protocol, whose manifest is `exec_manifest` (or none).
pub fn by_name(name: &str, exec_manifest: Option<Manifest>) -> Result<Chosen, String> {
    let chosen = |adapter: Arc<dyn Adapter>, manifest: Manifest| Chosen {
        name: name.to_string(),
        adapter,
        manifest,
    };
    if let Some(builtin) = find(name) {
        let manifest = builtin.manifest().map_err(|e| e.to_string())?;
        return Ok(chosen(builtin.adapter(), manifest));
    }
    match name {
        "planted-none" => Ok(chosen(
            Arc::new(FlawedAdapter::strict(Flaw::AcceptsNone)),
            Manifest::empty(),
        )),
        "planted-exp" => Ok(chosen(
            Arc::new(FlawedAdapter::strict(Flaw::IgnoresExp)),
            Manifest::empty(),
        )),
        _ => match name.strip_prefix("exec:") {
            Some(command) => {
                let process = ProcessAdapter::spawn(command, reply_timeout_for(DEFAULT_TIMEOUT))
                    .map_err(|e| e.to_string())?;
                Ok(chosen(Arc::new(process), exec_manifest.unwrap_or_default()))
            }
            None => Err(format!(
                "unknown adapter {name:?}; known: {}, {OTHER_NAMES}",
                names()
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_resolves_with_a_readable_manifest_and_unknown_ones_are_named() {
        for builtin in all() {
            assert_eq!(builtin.adapter().info().name, builtin.name);
            builtin.manifest().unwrap();
        }
        for name in [
            "reference",
            "reference-lenient",
            "planted-none",
            "planted-exp",
        ] {
            assert_eq!(by_name(name, None).unwrap().name, name);
        }
        let e = by_name("jwt-magic", None).err().unwrap();
        assert!(
            e.contains("\"jwt-magic\"") && e.contains("planted-none"),
            "{e}"
        );
        let e = by_name("exec:/nonexistent/verifier", None).err().unwrap();
        assert!(e.contains("/nonexistent/verifier"), "{e}");
    }
}
