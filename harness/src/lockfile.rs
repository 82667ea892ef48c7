//! Cargo.lock, read for the versions it pins. An adapter reports the version of the
//! library it wraps, and its tests hold that report to the lock file, so that updating
//! the dependency cannot leave a stale version in every report.

use crate::manifest::Manifest;
use serde::Deserialize;

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Package>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    version: String,
}

/// The versions of `package` that `lock`, the text of a Cargo.lock, pins.
pub fn pinned_versions(lock: &str, package: &str) -> Result<Vec<String>, String> {
    let lock: Lock = toml::from_str(lock).map_err(|e| format!("Cargo.lock: {e}"))?;
    Ok(lock
        .package
        .into_iter()
        .filter(|p| p.name == package)
        .map(|p| p.version)
        .collect())
}

/// What an adapter crate's own test checks: the `reported` version of the wrapped
/// `library` is one `lock` pins, and the adapter's expected-failures `manifest` parses.
pub fn check_adapter_crate(
    lock: &str,
    library: &str,
    reported: &str,
    manifest: &str,
) -> Result<(), String> {
    let pinned = pinned_versions(lock, library)?;
    if !pinned.iter().any(|v| v == reported) {
        return Err(format!(
            "the adapter reports {library} {reported}, but Cargo.lock pins {}: update its LIBRARY_VERSION",
            if pinned.is_empty() {
                "no version of it".to_string()
            } else {
                pinned.join(", ")
            }
        ));
    }
    Manifest::parse("expected-failures.toml", manifest)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The text of the Cargo.lock that governs the crate in `dir`: the first one found in
/// `dir` or a folder above it (a workspace keeps one at its root).
pub fn governing_lock(dir: &str) -> Result<String, String> {
    let start = std::path::Path::new(dir);
    let lock = start
        .ancestors()
        .map(|d| d.join("Cargo.lock"))
        .find(|p| p.is_file())
        .ok_or_else(|| format!("no Cargo.lock in {} or above it", start.display()))?;
    std::fs::read_to_string(&lock).map_err(|e| format!("{}: {e}", lock.display()))
}

/// The test every adapter crate carries: the version of `library` it reports is one
/// the workspace's Cargo.lock pins, and its expected-failures manifest parses (see
/// [`check_adapter_crate`]). One line at the crate root:
///
/// ```ignore
/// jwt_conformance::adapter_crate_test!("jsonwebtoken", LIBRARY_VERSION, MANIFEST);
/// ```
#[macro_export]
macro_rules! adapter_crate_test {
    ($library:expr, $reported:expr, $manifest:expr) => {
        /// The reported library version is the locked one, and the manifest parses.
        #[cfg(test)]
        #[test]
        fn library_version_is_the_locked_one_and_the_manifest_parses() {
            let lock = $crate::lockfile::governing_lock(env!("CARGO_MANIFEST_DIR")).unwrap();
            $crate::lockfile::check_adapter_crate(&lock, $library, $reported, $manifest).unwrap();
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
version = 4

[[package]]
name = "jsonwebtoken"
version = "12.0.0"

[[package]]
name = "base64"
version = "0.21.7"

[[package]]
name = "base64"
version = "0.22.1"
"#;

    #[test]
    fn every_pinned_version_is_found() {
        assert_eq!(
            pinned_versions(LOCK, "base64").unwrap(),
            ["0.21.7", "0.22.1"]
        );
        assert!(pinned_versions(LOCK, "rsa").unwrap().is_empty());
        assert!(pinned_versions("[[package]]\nname = 1", "rsa").is_err());
    }

    #[test]
    fn a_stale_version_or_a_broken_manifest_is_reported() {
        assert_eq!(
            check_adapter_crate(LOCK, "jsonwebtoken", "12.0.0", ""),
            Ok(())
        );
        let stale = check_adapter_crate(LOCK, "jsonwebtoken", "11.0.0", "").unwrap_err();
        assert!(stale.contains("pins 12.0.0"), "{stale}");
        let missing = check_adapter_crate(LOCK, "rsa", "0.9.0", "").unwrap_err();
        assert!(missing.contains("no version"), "{missing}");
        assert!(check_adapter_crate(LOCK, "jsonwebtoken", "12.0.0", "[[").is_err());
    }

    #[test]
    fn the_workspace_lock_file_reads() {
        let lock = include_str!("../../Cargo.lock");
        assert_eq!(pinned_versions(lock, "serde_json").unwrap().len(), 1);
    }
}
