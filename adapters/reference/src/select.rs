//! Step 6: which trusted keys may verify this token.
//!
//! Only the policy's keys are ever candidates: the header's `jwk`, `jku`, `x5u` and `x5c`
//! are never read, let alone fetched (RFC 8725 section 3.10: "blindly following a "jku"
//! … or "x5u" … header … could result in server-side request forgery (SSRF) attacks").

use crate::json::type_name;
use crate::keys::{Material, TrustedKey};
use crate::reject::{Checked, Rejection};
use crate::short;
use jwt_conformance::alg::KeyFamily;
use jwt_conformance::{Alg, Jwk, RejectKind};
use serde_json::{Map, Value};

/// The usable keys for `alg`, chosen by the header's `kid`.
pub fn select<'k>(
    keys: &'k [TrustedKey],
    header: &Map<String, Value>,
    alg: Alg,
) -> Checked<Vec<&'k Material>> {
    let kid = kid(header)?;
    let candidates = candidates(keys, kid)?;
    usable(&candidates, alg)
}

fn key(message: String) -> Rejection {
    Rejection::new(RejectKind::Key, message)
}

/// RFC 7515 section 4.1.4: "The "kid" value is a case-sensitive string."
fn kid(header: &Map<String, Value>) -> Checked<Option<&str>> {
    match header.get("kid") {
        None => Ok(None),
        Some(Value::String(kid)) => Ok(Some(kid)),
        Some(other) => Err(Rejection::new(
            RejectKind::Malformed,
            format!(
                "`kid` is {}, not a string (RFC 7515 section 4.1.4)",
                type_name(other)
            ),
        )),
    }
}

/// RFC 7517 section 4.5: "When used with JWS or JWE, the "kid" value is used to match a
/// JWS or JWE "kid" Header Parameter value" — exactly, as an opaque case-sensitive
/// string, never as a path or query (RFC 8725 section 3.10). Without a `kid`, every
/// trusted key is a candidate.
fn candidates<'k>(keys: &'k [TrustedKey], kid: Option<&str>) -> Checked<Vec<&'k TrustedKey>> {
    let Some(kid) = kid else {
        return Ok(keys.iter().collect());
    };
    let matching: Vec<&TrustedKey> = keys
        .iter()
        .filter(|k| k.jwk.kid.as_deref() == Some(kid))
        .collect();
    if matching.is_empty() {
        return Err(key(format!("no trusted key has kid {}", short(kid))));
    }
    Ok(matching)
}

/// Keeps the candidates that may verify `alg`; none left is a `key` rejection naming why
/// each candidate was refused.
fn usable<'k>(candidates: &[&'k TrustedKey], alg: Alg) -> Checked<Vec<&'k Material>> {
    let mut usable = Vec::new();
    let mut refused = Vec::new();
    for candidate in candidates {
        match usable_for(candidate, alg) {
            Ok(material) => usable.push(material),
            Err(why) => refused.push(format!("{}: {why}", candidate.name())),
        }
    }
    if usable.is_empty() {
        let why = if refused.is_empty() {
            "the policy trusts no key".to_string()
        } else {
            refused.join("; ")
        };
        return Err(key(format!("no trusted key can verify {alg}: {why}")));
    }
    Ok(usable)
}

/// Every condition a key must meet to verify `alg`, in order.
fn usable_for(key: &TrustedKey, alg: Alg) -> Result<&Material, String> {
    let material = key
        .material
        .as_ref()
        .map_err(|why| format!("ignored: {why}"))?;
    fits_family(material, alg)?;
    intended_alg(&key.jwk, alg)?;
    intended_use(&key.jwk)?;
    permitted_operation(&key.jwk)?;
    strong_enough(material, alg)?;
    Ok(material)
}

/// RFC 8725 section 3.1: "The library MUST ensure that the "alg" … header specifies the
/// same algorithm that is used for the cryptographic operation" — the key's type (and
/// curve) must be the one `alg` is defined for (RFC 7518 section 6, RFC 8037 section 2).
fn fits_family(material: &Material, alg: Alg) -> Result<(), String> {
    if material.family() != alg.key_family() {
        return Err(format!(
            "{} key cannot verify {alg}, which needs {} key (RFC 8725 section 3.1)",
            describe(material.family()),
            describe(alg.key_family())
        ));
    }
    Ok(())
}

/// A key family in words, for messages.
fn describe(family: KeyFamily) -> String {
    match family {
        KeyFamily::Hmac => "an HMAC (oct)".to_string(),
        KeyFamily::Rsa => "an RSA".to_string(),
        KeyFamily::Ec(crv) => format!("an EC {crv}"),
        KeyFamily::Ed25519 => "an Ed25519 (OKP)".to_string(),
    }
}

/// RFC 7517 section 4.4: "The "alg" (algorithm) parameter identifies the algorithm
/// intended for use with the key"; RFC 8725 section 3.1: "each key MUST be used with
/// exactly one algorithm". A key without `alg` is bound by its type only.
fn intended_alg(jwk: &Jwk, alg: Alg) -> Result<(), String> {
    match jwk.alg.as_deref() {
        Some(intended) if intended != alg.as_str() => Err(format!(
            "the key is for {}, not {alg} (RFC 7517 section 4.4, RFC 8725 section 3.1)",
            short(intended)
        )),
        _ => Ok(()),
    }
}

/// RFC 7517 section 4.2: "Use of the "use" member is OPTIONAL"; when present, only
/// "sig" (signature) allows verifying.
fn intended_use(jwk: &Jwk) -> Result<(), String> {
    match jwk.use_.as_deref() {
        Some(use_) if use_ != "sig" => Err(format!(
            "the key's use is {}, not \"sig\" (RFC 7517 section 4.2)",
            short(use_)
        )),
        _ => Ok(()),
    }
}

/// RFC 7517 section 4.3: "key_ops" lists the operations "for which the key is intended
/// to be used"; when present it must include "verify".
fn permitted_operation(jwk: &Jwk) -> Result<(), String> {
    match &jwk.key_ops {
        Some(ops) if !ops.iter().any(|op| op == "verify") => {
            Err("the key's key_ops does not include \"verify\" (RFC 7517 section 4.3)".to_string())
        }
        _ => Ok(()),
    }
}

/// RFC 7518 section 3.2: "A key of the same size as the hash output … or larger MUST be
/// used with this algorithm"; sections 3.3 and 3.5: "A key of size 2048 bits or larger
/// MUST be used with these algorithms."
fn strong_enough(material: &Material, alg: Alg) -> Result<(), String> {
    match material {
        Material::Hmac(secret) if secret.len() < hmac_key_min(alg) => Err(format!(
            "a {}-octet HMAC key is shorter than the {}-octet {alg} hash (RFC 7518 section 3.2)",
            secret.len(),
            hmac_key_min(alg)
        )),
        Material::Rsa(rsa) if rsa.modulus_bits < 2048 => Err(format!(
            "a {}-bit RSA key is below 2048 bits (RFC 7518 sections 3.3 and 3.5)",
            rsa.modulus_bits
        )),
        _ => Ok(()),
    }
}

/// The hash output length of an HMAC algorithm, in octets.
fn hmac_key_min(alg: Alg) -> usize {
    match alg {
        Alg::HS384 => 48,
        Alg::HS512 => 64,
        _ => 32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jwt_conformance::forge::keys;
    use serde_json::json;

    fn trusted(names: &[&str]) -> Vec<TrustedKey> {
        names
            .iter()
            .map(|n| TrustedKey::parse(&keys::public(n)))
            .collect()
    }

    fn run(keys: &[TrustedKey], header: Value, alg: Alg) -> Checked<usize> {
        select(keys, header.as_object().unwrap(), alg).map(|m| m.len())
    }

    #[test]
    fn kid_selects_exactly_the_matching_key() {
        let keys = trusted(&["oct-a", "oct-b", "rsa-2048-a"]);
        assert_eq!(run(&keys, json!({"kid": "oct-b"}), Alg::HS256), Ok(1));
        assert_eq!(run(&keys, json!({}), Alg::HS256), Ok(2));
        let r = run(&keys, json!({"kid": "OCT-B"}), Alg::HS256).unwrap_err();
        assert_eq!(r.kind, RejectKind::Key);
        assert!(r.message.contains("no trusted key has kid"), "{r}");
    }

    #[test]
    fn a_non_string_kid_is_malformed() {
        let keys = trusted(&["oct-a"]);
        for kid in [
            json!(1),
            json!(null),
            json!(["oct-a"]),
            json!({"kid": "oct-a"}),
        ] {
            let r = run(&keys, json!({ "kid": kid }), Alg::HS256).unwrap_err();
            assert_eq!(r.kind, RejectKind::Malformed, "{kid}");
        }
    }

    #[test]
    fn a_key_of_another_family_is_not_usable() {
        let keys = trusted(&["rsa-2048-a"]);
        let r = run(&keys, json!({"kid": "rsa-2048-a"}), Alg::ES256).unwrap_err();
        assert_eq!(r.kind, RejectKind::Key);
        assert!(
            r.message
                .contains("an RSA key cannot verify ES256, which needs an EC P-256 key"),
            "{r}"
        );
        let r = run(&keys, json!({}), Alg::HS256).unwrap_err();
        assert!(r.message.contains("cannot verify HS256"), "{r}");
        assert_eq!(
            run(&trusted(&["ec-p384-a"]), json!({}), Alg::ES256)
                .unwrap_err()
                .kind,
            RejectKind::Key
        );
    }

    #[test]
    fn jwk_alg_use_and_key_ops_bind_the_key() {
        let mut bound = keys::public("rsa-2048-a");
        bound.alg = Some("RS256".to_string());
        let keys = vec![TrustedKey::parse(&bound)];
        assert_eq!(run(&keys, json!({}), Alg::RS256), Ok(1));
        let r = run(&keys, json!({}), Alg::PS256).unwrap_err();
        assert!(r.message.contains("is for \"RS256\""), "{r}");

        let mut enc = keys::public("rsa-2048-a");
        enc.use_ = Some("enc".to_string());
        let r = run(&[TrustedKey::parse(&enc)], json!({}), Alg::RS256).unwrap_err();
        assert!(r.message.contains("use is \"enc\""), "{r}");

        let mut ops = keys::public("rsa-2048-a");
        ops.key_ops = Some(vec!["sign".to_string()]);
        let r = run(&[TrustedKey::parse(&ops)], json!({}), Alg::RS256).unwrap_err();
        assert!(r.message.contains("key_ops"), "{r}");
        ops.key_ops = Some(vec!["sign".to_string(), "verify".to_string()]);
        assert_eq!(
            run(&[TrustedKey::parse(&ops)], json!({}), Alg::RS256),
            Ok(1)
        );
    }

    #[test]
    fn weak_keys_are_not_usable() {
        let r = run(&trusted(&["oct-short"]), json!({}), Alg::HS256).unwrap_err();
        assert!(r.message.contains("HMAC key is shorter"), "{r}");
        let r = run(&trusted(&["rsa-1024"]), json!({}), Alg::RS256).unwrap_err();
        assert!(r.message.contains("1024-bit"), "{r}");
        // 64 octets are enough for HS512, 32 for HS256 only.
        let oct_a = trusted(&["oct-a"]);
        assert_eq!(run(&oct_a, json!({}), Alg::HS512), Ok(1));
        let mut short32 = keys::public("oct-a");
        short32.k = Some(jwt_conformance::b64::encode([7u8; 32]));
        let short32 = vec![TrustedKey::parse(&short32)];
        assert_eq!(run(&short32, json!({}), Alg::HS256), Ok(1));
        assert_eq!(
            run(&short32, json!({}), Alg::HS384).unwrap_err().kind,
            RejectKind::Key
        );
    }

    #[test]
    fn an_empty_key_set_or_an_ignored_key_is_a_key_rejection() {
        let r = run(&[], json!({}), Alg::HS256).unwrap_err();
        assert!(r.message.contains("trusts no key"), "{r}");
        let mut broken = keys::public("ec-p256-a");
        broken.x = Some("AA".to_string());
        let r = run(&[TrustedKey::parse(&broken)], json!({}), Alg::ES256).unwrap_err();
        assert!(r.message.contains("ignored"), "{r}");
    }
}
