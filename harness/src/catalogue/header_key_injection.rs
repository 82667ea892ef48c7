//! `header-key-injection/*`: tokens that bring their own key.
//!
//! The attacker signs with a key of their own and names it in the header: inline as a
//! `jwk` (CVE-2018-0114), inline as a self-signed `x5c` certificate, or by URL as `jku`
//! or `x5u`. A key the token supplies proves nothing; only keys the verifier already
//! trusts do. Each variant is sent both without a `kid` and with the `kid` of the
//! trusted key, which defeats verifiers that look the key up by `kid` only after
//! trusting the header.
//!
//! The URLs point at the harness's loopback canary ([`crate::canary`]), under the
//! case's own path `/<case id>/`; the canary serves the attacker's JWK Set or
//! certificate there, and the suite fails the case if the verifier fetched anything,
//! even when it then rejected the token (SSRF, RFC 8725 section 3.10).
//!
//! The members can also arrive in shapes RFC 7515 does not give them: a JWK as a JSON
//! string, a certificate as a bare string, a URL inside an array or object. Signed by
//! the attacker, such a token is rejected like the others, and fetching a URL from
//! inside the odd shape is still SSRF. Signed by the trusted key, with a member of the
//! wrong JSON type, it is a valid token to a verifier that ignores the member (RFC 7515
//! section 4: "All other Header Parameters defined by this specification that are not so
//! designated MUST be ignored when not understood") and may be refused by one that
//! parses it: either, at `rfc`, but never a crash.
//!
//! Level: `rfc`. The token is signed by a key the verifier does not trust, so with every
//! key it does trust the signature does not validate (RFC 7515 section 5.2), and a JWT
//! whose validation fails "MUST be rejected" (RFC 7519 section 7.2). A key that arrives
//! with the token is no key the verifier trusts: "The key management technique
//! employed to obtain public keys must authenticate the origin of the key; otherwise, it
//! is unknown what party signed the message" (RFC 7515 section 10.3).

use crate::alg::Alg;
use crate::case::{Case, Severity};
use crate::catalogue::common::{policy_for, valid_claims};
use crate::context::Context;
use crate::forge::{self, keys};
use crate::jwk::Jwk;
use crate::verdict::RejectKind;
use base64::Engine;
use serde_json::{json, Value};

const CLASS: &str = "header-key-injection";

/// Where the attacker puts the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Carrier {
    /// `jwk`: the public key inline (RFC 7515 section 4.1.3).
    Jwk,
    /// `jku`: a URL of a JWK Set (section 4.1.2).
    Jku,
    /// `x5u`: a URL of a PEM certificate (section 4.1.5).
    X5u,
    /// `x5c`: the certificate chain inline (section 4.1.6).
    X5c,
}

impl Carrier {
    fn member(self) -> &'static str {
        match self {
            Carrier::Jwk => "jwk",
            Carrier::Jku => "jku",
            Carrier::X5u => "x5u",
            Carrier::X5c => "x5c",
        }
    }

    fn section(self) -> &'static str {
        match self {
            Carrier::Jwk => "RFC7515#section-4.1.3",
            Carrier::Jku => "RFC7515#section-4.1.2",
            Carrier::X5u => "RFC7515#section-4.1.5",
            Carrier::X5c => "RFC7515#section-4.1.6",
        }
    }

    /// The algorithms tried with this carrier. Certificates exist for the RSA and P-256
    /// attacker fixtures only; RSA signing is slow and these tokens are built on every
    /// run, so RSA appears where it is the classic case (CVE-2018-0114, X.509 chains).
    fn algs(self) -> &'static [Alg] {
        match self {
            Carrier::Jwk => &[Alg::RS256, Alg::ES256, Alg::EdDSA, Alg::HS256],
            Carrier::Jku => &[Alg::ES256, Alg::EdDSA],
            Carrier::X5u => &[Alg::ES256],
            Carrier::X5c => &[Alg::RS256, Alg::ES256],
        }
    }

    /// The file the canary serves for a URL carrier.
    fn file(self) -> Option<&'static str> {
        match self {
            Carrier::Jku => Some("jwks.json"),
            Carrier::X5u => Some("cert.pem"),
            Carrier::Jwk | Carrier::X5c => None,
        }
    }
}

/// One injection: a carrier, an algorithm, and whether the header also names the
/// trusted key's `kid`.
#[derive(Clone, Copy, Debug)]
struct Injection {
    carrier: Carrier,
    alg: Alg,
    trusted_kid: bool,
}

impl Injection {
    fn all() -> Vec<Injection> {
        let mut all = Vec::new();
        for carrier in [Carrier::Jwk, Carrier::Jku, Carrier::X5u, Carrier::X5c] {
            for &alg in carrier.algs() {
                for trusted_kid in [false, true] {
                    all.push(Injection {
                        carrier,
                        alg,
                        trusted_kid,
                    });
                }
            }
        }
        all
    }

    fn name(&self) -> String {
        let kid = if self.trusted_kid { "-trusted-kid" } else { "" };
        format!("{}-{}{kid}", self.carrier.member(), self.alg.slug())
    }

    fn id(&self) -> String {
        format!("{CLASS}/{}", self.name())
    }

    fn trusted(&self) -> &'static str {
        keys::default_key_name(self.alg)
    }

    fn attacker(&self) -> &'static str {
        keys::second_key_name(self.alg)
    }

    /// The attacker's public key as they publish it: labelled with the trusted key's
    /// `kid` when the variant impersonates it, else with no `kid` at all.
    fn attacker_jwk(&self) -> Jwk {
        let mut jwk = keys::public(self.attacker());
        jwk.kid = self.trusted_kid.then(|| self.trusted().to_string());
        jwk
    }

    /// The header: `alg`, `typ`, the trusted `kid` if any, and the carrier member.
    fn header(&self, ctx: &Context) -> Value {
        let mut header = json!({"alg": self.alg.as_str(), "typ": "JWT"});
        if self.trusted_kid {
            header["kid"] = json!(self.trusted());
        }
        let carried = match self.carrier {
            Carrier::Jwk => serde_json::to_value(self.attacker_jwk()).expect("a JWK serialises"),
            Carrier::Jku | Carrier::X5u => json!(self.url(&ctx.canary)),
            Carrier::X5c => json!([base64::engine::general_purpose::STANDARD
                .encode(attacker_cert_der(self.attacker()))]),
        };
        header[self.carrier.member()] = carried;
        header
    }

    fn url(&self, base: &str) -> String {
        let file = self.carrier.file().unwrap_or_default();
        format!("{base}/{}/{file}", self.id())
    }

    #[track_caller]
    fn case(&self, ctx: &Context) -> Case {
        let claims = valid_claims(ctx);
        let header = self.header(ctx);
        let sign = |key: &str| {
            forge::sign_json(&header, &claims, self.alg, keys::private(key))
                .unwrap_or_else(|e| panic!("fixture {key} cannot sign {}: {e}", self.alg))
        };
        let member = self.carrier.member();
        let kid = if self.trusted_kid {
            format!(", and kid {:?} of the trusted key", self.trusted())
        } else {
            String::new()
        };
        let carried = match self.carrier {
            Carrier::Jwk => "the attacker's public key inline".to_string(),
            Carrier::X5c => "a self-signed certificate for the attacker's key".to_string(),
            Carrier::Jku => {
                "a URL of the canary serving a JWK Set with the attacker's key".to_string()
            }
            Carrier::X5u => {
                "a URL of the canary serving a certificate for the attacker's key".to_string()
            }
        };
        let mut refs = vec![
            self.carrier.section(),
            "RFC7515#section-10.3",
            "RFC8725#section-3.10",
            "RFC8725#section-2.9",
        ];
        if self.carrier == Carrier::Jwk {
            refs.push("CVE-2018-0114");
        }
        let fetch = if self.carrier.file().is_some() {
            " Fetching the URL at all is reported, even if the token is then rejected."
        } else {
            ""
        };
        Case::builder(
            self.id(),
            format!(
                "A token whose `{member}` header supplies the attacker's key is rejected ({}{})",
                self.alg,
                if self.trusted_kid { ", trusted kid" } else { "" }
            ),
        )
        .severity(Severity::Critical)
        .refs(refs)
        .sends(format!(
            "a token signed with {} by the untrusted key {}, with `{member}` carrying {carried}{kid}",
            self.alg,
            self.attacker()
        ))
        .rfc("RFC7515#section-5.2")
        .requirement(format!(
            "RFC 7515 5.2: \"If any of the listed steps fails, then the signature or MAC cannot \
                be validated\", and RFC 7519 7.2: \"If any of the listed steps fail, then the JWT \
                MUST be rejected\": the signature validates under none of the verifier's trusted \
                keys ({}), and a key the token supplies is chosen by whoever made the token (RFC \
                7515 10.3: \"The key management technique employed to obtain public keys must \
                authenticate the origin of the key; otherwise, it is unknown what party signed \
                the message\"), so this is rfc. RFC 8725 3.10: \"blindly following a \"jku\" \
                (JWK set URL) or \"x5u\" (X.509 URL) header, which may contain an arbitrary URL, \
                could result in server-side request forgery (SSRF) attacks\".{fetch}",
            self.trusted()
        ))
        .token(sign(self.attacker()))
        .policy(policy_for(ctx, self.alg))
        .expect_reject(RejectKind::Signature)
        .control(sign(self.trusted()))
        .needs_algorithms(&[self.alg])
        .build()
    }
}

/// The header-key-injection cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let mut out: Vec<Case> = Injection::all().iter().map(|i| i.case(ctx)).collect();
    out.extend(odd_shapes(ctx));
    out.extend(ill_typed(ctx));
    out
}

/// What the attacker's ES256 key looks like in an odd shape for `member`, pointing
/// at the canary under `id`.
fn odd_shape(ctx: &Context, member: &str, id: &str) -> Value {
    let attacker = keys::second_key_name(Alg::ES256);
    match member {
        "jwk" => json!(keys::public(attacker).to_json()),
        "x5c" => {
            json!(base64::engine::general_purpose::STANDARD.encode(attacker_cert_der(attacker)))
        }
        "jku" => json!([format!("{}/{id}/jwks.json", ctx.canary)]),
        _ => json!({ "url": format!("{}/{id}/cert.pem", ctx.canary) }),
    }
}

/// The attacker's key in a shape RFC 7515 does not give the member: rejected, as
/// every attacker-signed token is.
fn odd_shapes(ctx: &Context) -> Vec<Case> {
    let alg = Alg::ES256;
    let claims = valid_claims(ctx);
    let trusted = keys::default_key_name(alg);
    let attacker = keys::second_key_name(alg);
    [
        (
            "jwk-as-json-text-es256",
            "jwk",
            "the attacker's JWK as a JSON string (its JSON text)",
        ),
        (
            "x5c-as-string-es256",
            "x5c",
            "the attacker's certificate as a bare string, not an array",
        ),
        (
            "jku-in-array-es256",
            "jku",
            "an array holding a canary URL of a JWK Set",
        ),
        (
            "x5u-in-object-es256",
            "x5u",
            "an object whose url member is a canary URL of a certificate",
        ),
    ]
    .into_iter()
    .map(|(name, member, what)| {
        let id = format!("{CLASS}/{name}");
        let mut header = json!({"alg": alg.as_str(), "typ": "JWT", "kid": trusted});
        header[member] = odd_shape(ctx, member, &id);
        let sign = |key: &str| {
            forge::sign_json(&header, &claims, alg, keys::private(key)).expect("EC fixture signs")
        };
        Case::builder(
            id,
            format!("A token whose `{member}` carries {what} is rejected"),
        )
        .severity(Severity::Critical)
        .refs([
            "RFC7515#section-10.3",
            "RFC8725#section-3.10",
            "RFC7515#section-4.1.2",
            "RFC7515#section-4.1.3",
            "RFC7515#section-4.1.5",
            "RFC7515#section-4.1.6",
        ])
        .rfc("RFC7515#section-5.2")
        .sends(format!(
            "an ES256 token signed by the untrusted {attacker}, naming the trusted kid \
                 {trusted}, whose `{member}` is {what}"
        ))
        .requirement(
            "RFC 7515 5.2: \"If any of the listed steps fails, then the signature or MAC \
                 cannot be validated\", and RFC 7519 7.2: \"If any of the listed steps fail, then \
                 the JWT MUST be rejected\": no trusted key made the signature, in whatever shape \
                 the token brings its own (RFC 7515 10.3: \"The key management technique \
                 employed to obtain public keys must authenticate the origin of the key\"), so \
                 this is rfc. RFC 8725 3.10: following a header URL \"could result in \
                 server-side request forgery (SSRF) attacks\"; fetching the canary URL is \
                 reported even if the token is then rejected",
        )
        .token(sign(attacker))
        .policy(policy_for(ctx, alg))
        .expect_reject(RejectKind::Signature)
        .control(sign(trusted))
        .needs_algorithms(&[alg])
        .build()
    })
    .collect()
}

/// Key-carrying members of a JSON type RFC 7515 does not give them, on a token the
/// trusted key signed: either answer, never a crash.
fn ill_typed(ctx: &Context) -> Vec<Case> {
    let alg = Alg::HS256;
    let claims = valid_claims(ctx);
    let control = forge::jwt(alg, keys::default_key_name(alg), &claims);
    [
        ("jwk-number", "jwk", json!(1), "RFC7515#section-4.1.3", "a JSON object (a JWK)"),
        ("jwk-null", "jwk", Value::Null, "RFC7515#section-4.1.3", "a JSON object (a JWK)"),
        ("x5c-number-entry", "x5c", json!([1]), "RFC7515#section-4.1.6", "an array of base64 strings"),
        ("jku-number", "jku", json!(443), "RFC7515#section-4.1.2", "a URI string"),
        ("x5u-boolean", "x5u", json!(true), "RFC7515#section-4.1.5", "a URI string"),
        ("x5t-number", "x5t", json!(0), "RFC7515#section-4.1.7", "a base64url string"),
    ]
    .into_iter()
    .map(|(name, member, value, section, shape)| {
        let mut header = forge::header_for(alg, keys::private(keys::default_key_name(alg)));
        header[member] = value.clone();
        let token = forge::sign_json(&header, &claims, alg, keys::private(keys::default_key_name(alg)))
            .expect("oct fixture signs");
        Case::builder(
            format!("{CLASS}/{name}"),
            format!("A token whose `{member}` is {value} is either accepted or rejected, without a crash"),
        )
        .severity(Severity::Info)
        .refs([section, "RFC7515#section-4", "RFC7519#section-7.2"])
        .rfc("RFC7515#section-4")
        .sends(format!(
            "an HS256 token MACed with the trusted key, valid claims, whose header has \
             `{member}`: {value} instead of {shape}"
        ))
        .requirement(format!(
            "RFC 7515 4: \"All other Header Parameters defined by this specification that are not \
             so designated MUST be ignored when not understood.\" {member} is not designated \
             \"MUST be understood\": a verifier that does not use it ignores it and accepts the \
             signed claims; one that parses it finds no {shape} (RFC 7519 7.2 step 5: the header \
             may hold only parameters \"whose syntax and semantics are both understood and \
             supported or that are specified as being ignored when not understood\") and may \
             refuse. Neither is safer, since the member is never trusted: either, at rfc. A crash \
             is a failure at any level"
        ))
        .token(token)
        .policy(policy_for(ctx, alg))
        .expect_either(format!(
            "RFC 7515 4: {member} is ignored when not understood, and may be refused as \
             malformed when parsed"
        ))
        .needs_algorithms(&[alg])
        .control(control.clone())
        .build()
    })
    .collect()
}

/// What the canary serves at `path`: the attacker's JWK Set for a `jku` case, the
/// attacker's certificate for an `x5u` case, nothing elsewhere.
pub fn canary_document(path: &str) -> Option<(&'static str, Vec<u8>)> {
    let (name, file) = path.strip_prefix(&format!("/{CLASS}/"))?.split_once('/')?;
    let injection = Injection::all().into_iter().find(|i| i.name() == name)?;
    if injection.carrier.file() != Some(file) {
        return None;
    }
    match injection.carrier {
        Carrier::Jku => {
            let set = json!({ "keys": [injection.attacker_jwk()] });
            Some(("application/jwk-set+json", set.to_string().into_bytes()))
        }
        Carrier::X5u => Some((
            "application/pem-certificate-chain",
            attacker_cert_pem(injection.attacker()).as_bytes().to_vec(),
        )),
        Carrier::Jwk | Carrier::X5c => None,
    }
}

/// The committed self-signed certificate for an attacker fixture.
fn attacker_cert_pem(key: &str) -> &'static str {
    let file = format!("attacker-x5c-{key}.cert.pem");
    jwt_conformance_vectors::ATTACKER_CERTS
        .iter()
        .find(|(name, _)| *name == file)
        .map(|(_, pem)| *pem)
        .unwrap_or_else(|| panic!("no attacker certificate fixture {file}"))
}

/// The DER bytes of [`attacker_cert_pem`].
fn attacker_cert_der(key: &str) -> Vec<u8> {
    let body: String = attacker_cert_pem(key)
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap_or_else(|e| panic!("attacker certificate for {key} is not PEM: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::common::testing::*;

    fn header_of(token: &str) -> Value {
        serde_json::from_slice(&forge::decode(token).header.unwrap()).unwrap()
    }

    fn signed_by(alg: Alg, key: &str, token: &str) -> bool {
        verifies(alg, &keys::public(key), token)
    }

    #[test]
    fn tokens_are_signed_by_the_attacker_and_controls_by_the_trusted_key() {
        let ctx = Context::listing();
        for i in Injection::all() {
            let case = i.case(&ctx);
            assert!(signed_by(i.alg, i.attacker(), &case.token), "{}", case.id);
            assert!(!signed_by(i.alg, i.trusted(), &case.token), "{}", case.id);
            let control = case.control_token().unwrap();
            assert!(signed_by(i.alg, i.trusted(), control), "{}", case.id);
            assert_eq!(header_of(control), header_of(&case.token), "{}", case.id);
            let header = header_of(&case.token);
            assert_eq!(header.get("kid").is_some(), i.trusted_kid, "{}", case.id);
        }
        assert_eq!(Injection::all().len(), 18);
    }

    #[test]
    fn odd_shapes_are_signed_by_the_attacker_and_ill_typed_members_by_the_trusted_key() {
        let all = cases(&Context::listing());
        assert_eq!(all.len(), 18 + 4 + 6);
        for case in &all[18..22] {
            assert!(
                signed_by(Alg::ES256, "ec-p256-b", &case.token),
                "{}",
                case.id
            );
            assert!(signed_by(
                Alg::ES256,
                "ec-p256-a",
                case.control_token().unwrap()
            ));
        }
        let jku = &all[20];
        assert_eq!(
            header_of(&jku.token)["jku"][0],
            json!(format!("{NOMINAL}/{}/jwks.json", jku.id))
        );
        let text = header_of(&all[18].token)["jwk"]
            .as_str()
            .unwrap()
            .to_string();
        let parsed: crate::jwk::Jwk = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed.x, keys::public("ec-p256-b").x);
        for case in &all[22..] {
            assert!(signed_by(Alg::HS256, "oct-a", &case.token), "{}", case.id);
        }
    }

    const NOMINAL: &str = crate::context::NOMINAL_CANARY;

    #[test]
    fn the_certificates_hold_the_attacker_keys() {
        for key in ["rsa-2048-b", "ec-p256-b"] {
            let der = attacker_cert_der(key);
            let spki = keys::public(key).public_key_der().unwrap();
            assert!(der.windows(spki.len()).any(|w| w == spki), "{key}");
            let trusted = keys::public(keys::default_key_name(if key.starts_with("rsa") {
                Alg::RS256
            } else {
                Alg::ES256
            }))
            .public_key_der()
            .unwrap();
            assert!(!der.windows(trusted.len()).any(|w| w == trusted), "{key}");
        }
    }

    #[test]
    fn urls_point_at_the_case_path_and_the_canary_serves_the_attacker() {
        let ctx = Context::listing().with_canary("http://127.0.0.1:4242");
        let case = Injection {
            carrier: Carrier::Jku,
            alg: Alg::ES256,
            trusted_kid: true,
        }
        .case(&ctx);
        let url = "http://127.0.0.1:4242/header-key-injection/jku-es256-trusted-kid/jwks.json";
        assert_eq!(header_of(&case.token)["jku"], json!(url));

        let (kind, body) =
            canary_document("/header-key-injection/jku-es256-trusted-kid/jwks.json").unwrap();
        assert_eq!(kind, "application/jwk-set+json");
        let set: crate::jwk::JwkSet = serde_json::from_slice(&body).unwrap();
        assert_eq!(set.keys[0].x, keys::public("ec-p256-b").x);
        assert_eq!(set.keys[0].kid.as_deref(), Some("ec-p256-a"));
        assert!(set.keys[0].d.is_none(), "never publish the private part");

        let (_, pem) = canary_document("/header-key-injection/x5u-es256/cert.pem").unwrap();
        assert!(pem.starts_with(b"-----BEGIN CERTIFICATE-----"));
        assert!(canary_document("/header-key-injection/x5u-es256/jwks.json").is_none());
        assert!(canary_document("/header-key-injection/jwk-rs256/jwks.json").is_none());
        assert!(canary_document("/elsewhere").is_none());
    }
}
