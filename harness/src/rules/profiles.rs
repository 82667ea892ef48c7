//! The rules a JWT profile adds to the bare JWT RFCs, applied when the policy names a
//! [`Profile`]: RFC 9068 (OAuth 2.0 access tokens), OpenID Connect Core 1.0 (ID tokens)
//! and RFC 7523 with its update on audiences (client assertions). What a profile needs
//! from the members every policy has (the issuer, the accepted audiences, the required
//! claims, a required `typ`) its preset in [`crate::profiles`] sets, and the other rules
//! check; this module holds only what those members cannot say.
//!
//! Not a choice:
//! - `rfc`, RFC 9068 section 4: "The resource server MUST verify that the "typ" header
//!   value is "at+jwt" or "application/at+jwt" and reject tokens carrying any other
//!   value." The preset requires `at+jwt` through the policy's `typ`; a policy naming the
//!   profile without a `typ` gets the same check here.
//! - `bcp`, RFC 8725 section 3.12: "If more than one kind of JWT can be issued by the same
//!   issuer, the validation rules for those JWTs MUST be written such that they are
//!   mutually exclusive, rejecting JWTs of the wrong kind." An OpenID Provider signs ID
//!   tokens, access tokens, logout tokens and security event tokens with the same keys
//!   (OpenID Connect Back-Channel Logout 1.0 section 2.4: "The same keys are used to sign
//!   and encrypt Logout Tokens as are used for ID Tokens"), and a client signs its
//!   assertions, DPoP proofs and request objects with its own. ID tokens have no explicit
//!   type of their own, so an ID token's `typ` is absent or generic (`JWT`, `JOSE`); a
//!   client assertion's is absent, generic or `client-authentication+jwt`
//!   (draft-ietf-oauth-rfc7523bis section 4). Any other `typ` names another kind.
//! - `rfc`, OpenID Connect Core 1.0 section 3.1.3.7: "The Client MUST validate that the
//!   aud (audience) Claim contains its client_id value [...] The ID Token MUST be
//!   rejected if the ID Token does not list the Client as a valid audience, or if it
//!   contains additional audiences not trusted by the Client." The trusted audiences are
//!   the policy's `audience` (its `client_id` among them).
//! - `rfc`, the same section: "If a nonce value was sent in the Authentication Request, a
//!   nonce Claim MUST be present and its value checked to verify that it is the same
//!   value as the one that was sent in the Authentication Request."
//! - `rfc`, OpenID Connect Core 1.0 section 3.2.2.9 (also for the Hybrid Flow, 3.3.2.9,
//!   and the Code Flow, 3.1.3.8): "The value of at_hash in the ID Token MUST match the
//!   value produced in the previous step", the left-most half of the hash of the access
//!   token, base64url-encoded, with the hash of the ID token's `alg` (section 3.3.2.11).
//!   The section opens "the Client SHOULD do the following"; a policy that binds an
//!   access token asks for it, so a present `at_hash` must match. `EdDSA` names no hash;
//!   this suite takes SHA-512, Ed25519's own.
//! - `rfc`, RFC 7523 section 3: "For client authentication, the subject MUST be the
//!   "client_id" of the OAuth client."
//! - `rfc`, draft-ietf-oauth-rfc7523bis section 4, when the policy selects that rule:
//!   "The authorization server MUST reject any JWT that does not contain its issuer
//!   identifier as its sole audience value."
//!
//! Permitted choices, refused by [`Choice::Strict`]:
//! - claims the profile makes REQUIRED of the issuer but whose absence no validation step
//!   of the verifier names: `sub`, `client_id`, `iat` and `jti` of an access token (RFC
//!   9068 section 2.2; section 4 lists what the resource server MUST check, and their
//!   presence is not among it), `sub` and `iat` of an ID token (OpenID Connect Core 1.0
//!   section 2; section 3.1.3.7 likewise); an absent `at_hash` when an access token is
//!   bound (REQUIRED only when the ID token comes from the Authorization Endpoint with
//!   an access token, sections 3.2.2.10 and 3.3.2.11, which the policy does not say);
//! - `azp` (OpenID Connect Core 1.0 section 3.1.3.7, errata set 2: "This validation MAY
//!   include that when an azp (authorized party) Claim is present, the Client SHOULD
//!   verify that its client_id is the Claim Value"; errata set 1 also read "If the ID
//!   Token contains multiple audiences, the Client SHOULD verify that an azp Claim is
//!   present"). The lenient reference ignores `azp`, as section 2 encourages
//!   implementations not using extensions to do.

use super::json::type_name;
use super::typ::normalise;
use super::{short, Checked, Choice, Rejection};
use crate::policy::{AudienceRule, Policy, Profile};
use crate::verdict::RejectKind;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256, Sha384, Sha512};

/// The profile's header rules: its explicit type.
pub fn check_header(header: &Map<String, Value>, policy: &Policy) -> Checked {
    let Some(profile) = policy.profile else {
        return Ok(());
    };
    let typ = header.get("typ").and_then(Value::as_str);
    let allowed: &[&str] = match profile {
        // The policy's own `typ` requires `at+jwt` (the preset sets it).
        Profile::Rfc9068 if policy.typ.is_some() => return Ok(()),
        Profile::Rfc9068 => {
            return match typ.map(normalise).as_deref() {
                Some("application/at+jwt") => Ok(()),
                _ => Err(Rejection::new(
                    RejectKind::Type,
                    format!(
                        "`typ` {} is not at+jwt (RFC 9068 section 4)",
                        typ.map_or("absent".to_string(), short)
                    ),
                )),
            };
        }
        Profile::OidcIdToken => &["application/jwt", "application/jose"],
        Profile::Rfc7523 => &[
            "application/jwt",
            "application/jose",
            "application/client-authentication+jwt",
        ],
    };
    match typ {
        Some(typ) if !allowed.contains(&normalise(typ).as_str()) => Err(Rejection::new(
            RejectKind::Type,
            format!(
                "`typ` {} names another kind of JWT than {} (RFC 8725 section 3.12)",
                short(typ),
                match profile {
                    Profile::OidcIdToken => "an ID token",
                    _ => "a client assertion",
                }
            ),
        )),
        _ => Ok(()),
    }
}

/// The profile's claim rules, the first failure; `alg` is the token's (for `at_hash`).
pub fn check_claims(
    claims: &Map<String, Value>,
    alg: Option<&str>,
    policy: &Policy,
    choice: Choice,
) -> Checked {
    match claim_defects(claims, alg, policy, choice)
        .into_iter()
        .next()
    {
        Some(rejection) => Err(rejection),
        None => Ok(()),
    }
}

/// Every failing claim rule of the profile, in order. A claim the other rules already
/// refuse (absent where required, of the wrong type, matching no accepted audience) is
/// left to them, so each defect is reported once.
pub fn claim_defects(
    claims: &Map<String, Value>,
    alg: Option<&str>,
    policy: &Policy,
    choice: Choice,
) -> Vec<Rejection> {
    let checks = match policy.profile {
        None => return Vec::new(),
        Some(Profile::Rfc9068) => vec![present(
            claims,
            policy,
            &["sub", "client_id", "iat", "jti"],
            "RFC 9068 section 2.2",
            choice,
        )],
        Some(Profile::OidcIdToken) => vec![
            present(
                claims,
                policy,
                &["sub", "iat"],
                "OpenID Connect Core 1.0 section 2",
                choice,
            ),
            id_token_audience(claims, policy),
            authorized_party(claims, policy, choice),
            nonce(claims, policy),
            access_token_hash(claims, alg, policy, choice),
        ],
        Some(Profile::Rfc7523) => vec![
            subject_is_client(claims, policy),
            sole_audience(claims, policy),
        ],
    };
    checks.into_iter().filter_map(Result::err).collect()
}

/// A claim's value, if it has one: absent and `null` are alike.
fn value_of<'c>(claims: &'c Map<String, Value>, name: &str) -> Option<&'c Value> {
    claims.get(name).filter(|value| !value.is_null())
}

/// The string values of a well-typed, present `aud`, or `None`.
fn audiences(claims: &Map<String, Value>) -> Option<Vec<&str>> {
    match value_of(claims, "aud")? {
        Value::String(one) => Some(vec![one.as_str()]),
        Value::Array(items) => items.iter().map(Value::as_str).collect(),
        _ => None,
    }
}

/// Whether the generic audience rule accepts `aud`: one of its values is accepted.
fn generic_audience_passes(values: &[&str], policy: &Policy) -> bool {
    values
        .iter()
        .any(|v| policy.audience.iter().any(|a| a == v))
}

/// Claims the profile requires of the issuer, refused when absent by the strict reading
/// only (the policy's own required claims are the required-claims rule's).
fn present(
    claims: &Map<String, Value>,
    policy: &Policy,
    names: &[&str],
    basis: &str,
    choice: Choice,
) -> Checked {
    if choice == Choice::Lenient {
        return Ok(());
    }
    let missing = names.iter().find(|name| {
        value_of(claims, name).is_none() && !policy.required_claims.iter().any(|r| r == *name)
    });
    match missing {
        Some(name) => Err(Rejection::new(
            RejectKind::MissingClaim,
            format!("`{name}` is absent; {basis} makes it REQUIRED"),
        )),
        None => Ok(()),
    }
}

/// OpenID Connect Core 1.0 section 3.1.3.7: `aud` lists the client, and only audiences
/// the client trusts (the policy's `audience`).
fn id_token_audience(claims: &Map<String, Value>, policy: &Policy) -> Checked {
    let Some(values) = audiences(claims) else {
        return Ok(());
    };
    if !generic_audience_passes(&values, policy) {
        return Ok(());
    }
    let client_id = policy.client_id.as_deref().unwrap_or_default();
    if !values.contains(&client_id) {
        return Err(Rejection::new(
            RejectKind::Audience,
            format!(
                "`aud` does not list the client {} (OpenID Connect Core 1.0 section 3.1.3.7)",
                short(client_id)
            ),
        ));
    }
    match values
        .iter()
        .find(|v| **v != client_id && !policy.audience.iter().any(|a| a == *v))
    {
        Some(untrusted) => Err(Rejection::new(
            RejectKind::Audience,
            format!(
                "`aud` holds {}, an audience the client does not trust (OpenID Connect Core 1.0 section 3.1.3.7)",
                short(untrusted)
            ),
        )),
        None => Ok(()),
    }
}

/// OpenID Connect Core 1.0 section 3.1.3.7: `azp`, when present, names the client; with
/// several audiences it is present (errata set 1). Strict only.
fn authorized_party(claims: &Map<String, Value>, policy: &Policy, choice: Choice) -> Checked {
    if choice == Choice::Lenient {
        return Ok(());
    }
    let client_id = policy.client_id.as_deref().unwrap_or_default();
    match value_of(claims, "azp") {
        Some(Value::String(azp)) if azp == client_id => Ok(()),
        Some(other) => Err(Rejection::new(
            RejectKind::Audience,
            format!(
                "`azp` {} is not the client {} (OpenID Connect Core 1.0 section 3.1.3.7)",
                match other {
                    Value::String(s) => short(s),
                    v => type_name(v).to_string(),
                },
                short(client_id)
            ),
        )),
        None if audiences(claims).is_some_and(|v| v.len() > 1) => Err(Rejection::new(
            RejectKind::MissingClaim,
            "`azp` is absent from an ID token with several audiences (OpenID Connect Core 1.0 errata set 1, section 3.1.3.7)",
        )),
        None => Ok(()),
    }
}

/// OpenID Connect Core 1.0 section 3.1.3.7: the nonce sent is the nonce received.
fn nonce(claims: &Map<String, Value>, policy: &Policy) -> Checked {
    let Some(sent) = policy.nonce.as_deref() else {
        return Ok(());
    };
    match value_of(claims, "nonce") {
        None => Err(Rejection::new(
            RejectKind::MissingClaim,
            "`nonce` is absent, yet a nonce was sent in the Authentication Request (OpenID Connect Core 1.0 section 3.1.3.7)",
        )),
        Some(Value::String(got)) if got == sent => Ok(()),
        Some(got) => Err(Rejection::new(
            RejectKind::Other,
            format!(
                "`nonce` {} is not the {} sent (OpenID Connect Core 1.0 section 3.1.3.7)",
                match got {
                    Value::String(s) => short(s),
                    v => type_name(v).to_string(),
                },
                short(sent)
            ),
        )),
    }
}

/// OpenID Connect Core 1.0 sections 3.2.2.9 and 3.3.2.11: the access token's hash.
fn access_token_hash(
    claims: &Map<String, Value>,
    alg: Option<&str>,
    policy: &Policy,
    choice: Choice,
) -> Checked {
    let Some(access_token) = policy.access_token.as_deref() else {
        return Ok(());
    };
    let expected = alg.and_then(|alg| token_hash(alg, access_token));
    match (value_of(claims, "at_hash"), expected) {
        (None, _) if choice == Choice::Lenient => Ok(()),
        (None, _) => Err(Rejection::new(
            RejectKind::MissingClaim,
            "`at_hash` is absent, yet an access token is bound to the ID token (OpenID Connect Core 1.0 section 3.3.2.11)",
        )),
        (Some(Value::String(got)), Some(expected)) if *got == expected => Ok(()),
        (Some(got), _) => Err(Rejection::new(
            RejectKind::Other,
            format!(
                "`at_hash` {} does not match the access token (OpenID Connect Core 1.0 section 3.2.2.9)",
                match got {
                    Value::String(s) => short(s),
                    v => type_name(v).to_string(),
                }
            ),
        )),
    }
}

/// OpenID Connect Core 1.0 section 3.3.2.11: the base64url encoding of the left-most half
/// of the hash of `value`'s ASCII octets, with the hash of `alg` (SHA-512 for `EdDSA`);
/// `None` for an `alg` that names no hash.
pub fn token_hash(alg: &str, value: &str) -> Option<String> {
    let digest: Vec<u8> = match alg {
        "HS256" | "RS256" | "PS256" | "ES256" => Sha256::digest(value.as_bytes()).to_vec(),
        "HS384" | "RS384" | "PS384" | "ES384" => Sha384::digest(value.as_bytes()).to_vec(),
        "HS512" | "RS512" | "PS512" | "ES512" | "EdDSA" => {
            Sha512::digest(value.as_bytes()).to_vec()
        }
        _ => return None,
    };
    Some(super::base64url::encode(&digest[..digest.len() / 2]))
}

/// RFC 7523 section 3: for client authentication, `sub` is the client.
fn subject_is_client(claims: &Map<String, Value>, policy: &Policy) -> Checked {
    let client_id = policy.client_id.as_deref().unwrap_or_default();
    match value_of(claims, "sub") {
        None => Ok(()),
        Some(Value::String(sub)) if sub == client_id => Ok(()),
        Some(sub) => Err(Rejection::new(
            RejectKind::Other,
            format!(
                "`sub` {} is not the client {} (RFC 7523 section 3)",
                match sub {
                    Value::String(s) => short(s),
                    v => type_name(v).to_string(),
                },
                short(client_id)
            ),
        )),
    }
}

/// draft-ietf-oauth-rfc7523bis section 4, when the policy selects it: the issuer
/// identifier is the sole audience.
fn sole_audience(claims: &Map<String, Value>, policy: &Policy) -> Checked {
    if policy.audience_rule != Some(AudienceRule::Rfc7523bis) {
        return Ok(());
    }
    match audiences(claims) {
        Some(values) if values.len() > 1 && generic_audience_passes(&values, policy) => {
            Err(Rejection::new(
                RejectKind::Audience,
                format!(
                    "`aud` holds {} values; the issuer identifier must be its sole value (draft-ietf-oauth-rfc7523bis section 4)",
                    values.len()
                ),
            ))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwk::JwkSet;
    use serde_json::json;

    fn policy(profile: Profile) -> Policy {
        let mut p = Policy::new(JwkSet::default(), Vec::new(), Some(0));
        p.profile = Some(profile);
        p.client_id = Some("client".into());
        p.audience = vec!["client".into()];
        p
    }

    fn kinds(claims: Value, policy: &Policy, choice: Choice) -> Vec<RejectKind> {
        claim_defects(claims.as_object().unwrap(), Some("RS256"), policy, choice)
            .into_iter()
            .map(|r| r.kind)
            .collect()
    }

    #[test]
    fn at_hash_is_the_left_half_of_the_algs_hash() {
        // OpenID Connect Core 1.0 Appendix A.4's ID token: at_hash of its access token.
        assert_eq!(
            token_hash("RS256", "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y").as_deref(),
            Some("77QmUPtjPfzWtF2AnpK9RQ")
        );
        assert_eq!(token_hash("HS512", "x").map(|h| h.len()), Some(43));
        assert_eq!(token_hash("none", "x"), None);
    }

    #[test]
    fn an_id_token_lists_the_client_and_only_trusted_audiences() {
        let mut p = policy(Profile::OidcIdToken);
        p.audience.push("trusted".into());
        let base = json!({"sub": "s", "iat": 0, "azp": "client"});
        let with = |aud: Value| {
            let mut c = base.clone();
            c["aud"] = aud;
            kinds(c, &p, Choice::Strict)
        };
        assert_eq!(with(json!("client")), vec![]);
        assert_eq!(with(json!(["client", "trusted"])), vec![]);
        assert_eq!(with(json!(["trusted"])), vec![RejectKind::Audience]);
        assert_eq!(with(json!(["client", "evil"])), vec![RejectKind::Audience]);
        // Matching nothing at all is the generic audience rule's to report.
        assert_eq!(with(json!("evil")), vec![]);
    }

    #[test]
    fn azp_and_required_claims_are_strict_only() {
        let p = policy(Profile::OidcIdToken);
        let mut trusting = p.clone();
        trusting.audience.push("other".into());
        for (claims, p) in [
            (
                json!({"aud": "client", "sub": "s", "iat": 0, "azp": "other"}),
                &p,
            ),
            (
                json!({"aud": ["client", "other"], "sub": "s", "iat": 0}),
                &trusting,
            ),
            (json!({"aud": "client", "iat": 0}), &p),
            (json!({"aud": "client", "sub": "s"}), &p),
        ] {
            assert_eq!(
                kinds(claims.clone(), p, Choice::Strict).len(),
                1,
                "{claims}"
            );
            assert_eq!(
                kinds(claims.clone(), p, Choice::Lenient),
                vec![],
                "{claims}"
            );
        }
    }

    #[test]
    fn a_sent_nonce_must_come_back() {
        let mut p = policy(Profile::OidcIdToken);
        p.nonce = Some("n".into());
        let c = |nonce: Option<&str>| {
            let mut c = json!({"aud": "client", "sub": "s", "iat": 0});
            if let Some(n) = nonce {
                c["nonce"] = json!(n);
            }
            kinds(c, &p, Choice::Lenient)
        };
        assert_eq!(c(Some("n")), vec![]);
        assert_eq!(c(Some("N")), vec![RejectKind::Other]);
        assert_eq!(c(None), vec![RejectKind::MissingClaim]);
    }

    #[test]
    fn types_of_other_kinds_are_refused() {
        let header = |typ: Option<&str>| {
            let mut h = json!({"alg": "RS256"});
            if let Some(t) = typ {
                h["typ"] = json!(t);
            }
            h.as_object().unwrap().clone()
        };
        let id = policy(Profile::OidcIdToken);
        let assertion = policy(Profile::Rfc7523);
        let mut access = policy(Profile::Rfc9068);
        for typ in [None, Some("JWT"), Some("jose")] {
            assert_eq!(check_header(&header(typ), &id), Ok(()), "{typ:?}");
            assert_eq!(check_header(&header(typ), &assertion), Ok(()), "{typ:?}");
        }
        assert_eq!(
            check_header(&header(Some("client-authentication+jwt")), &assertion),
            Ok(())
        );
        for typ in ["at+jwt", "logout+jwt", "dpop+jwt"] {
            for p in [&id, &assertion] {
                assert_eq!(
                    check_header(&header(Some(typ)), p).unwrap_err().kind,
                    RejectKind::Type
                );
            }
        }
        assert_eq!(check_header(&header(Some("AT+JWT")), &access), Ok(()));
        assert!(check_header(&header(Some("JWT")), &access).is_err());
        // With the policy's own `typ`, the typ rule checks it, not this one.
        access.typ = Some("at+jwt".into());
        assert_eq!(check_header(&header(Some("JWT")), &access), Ok(()));
    }

    #[test]
    fn a_client_assertion_names_the_client_and_under_the_update_one_audience() {
        let mut p = policy(Profile::Rfc7523);
        p.audience = vec!["https://as".into(), "https://as/token".into()];
        let c = |sub: &str, aud: Value| json!({"sub": sub, "aud": aud});
        assert_eq!(
            kinds(c("client", json!("https://as")), &p, Choice::Strict),
            vec![]
        );
        assert_eq!(
            kinds(c("other", json!("https://as")), &p, Choice::Lenient),
            vec![RejectKind::Other]
        );
        let both = json!(["https://as", "https://as/token"]);
        assert_eq!(kinds(c("client", both.clone()), &p, Choice::Strict), vec![]);
        p.audience_rule = Some(AudienceRule::Rfc7523bis);
        p.audience = vec!["https://as".into()];
        assert_eq!(
            kinds(c("client", both), &p, Choice::Lenient),
            vec![RejectKind::Audience]
        );
        assert_eq!(
            kinds(c("client", json!(["https://as"])), &p, Choice::Strict),
            vec![]
        );
    }
}
