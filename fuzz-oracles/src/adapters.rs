//! The adapters a fuzz target can run, chosen by name (from an environment variable),
//! each with the expected-failures manifest whose deviations are not findings.

use jwt_conformance::runner::DEFAULT_TIMEOUT;
use jwt_conformance::{Adapter, Manifest};
use jwt_conformance_process::{reply_timeout_for, ProcessAdapter};
use jwt_conformance_reference::flawed::{Flaw, FlawedAdapter};
use std::sync::Arc;

/// The names [`by_name`] knows, for messages.
pub const NAMES: &str = "jsonwebtoken, reference, planted-none, planted-exp, exec:COMMAND";

/// The adapter `verify_bytes` and `verify_structured` run when `JWT_FUZZ_ADAPTER` is unset.
pub const DEFAULT_ADAPTER: &str = "jsonwebtoken";
/// The pair `differential` compares when `JWT_FUZZ_ADAPTERS` is unset.
pub const DEFAULT_PAIR: &str = "jsonwebtoken,reference";

/// A manifest file for `exec:` adapters, which have none built in.
pub const MANIFEST_VAR: &str = "JWT_FUZZ_MANIFEST";

const REFERENCE_MANIFEST: &str = include_str!("../../reference/expected-failures.toml");

/// An adapter with its name and manifest.
#[derive(Clone)]
pub struct Chosen {
    pub name: String,
    pub adapter: Arc<dyn Adapter>,
    pub manifest: Manifest,
}

fn manifest(source: &str, text: &str) -> Result<Manifest, String> {
    Manifest::parse(source, text).map_err(|e| e.to_string())
}

/// The adapter called `name`: a built-in one, a planted bug, or `exec:COMMAND` for a
/// verifier speaking the process protocol (its manifest read from `JWT_FUZZ_MANIFEST`
/// when set).
pub fn by_name(name: &str) -> Result<Chosen, String> {
    let (adapter, manifest): (Arc<dyn Adapter>, Manifest) = match name {
        "jsonwebtoken" => (
            Arc::new(jwt_conformance_jsonwebtoken::JsonwebtokenAdapter),
            manifest(
                "adapters/jsonwebtoken/expected-failures.toml",
                jwt_conformance_jsonwebtoken::MANIFEST,
            )?,
        ),
        "reference" => (
            Arc::new(jwt_conformance_reference::ReferenceAdapter::STRICT),
            manifest("reference/expected-failures.toml", REFERENCE_MANIFEST)?,
        ),
        // The strict reference with one bug planted, to show the targets find it.
        "planted-none" => (
            Arc::new(FlawedAdapter::strict(Flaw::AcceptsNone)),
            Manifest::empty(),
        ),
        "planted-exp" => (
            Arc::new(FlawedAdapter::strict(Flaw::IgnoresExp)),
            Manifest::empty(),
        ),
        _ => match name.strip_prefix("exec:") {
            Some(command) => {
                let process = ProcessAdapter::spawn(command, reply_timeout_for(DEFAULT_TIMEOUT))
                    .map_err(|e| e.to_string())?;
                let manifest = match std::env::var_os(MANIFEST_VAR) {
                    Some(path) => Manifest::load(path.as_ref()).map_err(|e| e.to_string())?,
                    None => Manifest::empty(),
                };
                (Arc::new(process), manifest)
            }
            None => return Err(format!("unknown adapter {name:?}; known: {NAMES}")),
        },
    };
    Ok(Chosen {
        name: name.to_string(),
        adapter,
        manifest,
    })
}

/// The adapters named in the environment variable `var` (comma-separated), or in
/// `default` when it is unset. Fuzz targets cannot report a usage error, so a bad value
/// stops the process with the message.
pub fn from_env(var: &str, default: &str) -> Vec<Chosen> {
    let names = std::env::var(var).unwrap_or_else(|_| default.to_string());
    names
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|name| by_name(name).unwrap_or_else(|e| panic!("{var}: {e}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_name_resolves_and_unknown_ones_are_named() {
        for name in ["jsonwebtoken", "reference", "planted-none", "planted-exp"] {
            let chosen = by_name(name).unwrap();
            assert_eq!(chosen.name, name);
        }
        let e = by_name("jwt-magic").err().unwrap();
        assert!(
            e.contains("\"jwt-magic\"") && e.contains("planted-none"),
            "{e}"
        );
        let e = by_name("exec:/nonexistent/verifier").err().unwrap();
        assert!(e.contains("/nonexistent/verifier"), "{e}");
    }
}
