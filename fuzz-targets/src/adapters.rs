//! The adapters a fuzz target can run, chosen by name (from an environment variable),
//! each with the expected-failures manifest whose deviations are not findings. The names
//! are the registry's ([`jwt_conformance_registry::by_name`]).

use jwt_conformance::Manifest;

pub use jwt_conformance_registry::Chosen;

/// The adapter `verify_bytes` and `verify_structured` run when `JWT_FUZZ_ADAPTER` is unset.
pub const DEFAULT_ADAPTER: &str = "jsonwebtoken";
/// The pair `differential` compares when `JWT_FUZZ_ADAPTERS` is unset.
pub const DEFAULT_PAIR: &str = "jsonwebtoken,reference";

/// A manifest file for `exec:` adapters, which have none built in.
pub const MANIFEST_VAR: &str = "JWT_FUZZ_MANIFEST";

/// The adapter called `name`: a built-in one, a planted bug, or `exec:COMMAND` for a
/// verifier speaking the process protocol (its manifest read from `JWT_FUZZ_MANIFEST`
/// when set).
pub fn by_name(name: &str) -> Result<Chosen, String> {
    let exec_manifest = match (name.starts_with("exec:"), std::env::var_os(MANIFEST_VAR)) {
        (true, Some(path)) => Some(Manifest::load(path.as_ref()).map_err(|e| e.to_string())?),
        _ => None,
    };
    jwt_conformance_registry::by_name(name, exec_manifest)
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
    fn the_fuzz_adapters_resolve_and_unknown_ones_are_named() {
        for name in ["jsonwebtoken", "reference", "planted-none", "planted-exp"] {
            assert_eq!(by_name(name).unwrap().name, name);
        }
        let e = by_name("jwt-magic").err().unwrap();
        assert!(
            e.contains("\"jwt-magic\"") && e.contains("planted-none"),
            "{e}"
        );
    }
}
