//! Step 6: which trusted keys may verify this token, by the rules of
//! [`jwt_conformance::rules::keys`].

use crate::keys::{Material, TrustedKey};
use jwt_conformance::rules::keys::{self, KeyStrength};
use jwt_conformance::rules::{Checked, Choice};
use jwt_conformance::Alg;
use serde_json::{Map, Value};

/// The usable keys for `alg`, chosen by the header's `kid`.
pub fn select<'k>(
    trusted: &'k [TrustedKey],
    header: &Map<String, Value>,
    alg: Alg,
    choice: Choice,
) -> Checked<Vec<&'k Material>> {
    let kid = keys::kid(header, choice)?;
    let candidates = keys::candidates(trusted, |k| &k.jwk, kid, choice)?;
    let (mut usable, mut refused) = usable_among(&candidates, alg, choice);
    if usable.is_empty() && keys::past_the_hint(kid, choice) {
        let others: Vec<&TrustedKey> = trusted
            .iter()
            .filter(|k| !candidates.iter().any(|c| std::ptr::eq(*c, *k)))
            .collect();
        let (more, why) = usable_among(&others, alg, choice);
        usable = more;
        refused.extend(why);
    }
    if usable.is_empty() {
        return Err(keys::none_usable(alg, &refused));
    }
    Ok(usable)
}

/// The material of each candidate that may verify `alg`, and why each other may not.
fn usable_among<'k>(
    candidates: &[&'k TrustedKey],
    alg: Alg,
    choice: Choice,
) -> (Vec<&'k Material>, Vec<String>) {
    let mut usable = Vec::new();
    let mut refused = Vec::new();
    for candidate in candidates {
        match usable_for(candidate, alg, choice) {
            Ok(material) => usable.push(material),
            Err(why) => refused.push(format!("{}: {why}", candidate.name())),
        }
    }
    (usable, refused)
}

/// The key's material, if it parsed and may verify `alg`.
fn usable_for(key: &TrustedKey, alg: Alg, choice: Choice) -> Result<&Material, String> {
    let material = key
        .material
        .as_ref()
        .map_err(|why| format!("ignored: {why}"))?;
    let strength = match material {
        Material::Hmac(secret) => KeyStrength::HmacOctets(secret.len()),
        Material::Rsa(rsa) => KeyStrength::RsaBits(rsa.modulus_bits),
        _ => KeyStrength::Curve,
    };
    keys::usable(&key.jwk, material.family(), strength, alg, choice)?;
    Ok(material)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jwt_conformance::forge::keys;
    use jwt_conformance::RejectKind;
    use serde_json::json;

    fn trusted(names: &[&str]) -> Vec<TrustedKey> {
        names
            .iter()
            .map(|n| TrustedKey::parse(&keys::public(n), Choice::Strict))
            .collect()
    }

    fn run(keys: &[TrustedKey], header: Value, alg: Alg) -> Checked<usize> {
        select(keys, header.as_object().unwrap(), alg, Choice::Strict).map(|m| m.len())
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
    fn a_lenient_reader_looks_past_a_kid_that_names_no_usable_key() {
        let lenient: Vec<TrustedKey> = ["rsa-2048-a", "ec-p256-a"]
            .iter()
            .map(|n| TrustedKey::parse(&keys::public(n), Choice::Lenient))
            .collect();
        let header = json!({"kid": "rsa-2048-a"});
        let pick = |choice| {
            select(&lenient, header.as_object().unwrap(), Alg::ES256, choice).map(|m| m.len())
        };
        assert_eq!(pick(Choice::Lenient), Ok(1));
        assert_eq!(pick(Choice::Strict).unwrap_err().kind, RejectKind::Key);
        let only_rsa = &lenient[..1];
        let r = select(
            only_rsa,
            header.as_object().unwrap(),
            Alg::ES256,
            Choice::Lenient,
        )
        .unwrap_err();
        assert!(r.message.contains("cannot verify ES256"), "{r}");
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
        let keys = vec![TrustedKey::parse(&bound, Choice::Strict)];
        assert_eq!(run(&keys, json!({}), Alg::RS256), Ok(1));
        let r = run(&keys, json!({}), Alg::PS256).unwrap_err();
        assert!(r.message.contains("is for \"RS256\""), "{r}");

        let mut enc = keys::public("rsa-2048-a");
        enc.use_ = Some("enc".to_string());
        let r = run(
            &[TrustedKey::parse(&enc, Choice::Strict)],
            json!({}),
            Alg::RS256,
        )
        .unwrap_err();
        assert!(r.message.contains("use is \"enc\""), "{r}");

        let mut ops = keys::public("rsa-2048-a");
        ops.key_ops = Some(vec!["sign".to_string()]);
        let r = run(
            &[TrustedKey::parse(&ops, Choice::Strict)],
            json!({}),
            Alg::RS256,
        )
        .unwrap_err();
        assert!(r.message.contains("key_ops"), "{r}");
        ops.key_ops = Some(vec!["sign".to_string(), "verify".to_string()]);
        assert_eq!(
            run(
                &[TrustedKey::parse(&ops, Choice::Strict)],
                json!({}),
                Alg::RS256
            ),
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
        let short32 = vec![TrustedKey::parse(&short32, Choice::Strict)];
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
        let r = run(
            &[TrustedKey::parse(&broken, Choice::Strict)],
            json!({}),
            Alg::ES256,
        )
        .unwrap_err();
        assert!(r.message.contains("ignored"), "{r}");
    }
}
