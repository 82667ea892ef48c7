//! Test data for the JWT verifier conformance suite.
//!
//! This crate holds two kinds of data, compiled into the binary with
//! [`include_str!`] so that no file system access is needed at test time:
//!
//! * [`KEYS`]: fixed key fixtures as JWK JSON objects (RFC 7517), private parts
//!   included. Each lives in `keys/<name>.json` and has `"kid"` equal to
//!   `<name>`. The generated fixtures (`oct-*`, `rsa-*`, `ec-*`, `ed25519-*`)
//!   were generated once and are fixed; they are never regenerated at test
//!   time. The `rfc*` fixtures are the example keys of RFC 7515 Appendix
//!   A.1-A.4 and RFC 8037 Appendix A.1, with their values copied verbatim from
//!   the RFC texts (only a `"kid"` member was added).
//! * [`RFC_VECTORS`]: JWS/JWT test vectors from RFC 7515, RFC 7519 and
//!   RFC 8037, one JSON object per file in `rfc/`. Each token is the RFC's
//!   compact serialization copied verbatim (the RFC's display line breaks
//!   removed).
//!
//! * [`JWE_VECTORS`]: JWE test vectors from RFC 7516 Appendix A and RFC 7520
//!   section 5, one JSON object per file in `jwe/`, with the inputs the RFC
//!   gives (key, plaintext, CEK, IV, ephemeral key) and its compact
//!   serialization. See the crate README for their members.
//!
//! A vector file in `rfc/` has the members `id`, `title`, `refs`, `key` (a key fixture
//! name, or `null` for unsecured vectors), `alg`, `token`, `expected`
//! (`"accept"` or `"reject"`) and, optionally, `payload_is_json` (a boolean,
//! default `true`; `false` when the payload is not a JSON claim set).
//!
//! * [`CVE_REGISTER`] and [`CVE_EXCLUDED`]: the register of public advisories
//!   (CVE, GHSA, Go, PyPA) about JWT/JOSE verification code with the cases that
//!   catch each (`cves/register.toml`), and the advisories looked at and left
//!   out with the reason (`cves/excluded.toml`), as TOML text. The harness reads
//!   them strictly (`jwt_conformance::cves`).
//!
//! The crate has no dependencies: values are exposed as JSON (or TOML) text for
//! the consumer to parse.

/// Every key fixture as `(name, JWK JSON text)`; `name` is the file stem in
/// `keys/` and equals the JWK's `"kid"`.
pub const KEYS: &[(&str, &str)] = &[
    ("oct-a", include_str!("../keys/oct-a.json")),
    ("oct-b", include_str!("../keys/oct-b.json")),
    ("oct-short", include_str!("../keys/oct-short.json")),
    ("oct-256", include_str!("../keys/oct-256.json")),
    ("oct-384", include_str!("../keys/oct-384.json")),
    ("rsa-2048-a", include_str!("../keys/rsa-2048-a.json")),
    ("rsa-2048-b", include_str!("../keys/rsa-2048-b.json")),
    ("rsa-1024", include_str!("../keys/rsa-1024.json")),
    ("rsa-2048-e3", include_str!("../keys/rsa-2048-e3.json")),
    ("ec-p256-a", include_str!("../keys/ec-p256-a.json")),
    ("ec-p256-b", include_str!("../keys/ec-p256-b.json")),
    ("ec-p256-c", include_str!("../keys/ec-p256-c.json")),
    ("ec-p384-a", include_str!("../keys/ec-p384-a.json")),
    ("ec-p384-b", include_str!("../keys/ec-p384-b.json")),
    ("ec-p521-a", include_str!("../keys/ec-p521-a.json")),
    ("ec-p521-b", include_str!("../keys/ec-p521-b.json")),
    ("ed25519-a", include_str!("../keys/ed25519-a.json")),
    ("ed25519-b", include_str!("../keys/ed25519-b.json")),
    (
        "rfc7515-a1-oct",
        include_str!("../keys/rfc7515-a1-oct.json"),
    ),
    (
        "rfc7515-a2-rsa",
        include_str!("../keys/rfc7515-a2-rsa.json"),
    ),
    (
        "rfc7515-a3-ec-p256",
        include_str!("../keys/rfc7515-a3-ec-p256.json"),
    ),
    (
        "rfc7515-a4-ec-p521",
        include_str!("../keys/rfc7515-a4-ec-p521.json"),
    ),
    (
        "rfc8037-ed25519",
        include_str!("../keys/rfc8037-ed25519.json"),
    ),
    // Later fixtures go last: fuzz inputs and saved property cases name a key by its
    // position in this list.
    ("rsa-2048-8p-a", include_str!("../keys/rsa-2048-8p-a.json")),
    ("rsa-2048-8p-b", include_str!("../keys/rsa-2048-8p-b.json")),
];

/// Other encodings of fixture public keys, as `(file name, text)`; the file
/// lives in `keys/derived/` and its name starts with the fixture's name.
/// `<name>.cert.pem` is a self-signed X.509 certificate for the fixture's key
/// (serial 1, valid 2023-01-01 to 2043-01-01, signed by the fixture itself);
/// `<name>.ssh.pub` is its OpenSSH public key line (`ssh-keygen -y` format,
/// no comment, trailing newline). Derived once from the fixtures; never
/// regenerated.
pub const DERIVED: &[(&str, &str)] = &[
    (
        "rsa-2048-a.cert.pem",
        include_str!("../keys/derived/rsa-2048-a.cert.pem"),
    ),
    (
        "rsa-2048-a.ssh.pub",
        include_str!("../keys/derived/rsa-2048-a.ssh.pub"),
    ),
    (
        "ec-p256-a.cert.pem",
        include_str!("../keys/derived/ec-p256-a.cert.pem"),
    ),
    (
        "ec-p256-a.ssh.pub",
        include_str!("../keys/derived/ec-p256-a.ssh.pub"),
    ),
    (
        "ec-p384-a.cert.pem",
        include_str!("../keys/derived/ec-p384-a.cert.pem"),
    ),
    (
        "ec-p384-a.ssh.pub",
        include_str!("../keys/derived/ec-p384-a.ssh.pub"),
    ),
    (
        "ed25519-a.cert.pem",
        include_str!("../keys/derived/ed25519-a.cert.pem"),
    ),
    (
        "ed25519-a.ssh.pub",
        include_str!("../keys/derived/ed25519-a.ssh.pub"),
    ),
];

/// Self-signed X.509 certificates for the attacker fixtures, as `(file name, PEM)`,
/// in `keys/derived/attacker-x5c-<fixture>.cert.pem`: CN `attacker.example`, CA, valid
/// 2000-01-01 to 2100-01-01, signed by the fixture's own key. Header-key-injection
/// cases put them in `x5c` and serve them at `x5u`; nothing may trust them. Made once
/// with `openssl ca -selfsign`; never regenerated.
pub const ATTACKER_CERTS: &[(&str, &str)] = &[
    (
        "attacker-x5c-rsa-2048-b.cert.pem",
        include_str!("../keys/derived/attacker-x5c-rsa-2048-b.cert.pem"),
    ),
    (
        "attacker-x5c-ec-p256-b.cert.pem",
        include_str!("../keys/derived/attacker-x5c-ec-p256-b.cert.pem"),
    ),
];

/// Every RFC vector as `(file name, JSON text)`; `file name` is the name of
/// the file in `rfc/`.
pub const RFC_VECTORS: &[(&str, &str)] = &[
    (
        "rfc7515-a1-hs256.json",
        include_str!("../rfc/rfc7515-a1-hs256.json"),
    ),
    (
        "rfc7515-a2-rs256.json",
        include_str!("../rfc/rfc7515-a2-rs256.json"),
    ),
    (
        "rfc7515-a3-es256.json",
        include_str!("../rfc/rfc7515-a3-es256.json"),
    ),
    (
        "rfc7515-a4-es512.json",
        include_str!("../rfc/rfc7515-a4-es512.json"),
    ),
    (
        "rfc7515-a5-unsecured.json",
        include_str!("../rfc/rfc7515-a5-unsecured.json"),
    ),
    (
        "rfc7519-3.1-hs256.json",
        include_str!("../rfc/rfc7519-3.1-hs256.json"),
    ),
    (
        "rfc7519-6.1-unsecured.json",
        include_str!("../rfc/rfc7519-6.1-unsecured.json"),
    ),
    (
        "rfc8037-a4-eddsa.json",
        include_str!("../rfc/rfc8037-a4-eddsa.json"),
    ),
];

/// Every JWE vector as `(file name, JSON text)`; `file name` is the name of the
/// file in `jwe/`.
pub const JWE_VECTORS: &[(&str, &str)] = &[
    (
        "rfc7516-a1-rsa-oaep-a256gcm.json",
        include_str!("../jwe/rfc7516-a1-rsa-oaep-a256gcm.json"),
    ),
    (
        "rfc7516-a3-a128kw-a128cbc-hs256.json",
        include_str!("../jwe/rfc7516-a3-a128kw-a128cbc-hs256.json"),
    ),
    (
        "rfc7520-5.2-rsa-oaep-a256gcm.json",
        include_str!("../jwe/rfc7520-5.2-rsa-oaep-a256gcm.json"),
    ),
    (
        "rfc7520-5.3-pbes2-hs512-a256kw-a128cbc-hs256.json",
        include_str!("../jwe/rfc7520-5.3-pbes2-hs512-a256kw-a128cbc-hs256.json"),
    ),
    (
        "rfc7520-5.4-ecdh-es-a128kw-a128gcm.json",
        include_str!("../jwe/rfc7520-5.4-ecdh-es-a128kw-a128gcm.json"),
    ),
    (
        "rfc7520-5.5-ecdh-es-a128cbc-hs256.json",
        include_str!("../jwe/rfc7520-5.5-ecdh-es-a128cbc-hs256.json"),
    ),
    (
        "rfc7520-5.6-dir-a128gcm.json",
        include_str!("../jwe/rfc7520-5.6-dir-a128gcm.json"),
    ),
    (
        "rfc7520-5.8-a128kw-a128gcm.json",
        include_str!("../jwe/rfc7520-5.8-a128kw-a128gcm.json"),
    ),
    (
        "rfc7520-5.9-a128kw-a128gcm-deflate.json",
        include_str!("../jwe/rfc7520-5.9-a128kw-a128gcm-deflate.json"),
    ),
];

/// The advisory register, `cves/register.toml`: one `[[advisory]]` table per
/// public advisory, with its coverage by the suite's cases.
pub const CVE_REGISTER: &str = include_str!("../cves/register.toml");

/// The advisories looked at and left out of the register, `cves/excluded.toml`:
/// one `[[excluded]]` table each, with the reason.
pub const CVE_EXCLUDED: &str = include_str!("../cves/excluded.toml");

/// The JWK JSON text of the key fixture called `name`, if there is one.
#[must_use]
pub fn key(name: &str) -> Option<&'static str> {
    KEYS.iter()
        .find(|(key_name, _)| *key_name == name)
        .map(|(_, json)| *json)
}

/// The JSON text of the JWE vector file called `file_name` (for example
/// `"rfc7516-a3-a128kw-a128cbc-hs256.json"`), if there is one.
#[must_use]
pub fn jwe_vector(file_name: &str) -> Option<&'static str> {
    JWE_VECTORS
        .iter()
        .find(|(name, _)| *name == file_name)
        .map(|(_, json)| *json)
}

/// The JSON text of the RFC vector file called `file_name` (for example
/// `"rfc7515-a1-hs256.json"`), if there is one.
#[must_use]
pub fn rfc_vector(file_name: &str) -> Option<&'static str> {
    RFC_VECTORS
        .iter()
        .find(|(name, _)| *name == file_name)
        .map(|(_, json)| *json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::fs;
    use std::path::Path;

    /// The names of the `*.json` files in `dir` (relative to the crate root),
    /// with or without the `.json` extension.
    fn json_files(dir: &str, strip_extension: bool) -> BTreeSet<String> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        fs::read_dir(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
            .map(|entry| entry.expect("directory entry").file_name())
            .map(|name| name.into_string().expect("UTF-8 file name"))
            .filter_map(|name| {
                let stem = name.strip_suffix(".json")?.to_owned();
                Some(if strip_extension { stem } else { name })
            })
            .collect()
    }

    /// The string value of the top-level member `member` in a pretty-printed
    /// JSON object, `None` if absent or `null`.
    fn string_member<'a>(json: &'a str, member: &str) -> Option<&'a str> {
        let prefix = format!("  \"{member}\": ");
        let line = json.lines().find(|line| line.starts_with(&prefix))?;
        let value = line[prefix.len()..].trim_end_matches(',');
        if value == "null" {
            return None;
        }
        Some(
            value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or_else(|| panic!("member {member} is not a string: {value}")),
        )
    }

    #[test]
    fn the_cve_files_are_embedded_verbatim() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cves");
        for (name, text) in [
            ("register.toml", CVE_REGISTER),
            ("excluded.toml", CVE_EXCLUDED),
        ] {
            let on_disk = fs::read_to_string(dir.join(name)).expect("readable");
            assert_eq!(text, on_disk, "{name}");
            assert!(text.contains(if name == "register.toml" {
                "[[advisory]]"
            } else {
                "[[excluded]]"
            }));
        }
    }

    #[test]
    fn every_key_file_is_listed() {
        let listed: BTreeSet<String> = KEYS.iter().map(|(n, _)| (*n).to_owned()).collect();
        assert_eq!(listed, json_files("keys", true));
    }

    #[test]
    fn key_names_are_unique() {
        let names: BTreeSet<&str> = KEYS.iter().map(|(n, _)| *n).collect();
        assert_eq!(names.len(), KEYS.len());
    }

    #[test]
    fn listed_key_text_matches_file_and_kid() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("keys");
        for (name, json) in KEYS {
            let on_disk = fs::read_to_string(dir.join(format!("{name}.json"))).expect("key file");
            assert_eq!(*json, on_disk, "{name}");
            assert_eq!(string_member(json, "kid"), Some(*name), "{name}");
            assert!(string_member(json, "kty").is_some(), "{name}");
            assert_eq!(key(name), Some(*json));
        }
        assert_eq!(key("no-such-key"), None);
    }

    #[test]
    fn every_rfc_vector_file_is_listed() {
        let listed: BTreeSet<String> = RFC_VECTORS.iter().map(|(n, _)| (*n).to_owned()).collect();
        assert_eq!(listed, json_files("rfc", false));
    }

    #[test]
    fn rfc_vector_names_and_ids_are_unique() {
        let names: BTreeSet<&str> = RFC_VECTORS.iter().map(|(n, _)| *n).collect();
        assert_eq!(names.len(), RFC_VECTORS.len());
        let ids: BTreeSet<&str> = RFC_VECTORS
            .iter()
            .map(|(n, json)| string_member(json, "id").unwrap_or_else(|| panic!("{n}: no id")))
            .collect();
        assert_eq!(ids.len(), RFC_VECTORS.len());
    }

    #[test]
    fn rfc_vectors_are_well_formed() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rfc");
        for (name, json) in RFC_VECTORS {
            let on_disk = fs::read_to_string(dir.join(name)).expect("vector file");
            assert_eq!(*json, on_disk, "{name}");
            assert_eq!(rfc_vector(name), Some(*json));
            let alg = string_member(json, "alg").expect("alg");
            let token = string_member(json, "token").expect("token");
            assert_eq!(token.split('.').count(), 3, "{name}");
            assert!(
                token
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.'),
                "{name}: token is not compact base64url"
            );
            if let Some(k) = string_member(json, "key") {
                assert!(key(k).is_some(), "{name}: unknown key {k}");
                assert_ne!(alg, "none", "{name}");
            } else {
                assert_eq!(alg, "none", "{name}");
                assert!(
                    token.ends_with('.'),
                    "{name}: unsecured token has a signature"
                );
            }
            let expected = string_member(json, "expected").expect("expected");
            assert!(expected == "accept" || expected == "reject", "{name}");
        }
        assert_eq!(rfc_vector("no-such-vector.json"), None);
    }

    #[test]
    fn every_jwe_vector_file_is_listed_and_well_formed() {
        let listed: BTreeSet<String> = JWE_VECTORS.iter().map(|(n, _)| (*n).to_owned()).collect();
        assert_eq!(listed, json_files("jwe", false));
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("jwe");
        let mut ids = BTreeSet::new();
        for (name, json) in JWE_VECTORS {
            let on_disk = fs::read_to_string(dir.join(name)).expect("vector file");
            assert_eq!(*json, on_disk, "{name}");
            assert_eq!(jwe_vector(name), Some(*json));
            let id = string_member(json, "id").unwrap_or_else(|| panic!("{name}: no id"));
            assert!(ids.insert(id), "{name}: duplicate id {id}");
            assert!(string_member(json, "alg").is_some(), "{name}: no alg");
            assert!(string_member(json, "enc").is_some(), "{name}: no enc");
            let token = string_member(json, "token").expect("token");
            assert_eq!(token.split('.').count(), 5, "{name}: not a compact JWE");
            assert!(
                token
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.'),
                "{name}: token is not compact base64url"
            );
        }
        assert_eq!(jwe_vector("no-such-vector.json"), None);
    }
}
