//! `fuzz/known-divergences.toml`: disagreements between two verifiers that are
//! understood and not worth another report, each with its reason. The differential
//! target stays quiet about them, so what it reports is new.
//!
//! ```toml
//! [[divergence]]
//! accepted-by = "jsonwebtoken"   # the adapter that accepts
//! rejected-by = "reference"      # the adapter that rejects
//! kind = "critical"              # the rejecting side's reject kind
//! defect = "`crit` lists"        # a substring of a reference defect of the token
//! message = "…"                  # a substring of the rejecting side's message
//! policy = "issuer none"         # a substring of the policy, as findings describe it
//! case = "crit/b64-true"         # the catalogue case that pins it down, if any
//! reason = "why they differ, and why that is acceptable or already reported"
//! ```
//!
//! An entry matches a divergence when every field it gives matches; it must give at
//! least one of `kind`, `defect` and `message`, so that no entry silences a pair of
//! adapters wholesale.

use jwt_conformance::RejectKind;
use jwt_conformance_reference::Rejection;
use serde::Deserialize;
use std::fmt;

/// The committed file, compiled in.
pub const KNOWN_DIVERGENCES: &str = include_str!("../../fuzz/known-divergences.toml");
/// Its path, for messages.
pub const KNOWN_DIVERGENCES_PATH: &str = "fuzz/known-divergences.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    divergence: Vec<Known>,
}

/// One understood divergence.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Known {
    /// The adapter that accepts.
    pub accepted_by: String,
    /// The adapter that rejects.
    pub rejected_by: String,
    /// The rejecting side's reject kind, if the entry is limited to one.
    pub kind: Option<RejectKind>,
    /// A substring of one of the reference's defects of the token.
    pub defect: Option<String>,
    /// A substring of the rejecting side's message.
    pub message: Option<String>,
    /// A substring of the policy, as findings describe it.
    pub policy: Option<String>,
    /// The catalogue case that pins the divergence down, if any.
    pub case: Option<String>,
    /// Why the two differ, and why that is acceptable or already reported.
    pub reason: String,
}

/// Two verifiers' disagreement on one token: one accepted it, the other rejected it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Divergence {
    /// The adapter that accepted the token.
    pub accepted_by: String,
    /// The adapter that rejected it.
    pub rejected_by: String,
    /// The rejecting side's kind.
    pub kind: RejectKind,
    /// The rejecting side's message.
    pub message: String,
    /// What the reference finds wrong with the token (empty: it is valid).
    pub defects: Vec<Rejection>,
    /// The policy, as `describe_policy` writes it.
    pub policy: String,
}

impl fmt::Display for Divergence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "accepted-by = {:?}, rejected-by = {:?}, kind = {:?}",
            self.accepted_by,
            self.rejected_by,
            self.kind.as_str()
        )
    }
}

impl Known {
    /// Whether this entry's adapters, kind, message and policy fit `d`, and its
    /// `defect`, if given, is in the message of `defect`.
    fn fits(&self, d: &Divergence, defect: Option<&Rejection>) -> bool {
        let has = |text: &str, part: &Option<String>| {
            part.as_ref().is_none_or(|p| text.contains(p.as_str()))
        };
        self.accepted_by == d.accepted_by
            && self.rejected_by == d.rejected_by
            && self.kind.is_none_or(|k| k == d.kind)
            && has(&d.message, &self.message)
            && has(&d.policy, &self.policy)
            && match (&self.defect, defect) {
                (None, _) => true,
                (Some(part), Some(found)) => found.message.contains(part.as_str()),
                (Some(_), None) => false,
            }
    }

    /// Whether this entry alone documents `d`: it fits every defect the reference
    /// found (or the divergence itself, when the reference found none).
    pub fn matches(&self, d: &Divergence) -> bool {
        if d.defects.is_empty() {
            self.fits(d, None)
        } else {
            d.defects.iter().all(|defect| self.fits(d, Some(defect)))
        }
    }
}

/// Whether `entries` document `d`, together with `also` (defects documented
/// elsewhere, e.g. by the accepting adapter's manifest): each of its defects is in
/// `also` or fits some entry, so a token with one known defect and one new one is
/// still reported.
pub fn documents(entries: &[Known], d: &Divergence, also: impl Fn(&Rejection) -> bool) -> bool {
    if d.defects.is_empty() {
        entries.iter().any(|k| k.fits(d, None))
    } else {
        d.defects
            .iter()
            .all(|defect| also(defect) || entries.iter().any(|k| k.fits(d, Some(defect))))
    }
}

/// Parses a known-divergences file; errors name `source` and the entry.
pub fn parse(source: &str, text: &str) -> Result<Vec<Known>, String> {
    let file: File = toml::from_str(text).map_err(|e| format!("{source}: {}", e.message()))?;
    for (i, k) in file.divergence.iter().enumerate() {
        let entry = format!("{source}: divergence {}", i + 1);
        if k.reason.trim().is_empty() {
            return Err(format!("{entry} has an empty reason"));
        }
        if k.accepted_by.trim().is_empty() || k.rejected_by.trim().is_empty() {
            return Err(format!("{entry} must name both adapters"));
        }
        if k.kind.is_none() && k.defect.is_none() && k.message.is_none() {
            return Err(format!(
                "{entry} gives none of kind, defect and message, so it would silence every divergence between {} and {}",
                k.accepted_by, k.rejected_by
            ));
        }
    }
    Ok(file.divergence)
}

/// The committed entries. The file is part of the build and checked by this crate's
/// tests, so a bad one is a defect of the suite.
pub fn committed() -> Vec<Known> {
    parse(KNOWN_DIVERGENCES_PATH, KNOWN_DIVERGENCES).unwrap_or_else(|e| panic!("{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn divergence(kind: RejectKind, defect: &str) -> Divergence {
        Divergence {
            accepted_by: "a".into(),
            rejected_by: "b".into(),
            kind,
            message: "library says no".into(),
            defects: vec![Rejection::new(kind, defect)],
            policy: "issuer none, leeway 0 s".into(),
        }
    }

    #[test]
    fn every_given_field_must_match() {
        let known = parse(
            "k.toml",
            r#"
[[divergence]]
accepted-by = "a"
rejected-by = "b"
kind = "critical"
defect = "crit is null"
policy = "issuer none"
reason = "r"
"#,
        )
        .unwrap();
        let k = &known[0];
        assert!(k.matches(&divergence(RejectKind::Critical, "the crit is null here")));
        assert!(!k.matches(&divergence(RejectKind::Critical, "crit lists x")));
        assert!(!k.matches(&divergence(RejectKind::Malformed, "crit is null")));
        let mut elsewhere = divergence(RejectKind::Critical, "crit is null");
        elsewhere.policy = "issuer \"https://issuer.example\"".into();
        assert!(!k.matches(&elsewhere));
        let mut swapped = divergence(RejectKind::Critical, "crit is null");
        std::mem::swap(&mut swapped.accepted_by, &mut swapped.rejected_by);
        assert!(!k.matches(&swapped));
    }

    #[test]
    fn a_new_defect_beside_a_known_one_is_still_reported() {
        let known = parse(
            "k.toml",
            "[[divergence]]\naccepted-by = \"a\"\nrejected-by = \"b\"\ndefect = \"crit is null\"\nreason = \"r\"\n",
        )
        .unwrap();
        let mut d = divergence(RejectKind::Critical, "crit is null");
        let nothing_else = |_: &Rejection| false;
        assert!(documents(&known, &d, nothing_else));
        d.defects
            .push(Rejection::new(RejectKind::Expired, "exp has passed"));
        assert!(!documents(&known, &d, nothing_else) && !known[0].matches(&d));
        assert!(documents(&known, &d, |r| r.kind == RejectKind::Expired));
    }

    #[test]
    fn bad_files_get_one_clear_error() {
        let broad = "[[divergence]]\naccepted-by = \"a\"\nrejected-by = \"b\"\nreason = \"r\"\n";
        assert!(parse("k.toml", broad)
            .unwrap_err()
            .contains("silence every divergence"));
        let unknown = "[[divergence]]\naccepted-by = \"a\"\nrejected-by = \"b\"\nkind = \"expired\"\nreason = \"r\"\nextra = 1\n";
        let e = parse("k.toml", unknown).unwrap_err();
        assert!(e.starts_with("k.toml") && e.contains("extra"), "{e}");
        let kind = "[[divergence]]\naccepted-by = \"a\"\nrejected-by = \"b\"\nkind = \"late\"\nreason = \"r\"\n";
        assert!(parse("k.toml", kind).is_err());
        assert!(parse("k.toml", "[[[").is_err());
        assert_eq!(parse("k.toml", "").unwrap(), vec![]);
    }

    #[test]
    fn the_committed_file_parses() {
        committed();
    }
}
