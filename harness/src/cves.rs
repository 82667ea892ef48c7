//! The register of public advisories (CVE, GHSA, Go, PyPA, RustSec) about JWT/JOSE
//! verification code, and which cases catch each: `vectors/cves/register.toml`, with the
//! advisories looked at and left out in `vectors/cves/excluded.toml`. Both are compiled
//! in from the data crate and read strictly: an unknown field, a malformed id or date, or
//! a coverage without its cases or reason is an error naming the file and the entry.
//!
//! Coverage is honest about what exists: `covered` names cases that fail on a verifier
//! with the bug; `planned` names the class being added that will catch it, with a reason;
//! `uncovered` says what case would. The command line lists the register
//! (`jwt-conformance cves`), selects an advisory's cases (`run --filter CVE-…`) and names
//! the advisories behind each failing case.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

/// The register as the data crate names it, for messages.
pub const REGISTER_FILE: &str = "vectors/cves/register.toml";
/// The advisories left out, as the data crate names them.
pub const EXCLUDED_FILE: &str = "vectors/cves/excluded.toml";

/// Classes whose cases are being added. An advisory may name one in `planned` before its
/// first case exists; once the class exists, any class of the catalogue may be named.
pub const PLANNED_CLASSES: [&str; 7] = [
    "sign-encrypt-confusion",
    "nested-jwt",
    "jwe-limits",
    "jwks",
    "oidc-id-token",
    "rfc9068",
    "rfc7523",
];

/// How far the suite catches an advisory's bug.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Coverage {
    /// At least one existing case (or property) fails on a verifier with the bug.
    Covered,
    /// No case catches it yet; a class being added will (named in `planned`).
    Planned,
    /// Nothing catches it and nothing is planned; the reason says what would.
    Uncovered,
}

impl Coverage {
    /// Every coverage, in report order.
    pub const ALL: [Coverage; 3] = [Coverage::Covered, Coverage::Planned, Coverage::Uncovered];

    /// `covered`, `planned` or `uncovered`.
    pub fn as_str(self) -> &'static str {
        match self {
            Coverage::Covered => "covered",
            Coverage::Planned => "planned",
            Coverage::Uncovered => "uncovered",
        }
    }
}

impl fmt::Display for Coverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of bug an advisory describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BugClass {
    /// A token with `alg` none (or no `alg`) accepted.
    AlgNone,
    /// An asymmetric public key used as an HMAC secret.
    AlgConfusion,
    /// A key not bound to its algorithm, key type or curve.
    KeyConfusion,
    /// HMAC verified with a zero-length key.
    EmptyKey,
    /// Weak or short keys accepted.
    KeyStrength,
    /// ECDSA with r = 0 or s = 0 accepted.
    PsychicSignature,
    /// Non-canonical ECDSA encodings accepted.
    EcdsaFormat,
    /// Lenient PKCS#1 v1.5 signature decoding.
    RsaPkcs1Parsing,
    /// Malleable signature encodings.
    SignatureEncoding,
    /// The signature not verified at all.
    SignatureBypass,
    /// A key taken from the `jwk`, `jku`, `x5u` or `x5c` header.
    HeaderKeyInjection,
    /// `kid` used in SQL, path or shell lookups.
    KidInjection,
    /// A claim of the wrong JSON type skipped.
    ClaimTypeConfusion,
    /// `aud` or `iss` matched wrongly.
    AudienceIssuer,
    /// `exp`, `nbf` or `iat` handled wrongly.
    TimeValidation,
    /// A token of another type accepted.
    TypConfusion,
    /// Unknown `crit` extensions accepted.
    Crit,
    /// RFC 7797 `b64` mishandled.
    B64,
    /// JWS JSON and compact polyglots, segment counts, several signatures.
    JsonSerialization,
    /// A JWE accepted where a JWS is expected.
    SignEncryptConfusion,
    /// An unsigned or untrusted inner token of a nested JWT.
    NestedJwt,
    /// JWE decompression bombs.
    JweDos,
    /// PBES2 iteration counts unbounded (or too low).
    Pbes2Dos,
    /// An ECDH-ES ephemeral key not validated.
    InvalidCurve,
    /// JWE authentication or oracle flaws.
    JweCrypto,
    /// JWKS fetching, refreshing, caching and key sources.
    JwksCaching,
    /// Non-constant-time comparison.
    Timing,
    /// Resource exhaustion or a panic while parsing.
    ParserDos,
    /// Resource exhaustion inside signature arithmetic.
    CryptoDos,
    /// `jti` replay.
    Replay,
    /// Anything else (the description says what).
    Other,
}

impl BugClass {
    /// The name as the register spells it (`alg-none`, …).
    pub fn as_str(self) -> String {
        // The serde name is the one spelling; a unit variant always serialises.
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(s)) => s,
            _ => format!("{self:?}"),
        }
    }
}

/// One advisory of the register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Advisory {
    /// `CVE-…`, `GHSA-…`, `GO-…`, `PYSEC-…` or `RUSTSEC-…`.
    pub id: String,
    /// Other ids of the same advisory.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The affected library.
    pub library: String,
    /// The library's package ecosystem, e.g. `npm`.
    pub ecosystem: String,
    /// The library's programming language.
    pub language: String,
    /// The vulnerable versions, as the record states them.
    pub affected: String,
    /// The first fixed release(s); empty when the record read does not give one.
    pub fixed: String,
    /// `YYYY-MM-DD`.
    pub published: String,
    /// The kind of bug.
    pub bug_class: BugClass,
    /// What the bug is.
    pub description: String,
    /// The record read.
    pub source: String,
    /// Cases (or properties) that fail on a verifier with the bug.
    #[serde(default)]
    pub cases: Vec<String>,
    /// Classes being added that will catch it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub planned: Vec<String>,
    /// Whether the suite catches the bug.
    pub coverage: Coverage,
    /// Why it is not covered (required unless covered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// A vulnerable release installable from PyPI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pypi_installable: Option<String>,
    /// The fixed release on PyPI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pypi_fixed: Option<String>,
    /// A vulnerable release installable from npm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub npm_installable: Option<String>,
    /// The fixed release on npm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub npm_fixed: Option<String>,
    /// Where `published` comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_basis: Option<String>,
    /// Caveats: configurations the bug needs, what was not read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Advisory {
    /// Whether `name` is this advisory's id or one of its aliases (ASCII case ignored).
    pub fn is_named(&self, name: &str) -> bool {
        let name = name.trim();
        self.id.eq_ignore_ascii_case(name)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    }
}

/// An advisory looked at and left out of the register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Excluded {
    /// The advisory id, or for a record without one a name for it.
    pub id: String,
    /// Other ids of the same advisory.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The affected library.
    pub library: String,
    /// The library's package ecosystem, e.g. `npm`.
    pub ecosystem: String,
    /// Why it is not in the register.
    pub reason: String,
}

/// The register and the advisories left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Register {
    /// The advisories of the register.
    pub advisories: Vec<Advisory>,
    /// The advisories looked at and left out.
    pub excluded: Vec<Excluded>,
}

/// Advisory counts by coverage.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Advisories in the register.
    pub total: usize,
    /// Advisories the suite's cases or properties catch.
    pub covered: usize,
    /// Advisories that classes being added will catch.
    pub planned: usize,
    /// Advisories nothing catches.
    pub uncovered: usize,
    /// Advisories left out (excluded.toml).
    pub excluded: usize,
}

/// A register that cannot be used: the file, the entry when there is one, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisterError {
    /// The register file.
    pub file: String,
    /// The entry's id, or `entry N` (1-based) when it has none.
    pub entry: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for RegisterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.entry {
            Some(entry) => write!(f, "{}: {entry}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for RegisterError {}

impl RegisterError {
    fn new(file: &str, entry: Option<&str>, message: impl Into<String>) -> RegisterError {
        RegisterError {
            file: file.to_string(),
            entry: entry.map(String::from),
            message: message.into(),
        }
    }
}

/// Whether `id` has the form of an advisory id the register accepts as an entry's id.
pub fn is_advisory_id(id: &str) -> bool {
    let numbered = |prefix: &str, min_digits: usize| {
        id.strip_prefix(prefix)
            .and_then(|rest| rest.split_once('-'))
            .is_some_and(|(year, n)| {
                year.len() == 4
                    && year.bytes().all(|b| b.is_ascii_digit())
                    && n.len() >= min_digits
                    && n.bytes().all(|b| b.is_ascii_digit())
            })
    };
    let ghsa = id.strip_prefix("GHSA-").is_some_and(|rest| {
        let parts: Vec<&str> = rest.split('-').collect();
        parts.len() == 3
            && parts.iter().all(|p| {
                p.len() == 4
                    && p.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            })
    });
    numbered("CVE-", 4)
        || numbered("GO-", 4)
        || numbered("PYSEC-", 1)
        || numbered("RUSTSEC-", 4)
        || ghsa
}

/// Whether `alias` is a valid alias: an advisory id, or `npm-advisory-N`.
fn is_alias(alias: &str) -> bool {
    is_advisory_id(alias)
        || alias
            .strip_prefix("npm-advisory-")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `date` is a calendar date written `YYYY-MM-DD`.
fn is_date(date: &str) -> bool {
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts[..] else { return false };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return false;
    }
    let (y, m, d): (u32, u32, u32) = match (y.parse(), m.parse(), d.parse()) {
        (Ok(y), Ok(m), Ok(d)) => (y, m, d),
        _ => return false,
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// The entries of `key` in a TOML document, each with the label errors use for it.
fn entries(file: &str, text: &str, key: &str) -> Result<Vec<(String, toml::Value)>, RegisterError> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        RegisterError::new(
            file,
            None,
            format!("not valid TOML: {}", e.message().trim()),
        )
    })?;
    let mut items = None;
    for (name, value) in table {
        if name != key {
            return Err(RegisterError::new(
                file,
                None,
                format!("unknown top-level key {name:?} (expected only [[{key}]] entries)"),
            ));
        }
        match value {
            toml::Value::Array(array) => items = Some(array),
            other => {
                return Err(RegisterError::new(
                    file,
                    None,
                    format!(
                        "{key} must be an array of tables ([[{key}]]), found a {}",
                        other.type_str()
                    ),
                ))
            }
        }
    }
    Ok(items
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, value)| {
            let label = match value.get("id") {
                Some(toml::Value::String(id)) if !id.trim().is_empty() => id.clone(),
                _ => format!("entry {}", i + 1),
            };
            (label, value)
        })
        .collect())
}

/// Deserialises one entry, naming it in the error.
fn entry<T: serde::de::DeserializeOwned>(
    file: &str,
    label: &str,
    value: toml::Value,
) -> Result<T, RegisterError> {
    value
        .try_into()
        .map_err(|e: toml::de::Error| RegisterError::new(file, Some(label), e.message().trim()))
}

impl Register {
    /// Parses the register and the exclusions; `register_file` and `excluded_file` name
    /// them in errors.
    pub fn parse(
        register_file: &str,
        register_text: &str,
        excluded_file: &str,
        excluded_text: &str,
    ) -> Result<Register, RegisterError> {
        let mut advisories = Vec::new();
        for (label, value) in entries(register_file, register_text, "advisory")? {
            let advisory: Advisory = entry(register_file, &label, value)?;
            check_advisory(&advisory)
                .map_err(|message| RegisterError::new(register_file, Some(&label), message))?;
            advisories.push(advisory);
        }
        let mut excluded = Vec::new();
        for (label, value) in entries(excluded_file, excluded_text, "excluded")? {
            let entry: Excluded = entry(excluded_file, &label, value)?;
            check_excluded(&entry)
                .map_err(|message| RegisterError::new(excluded_file, Some(&label), message))?;
            excluded.push(entry);
        }
        // Each id or alias names one entry, in either file.
        let mut seen: BTreeMap<String, (String, String)> = BTreeMap::new();
        let names = advisories
            .iter()
            .map(|a| (register_file, &a.id, &a.aliases))
            .chain(excluded.iter().map(|e| (excluded_file, &e.id, &e.aliases)));
        for (file, id, aliases) in names {
            for name in std::iter::once(id).chain(aliases) {
                let key = name.to_ascii_uppercase();
                if let Some((other_file, other)) = seen.get(&key) {
                    return Err(RegisterError::new(
                        file,
                        Some(id),
                        format!("{name} also names {other} in {other_file}"),
                    ));
                }
                seen.insert(key, (file.to_string(), id.clone()));
            }
        }
        Ok(Register {
            advisories,
            excluded,
        })
    }

    /// The register compiled into the data crate.
    pub fn builtin() -> Result<&'static Register, &'static RegisterError> {
        static BUILTIN: OnceLock<Result<Register, RegisterError>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                Register::parse(
                    REGISTER_FILE,
                    jwt_conformance_vectors::CVE_REGISTER,
                    EXCLUDED_FILE,
                    jwt_conformance_vectors::CVE_EXCLUDED,
                )
            })
            .as_ref()
    }

    /// Reads a register file and, optionally, its exclusions (none when absent).
    pub fn load(register: &Path, excluded: Option<&Path>) -> Result<Register, RegisterError> {
        let read = |path: &Path| {
            std::fs::read_to_string(path).map_err(|e| {
                RegisterError::new(
                    &path.display().to_string(),
                    None,
                    format!("cannot read: {e}"),
                )
            })
        };
        let register_text = read(register)?;
        let (excluded_name, excluded_text) = match excluded {
            Some(path) => (path.display().to_string(), read(path)?),
            None => (EXCLUDED_FILE.to_string(), String::new()),
        };
        Register::parse(
            &register.display().to_string(),
            &register_text,
            &excluded_name,
            &excluded_text,
        )
    }

    /// The advisory whose id or alias is `name` (ASCII case ignored).
    pub fn find(&self, name: &str) -> Option<&Advisory> {
        self.advisories.iter().find(|a| a.is_named(name))
    }

    /// The advisories whose `cases` list `case_id`.
    pub fn for_case<'a>(&'a self, case_id: &'a str) -> impl Iterator<Item = &'a Advisory> + 'a {
        self.advisories
            .iter()
            .filter(move |a| a.cases.iter().any(|c| c == case_id))
    }

    /// Counts by coverage.
    pub fn counts(&self) -> Counts {
        let count = |c: Coverage| self.advisories.iter().filter(|a| a.coverage == c).count();
        Counts {
            total: self.advisories.len(),
            covered: count(Coverage::Covered),
            planned: count(Coverage::Planned),
            uncovered: count(Coverage::Uncovered),
            excluded: self.excluded.len(),
        }
    }

    /// Checks that every `cases` entry is a known case or property id and every `planned`
    /// entry a class of the catalogue or of [`PLANNED_CLASSES`].
    pub fn check_cases<'a>(
        &self,
        file: &str,
        known_ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), RegisterError> {
        let ids: HashSet<&str> = known_ids.into_iter().collect();
        let classes: HashSet<&str> = ids
            .iter()
            .filter_map(|id| id.split_once('/').map(|(class, _)| class))
            .chain(PLANNED_CLASSES)
            .collect();
        for a in &self.advisories {
            let unknown: Vec<&str> = a
                .cases
                .iter()
                .map(String::as_str)
                .filter(|c| !ids.contains(c))
                .collect();
            if !unknown.is_empty() {
                return Err(RegisterError::new(
                    file,
                    Some(&a.id),
                    format!("no case or property has the id {}", quoted(&unknown)),
                ));
            }
            let unplanned: Vec<&str> = a
                .planned
                .iter()
                .map(String::as_str)
                .filter(|c| !classes.contains(c))
                .collect();
            if !unplanned.is_empty() {
                return Err(RegisterError::new(
                    file,
                    Some(&a.id),
                    format!(
                        "planned names {}, neither a class of the catalogue nor a planned class ({})",
                        quoted(&unplanned),
                        PLANNED_CLASSES.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// `"a", "b"`.
fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("{s:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What is wrong with one advisory, beyond its fields' types.
fn check_advisory(a: &Advisory) -> Result<(), String> {
    if !is_advisory_id(&a.id) {
        return Err(format!(
            "id {:?} is not an advisory id (CVE-YYYY-N, GHSA-xxxx-xxxx-xxxx, GO-YYYY-N, PYSEC-YYYY-N, RUSTSEC-YYYY-N)",
            a.id
        ));
    }
    if let Some(bad) = a.aliases.iter().find(|x| !is_alias(x)) {
        return Err(format!(
            "alias {bad:?} is not an advisory id or npm-advisory-N"
        ));
    }
    for (field, value) in [
        ("library", &a.library),
        ("ecosystem", &a.ecosystem),
        ("language", &a.language),
        ("affected", &a.affected),
        ("description", &a.description),
    ] {
        if value.trim().is_empty() {
            return Err(format!("{field} is empty"));
        }
    }
    if !a.source.starts_with("https://") {
        return Err(format!("source {:?} is not an https URL", a.source));
    }
    if !is_date(&a.published) {
        return Err(format!(
            "published {:?} is not a date written YYYY-MM-DD",
            a.published
        ));
    }
    if let Some(bad) = a.cases.iter().find(|c| c.contains('*') || !c.contains('/')) {
        return Err(format!(
            "cases entry {bad:?} is not a case id (class/name); name a class still to come in planned"
        ));
    }
    if let Some(bad) = a
        .planned
        .iter()
        .find(|c| c.contains('/') || c.trim().is_empty())
    {
        return Err(format!("planned entry {bad:?} is not a class name"));
    }
    let reason = a.reason.as_deref().map(str::trim).unwrap_or_default();
    match a.coverage {
        Coverage::Covered if a.cases.is_empty() => {
            return Err("coverage is covered but cases is empty".to_string())
        }
        Coverage::Covered if a.reason.is_some() => {
            return Err(
                "coverage is covered: a reason is only for planned or uncovered (caveats go in note)"
                    .to_string(),
            )
        }
        Coverage::Planned | Coverage::Uncovered if !a.cases.is_empty() => {
            return Err(format!(
                "coverage is {} but cases lists {}: list only cases that catch the bug, and then it is covered",
                a.coverage,
                quoted(&a.cases.iter().map(String::as_str).collect::<Vec<_>>())
            ))
        }
        Coverage::Planned if a.planned.is_empty() => {
            return Err("coverage is planned but planned names no class".to_string())
        }
        Coverage::Uncovered if !a.planned.is_empty() => {
            return Err("coverage is uncovered but planned names a class: then it is planned".to_string())
        }
        Coverage::Planned | Coverage::Uncovered if reason.is_empty() => {
            return Err(format!("coverage is {} but there is no reason", a.coverage))
        }
        _ => {}
    }
    let mut seen = BTreeSet::new();
    if let Some(dup) = a.cases.iter().find(|c| !seen.insert(c.as_str())) {
        return Err(format!("cases lists {dup:?} twice"));
    }
    Ok(())
}

/// What is wrong with one exclusion, beyond its fields' types.
fn check_excluded(e: &Excluded) -> Result<(), String> {
    if e.id.trim().is_empty() || e.id.contains(char::is_whitespace) {
        return Err(format!("id {:?} must be non-empty, without spaces", e.id));
    }
    if let Some(bad) = e.aliases.iter().find(|x| !is_alias(x)) {
        return Err(format!(
            "alias {bad:?} is not an advisory id or npm-advisory-N"
        ));
    }
    if e.library.trim().is_empty() || e.ecosystem.trim().is_empty() {
        return Err("library and ecosystem must not be empty".to_string());
    }
    if e.reason.trim().is_empty() {
        return Err("reason is empty".to_string());
    }
    Ok(())
}

/// The advisories behind a case: those its references cite, then those the built-in
/// register maps to it, each named once by its register id.
pub fn advisories_for(case_id: &str, refs: &[String]) -> Vec<String> {
    let register = Register::builtin().ok();
    let mut out: Vec<String> = Vec::new();
    let mut push = |id: &str| {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(id)) {
            out.push(id.to_string());
        }
    };
    for r in refs.iter().filter(|r| is_advisory_id(r)) {
        // An alias is named by the register's id for the same advisory.
        match register.and_then(|reg| reg.find(r)) {
            Some(a) => push(&a.id),
            None => push(r),
        }
    }
    if let Some(register) = register {
        for a in register.for_case(case_id) {
            push(&a.id);
        }
    }
    out
}

/// The register advisory a run filter names exactly (by id or alias), if any.
pub fn named_by_filter(pattern: &str) -> Option<&'static Advisory> {
    Register::builtin().ok()?.find(pattern)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{catalogue, properties, Context};

    fn builtin() -> &'static Register {
        Register::builtin().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_builtin_register_parses() {
        let r = builtin();
        assert!(r.advisories.len() >= 100, "{}", r.advisories.len());
        assert!(!r.excluded.is_empty());
    }

    #[test]
    fn every_mapped_case_exists_and_every_planned_class_is_known() {
        let ids: Vec<String> = catalogue::cases(&Context::listing())
            .into_iter()
            .map(|c| c.id)
            .chain(properties::ids().map(String::from))
            .collect();
        builtin()
            .check_cases(REGISTER_FILE, ids.iter().map(String::as_str))
            .unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn every_entry_not_covered_has_a_reason_and_counts_add_up() {
        let r = builtin();
        for a in &r.advisories {
            if a.coverage != Coverage::Covered {
                assert!(
                    a.reason.as_deref().is_some_and(|s| !s.trim().is_empty()),
                    "{}",
                    a.id
                );
            }
        }
        let c = r.counts();
        assert_eq!(c.covered + c.planned + c.uncovered, c.total);
    }

    #[test]
    fn every_advisory_a_case_cites_is_in_the_register_or_left_out_with_a_reason() {
        let r = builtin();
        let excluded: HashSet<String> = r
            .excluded
            .iter()
            .flat_map(|e| std::iter::once(&e.id).chain(&e.aliases))
            .map(|s| s.to_ascii_uppercase())
            .collect();
        for case in catalogue::cases(&Context::listing()) {
            for cited in case.refs.iter().filter(|r| is_advisory_id(r)) {
                assert!(
                    r.find(cited).is_some() || excluded.contains(&cited.to_ascii_uppercase()),
                    "{} cites {cited}, which is neither in {REGISTER_FILE} nor in {EXCLUDED_FILE}",
                    case.id
                );
            }
        }
    }

    const OK: &str = r#"
[[advisory]]
id = "CVE-2024-53861"
aliases = ["GHSA-75c5-xw7c-p5pm"]
library = "pyjwt"
ecosystem = "PyPI"
language = "Python"
affected = "= 2.10.0"
fixed = "2.10.1"
published = "2024-11-29"
bug_class = "audience-issuer"
description = "substring issuer match"
source = "https://github.com/advisories/GHSA-75c5-xw7c-p5pm"
cases = ["issuer/prefix"]
coverage = "covered"
"#;

    fn parse(register: &str) -> Result<Register, RegisterError> {
        Register::parse("r.toml", register, "x.toml", "")
    }

    #[test]
    fn a_good_entry_parses_and_is_found_by_alias_in_any_case() {
        let r = parse(OK).unwrap();
        assert_eq!(r.find("ghsa-75c5-xw7c-p5pm").unwrap().id, "CVE-2024-53861");
        assert_eq!(r.for_case("issuer/prefix").count(), 1);
        assert_eq!(r.counts().covered, 1);
    }

    #[test]
    fn an_unknown_field_is_an_error_naming_the_file_and_entry() {
        let e = parse(&format!("{OK}colour = \"red\"\n")).unwrap_err();
        let text = e.to_string();
        assert!(
            text.starts_with("r.toml: CVE-2024-53861: ") && text.contains("colour"),
            "{text}"
        );
    }

    #[test]
    fn malformed_values_are_errors_naming_the_entry() {
        for (from, to, says) in [
            ("2024-11-29", "2024-02-30", "not a date"),
            (
                "\"CVE-2024-53861\"\nal",
                "\"CVE-24-1\"\nal",
                "not an advisory id",
            ),
            ("audience-issuer", "bad-class", "unknown variant"),
            ("\"covered\"", "\"uncovered\"", "lists"),
            ("[\"issuer/prefix\"]", "[\"issuer/*\"]", "planned"),
            ("[\"issuer/prefix\"]", "[]", "cases is empty"),
            ("https://github", "http://github", "https"),
        ] {
            let text = OK.replacen(from, to, 1);
            assert_ne!(text, OK, "{from}");
            let e = parse(&text).unwrap_err();
            assert!(e.entry.is_some(), "{e}");
            assert!(e.to_string().contains(says), "{from} -> {to}: {e}");
        }
    }

    #[test]
    fn coverage_other_than_covered_needs_a_reason_and_planned_a_class() {
        let planned = OK
            .replace("cases = [\"issuer/prefix\"]\n", "")
            .replace("\"covered\"", "\"planned\"");
        assert!(parse(&planned)
            .unwrap_err()
            .message
            .contains("names no class"));
        let with_class = planned.replace("coverage", "planned = [\"jwks\"]\ncoverage");
        assert!(parse(&with_class)
            .unwrap_err()
            .message
            .contains("no reason"));
        let with_reason = format!("{with_class}reason = \"a rotation case\"\n");
        let r = parse(&with_reason).unwrap();
        r.check_cases("r.toml", ["issuer/prefix"]).unwrap();
        let elsewhere = with_reason.replace("\"jwks\"", "\"no-such-class\"");
        let e = parse(&elsewhere)
            .unwrap()
            .check_cases("r.toml", ["issuer/prefix"])
            .unwrap_err();
        assert!(e.to_string().contains("no-such-class"), "{e}");
    }

    #[test]
    fn unknown_case_ids_and_duplicate_ids_are_errors() {
        let e = parse(OK)
            .unwrap()
            .check_cases("r.toml", ["issuer/other"])
            .unwrap_err();
        assert_eq!(e.entry.as_deref(), Some("CVE-2024-53861"));
        assert!(e.message.contains("issuer/prefix"), "{e}");
        let other = OK.replacen("\"CVE-2024-53861\"", "\"CVE-2024-53862\"", 1);
        let e = parse(&format!("{OK}\n{other}")).unwrap_err();
        assert_eq!(e.entry.as_deref(), Some("CVE-2024-53862"));
        assert!(e.message.contains("also names"), "{e}");
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for text in [
            "[[advisory]\n",
            "advisory = 3",
            "other = 1",
            "[[advisory]]\nid = 5\n",
        ] {
            let e = parse(text).unwrap_err();
            assert!(e.to_string().starts_with("r.toml: "), "{e}");
        }
    }

    #[test]
    fn ids_dates_and_aliases() {
        for id in [
            "CVE-2022-21449",
            "GHSA-75c5-xw7c-p5pm",
            "GO-2025-3488",
            "PYSEC-2017-24",
            "RUSTSEC-2023-0001",
        ] {
            assert!(is_advisory_id(id), "{id}");
        }
        for id in [
            "CVE-22-1",
            "GHSA-75c5-xw7c",
            "cve 2022",
            "RFC7515#section-4.1.11",
            "GO-2025-",
        ] {
            assert!(!is_advisory_id(id), "{id}");
        }
        assert!(is_alias("npm-advisory-88"));
        assert!(is_date("2024-02-29") && !is_date("2023-02-29") && !is_date("2024-13-01"));
    }

    #[test]
    fn a_case_is_linked_to_the_advisories_it_cites_and_those_mapped_to_it() {
        let cves = advisories_for("issuer/empty", &["RFC7519#section-4.1.1".to_string()]);
        assert!(cves.contains(&"CVE-2024-53861".to_string()), "{cves:?}");
        let cited = advisories_for("nothing/here", &["GHSA-75c5-xw7c-p5pm".to_string()]);
        assert_eq!(cited, ["CVE-2024-53861"]);
    }
}
