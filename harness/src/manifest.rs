//! `expected-failures.toml`: the deviations an adapter's authors accept, each with a
//! reason.
//!
//! ```toml
//! # case id = "why this library deviates"
//! "time/exp-equals-now" = "checks exp with `now > exp`, accepting exp == now"
//! ```

use std::collections::{BTreeMap, HashSet};
use std::fmt;

/// Case id → reason.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    entries: BTreeMap<String, String>,
    /// Where it came from, for error messages.
    pub source: String,
}

/// A manifest that cannot be used: names the file and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestError(pub String);

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ManifestError {}

impl Manifest {
    /// An empty manifest: every case must pass.
    pub fn empty() -> Manifest {
        Manifest::default()
    }

    /// Parses manifest text; `source` names it in errors.
    pub fn parse(source: &str, text: &str) -> Result<Manifest, ManifestError> {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            ManifestError(format!("{source}: not valid TOML: {}", e.message()))
        })?;
        let mut entries = BTreeMap::new();
        for (id, value) in table {
            let reason = match value {
                toml::Value::String(reason) if !reason.trim().is_empty() => reason,
                toml::Value::String(_) => {
                    return Err(ManifestError(format!(
                        "{source}: entry {id:?} has an empty reason"
                    )))
                }
                other => {
                    return Err(ManifestError(format!(
                        "{source}: entry {id:?} must be a string giving the reason, found a {}",
                        other.type_str()
                    )))
                }
            };
            entries.insert(id, reason);
        }
        Ok(Manifest {
            entries,
            source: source.to_string(),
        })
    }

    /// Reads and parses a manifest file.
    pub fn load(path: &std::path::Path) -> Result<Manifest, ManifestError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ManifestError(format!("{}: cannot read: {e}", path.display())))?;
        Manifest::parse(&path.display().to_string(), &text)
    }

    /// The reason a case is expected to fail, if it is listed.
    pub fn reason(&self, id: &str) -> Option<&str> {
        self.entries.get(id).map(String::as_str)
    }

    /// Every listed id with its reason.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Errors for listed ids that match no known case or property.
    /// The ids the manifest lists.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// Checks that every id the manifest lists is `known`; the error names those that are not.
    pub fn check_ids<'a>(
        &self,
        known: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), ManifestError> {
        let known: HashSet<&str> = known.into_iter().collect();
        let unknown: Vec<&str> = self
            .entries
            .keys()
            .map(String::as_str)
            .filter(|id| !known.contains(id))
            .collect();
        if unknown.is_empty() {
            Ok(())
        } else {
            Err(ManifestError(format!(
                "{}: no case or property has the id{} {}",
                self.source,
                if unknown.len() > 1 { "s" } else { "" },
                unknown
                    .iter()
                    .map(|id| format!("{id:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ids_and_reasons() {
        let m = Manifest::parse("m.toml", "\"time/a\" = \"because\"\n").unwrap();
        assert_eq!(m.reason("time/a"), Some("because"));
        assert_eq!(m.reason("time/b"), None);
    }

    #[test]
    fn bad_manifests_get_one_clear_error() {
        let e = Manifest::parse("m.toml", "x = 1").unwrap_err();
        assert!(
            e.0.contains("m.toml") && e.0.contains("\"x\"") && e.0.contains("integer"),
            "{e}"
        );
        assert!(Manifest::parse("m.toml", "x = \" \"")
            .unwrap_err()
            .0
            .contains("empty reason"));
        assert!(Manifest::parse("m.toml", "[[")
            .unwrap_err()
            .0
            .contains("not valid TOML"));
    }

    #[test]
    fn unknown_ids_are_named() {
        let m = Manifest::parse("m.toml", "\"a/b\" = \"r\"\n\"c/d\" = \"r\"").unwrap();
        let e = m.check_ids(["a/b"]).unwrap_err();
        assert!(e.0.contains("\"c/d\"") && !e.0.contains("\"a/b\""), "{e}");
        assert!(m.check_ids(["a/b", "c/d"]).is_ok());
    }
}
