//! `kid-injection/*`: hostile `kid` values (RFC 7515 section 4.1.4, RFC 8725 sections
//! 2.9 and 3.10).
//!
//! Verifiers that turn `kid` into a file path, an SQL query or a shell command let the
//! attacker choose the key: `/dev/null` reads as the empty key, `' UNION SELECT
//! 'secret'` returns a secret of the attacker's choosing. Each token is MACed with the
//! key such an injection would produce; no trusted key has its `kid`, so a verifier
//! that matches `kid` against its trusted keys as the plain string it is rejects it.
//!
//! Levels: no trusted key makes any of those MACs, so whatever a verifier does with the
//! `kid`, the signature does not validate: `rfc` (RFC 7515 section 5.2; RFC 7519
//! section 7.2, "If any of the listed steps fail, then the JWT MUST be rejected"). A
//! `kid` that is no string, on a token the trusted key did MAC, breaks only a hint
//! (RFC 7515 section 4.1.4): refusing it is `strict`, and a verifier that ignores it
//! and tries its trusted keys accepts the signed claims.

use crate::alg::Alg;
use crate::case::{Case, CaseBuilder, Severity};
use crate::catalogue::common::{header_with, policy_for, signed, signed_with_header, valid_claims};
use crate::context::Context;
use crate::forge::{self, keys};
use crate::jwk::JwkSet;
use crate::verdict::RejectKind;
use serde_json::{json, Value};

const ALG: Alg = Alg::HS256;

const KID_REQ: &str = "RFC 7515 5.2: \"If any of the listed steps fails, then the signature or \
    MAC cannot be validated\", and RFC 7519 7.2: \"If any of the listed steps fail, then the JWT \
    MUST be rejected\": step 8 fails with every trusted key, because the MAC was made with a key \
    the verifier does not trust, so this is rfc. RFC 8725 3.10: \"The \"kid\" (key ID) header is \
    used by the relying application to perform key lookup. Applications should ensure that this \
    does not create SQL or LDAP injection vulnerabilities by validating and/or sanitizing the \
    received value.\" RFC 7517 4.5: kid \"is used to match a specific key\"; no trusted key has \
    this kid";

/// The kid-injection cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let claims = valid_claims(ctx);
    // The token with `kid`, MACed with the raw `secret`.
    let mac_with = |kid: Value, secret: &[u8]| {
        let header = header_with(ALG, "kid", kid).to_string();
        let payload = claims.to_string();
        let input = forge::signing_input(header.as_bytes(), payload.as_bytes());
        forge::assemble(
            header.as_bytes(),
            payload.as_bytes(),
            &forge::hmac(ALG, secret, input.as_bytes()),
        )
    };
    let attacker = keys::private(keys::second_key_name(ALG))
        .hmac_secret()
        .expect("oct fixture");
    let traversal = "../../../../../../dev/null";
    let mut out = Vec::new();
    for (name, what, kid, secret, secret_name) in [
        (
            "path-traversal-dev-null",
            "a relative path to /dev/null",
            traversal.to_string(),
            &b""[..],
            "the empty key, what reading /dev/null yields",
        ),
        (
            "absolute-dev-null",
            "the absolute path /dev/null",
            "/dev/null".to_string(),
            b"",
            "the empty key, what reading /dev/null yields",
        ),
        (
            "nul-truncation",
            "a path to /dev/null, a NUL, then the trusted kid",
            format!("{traversal}\u{0}oct-a"),
            b"",
            "the empty key, what a C-string path cut at the NUL yields",
        ),
        (
            "sql-injection",
            "an SQL injection",
            "x' UNION SELECT 'secret' --".to_string(),
            b"secret",
            "\"secret\", what the injected query returns",
        ),
        (
            "shell-injection",
            "a shell injection",
            "/dev/null; printf secret".to_string(),
            b"secret",
            "\"secret\", what `cat <kid>` run by a shell prints",
        ),
        (
            "empty-string",
            "the empty string",
            String::new(),
            b"",
            "the empty key, what an empty lookup may default to",
        ),
        (
            "unknown",
            "unknown to the verifier",
            "oct-c".to_string(),
            &attacker[..],
            "the untrusted key oct-b",
        ),
        (
            "kid-64-kib",
            "65,536 characters long",
            "k".repeat(64 * 1024),
            &attacker[..],
            "the untrusted key oct-b",
        ),
    ] {
        let shown = if kid.len() > 80 {
            format!("{}…", &kid[..40])
        } else {
            format!("{kid:?}")
        };
        out.push(
            case(
                ctx,
                name,
                &format!("A token whose kid is {what} is rejected"),
            )
            .severity(Severity::Critical)
            .rfc("RFC7515#section-5.2")
            .sends(format!("kid {shown}, MACed with {secret_name}"))
            .requirement(KID_REQ)
            .token(mac_with(json!(kid), secret))
            .expect_reject(RejectKind::Key)
            .control(signed(ALG, &claims))
            .build(),
        );
    }
    out.push(
        case(
            ctx,
            "unknown-kid-empty-key",
            "A token naming an unknown kid, MACed with the empty key, is rejected",
        )
        .severity(Severity::Critical)
        .refs([
            "CVE-2026-44351",
            "RFC7518#section-3.2",
            "RFC7515#section-4.1.4",
            "RFC7517#section-4.5",
            "RFC8725#section-3.10",
        ])
        .rfc("RFC7515#section-5.2")
        .sends(
            "kid \"no-such-key\", which no trusted key has, MACed with the empty key: what a key \
             lookup written as `keys[kid] || ''` hands to HMAC",
        )
        .requirement(format!(
            "{KID_REQ}. No trusted key is empty: RFC 7518 3.2, \"A key of the same size as the \
             hash output (for instance, 256 bits for \"HS256\") or larger MUST be used with this \
             algorithm\", and a lookup that finds nothing must not turn into a key"
        ))
        .token(mac_with(json!("no-such-key"), b""))
        .expect_reject(RejectKind::Key)
        .control(signed(ALG, &claims))
        .build(),
    );
    for (name, kid) in [
        ("number", json!(1)),
        ("object", json!({ "kid": "oct-a" })),
        ("array", json!(["oct-a"])),
        ("null", Value::Null),
    ] {
        out.push(
            case(
                ctx,
                &format!("kid-{name}"),
                &format!("A token whose kid is a JSON {name} is rejected"),
            )
            .severity(Severity::Medium)
            .refs(["RFC7515#section-4.1.4"])
            .strict("RFC7515#section-4.1.4")
            .sends(format!("kid {kid}, MACed with the trusted key"))
            .requirement(
                "RFC 7515 4.1.4: \"The \"kid\" (key ID) Header Parameter is a hint indicating \
                    which key was used to secure the JWS\" and \"Its value MUST be a \
                    case-sensitive string.\" The producer broke that, but the trusted key made the \
                    MAC: refusing the header as malformed is hardening (strict), and a verifier \
                    that takes a kid of another type for no hint and tries its trusted keys \
                    accepts the signed claims",
            )
            .token(signed_with_header(
                ALG,
                &header_with(ALG, "kid", kid.clone()),
                &claims,
            ))
            .expect_reject(RejectKind::Malformed)
            .control(signed(ALG, &claims))
            .build(),
        );
    }
    out.extend(shared_kid(ctx));
    out
}

/// Two different trusted keys under one `kid`.
fn shared_kid(ctx: &Context) -> Vec<Case> {
    let claims = valid_claims(ctx);
    let mut policy = policy_for(ctx, ALG);
    policy.keys = JwkSet::new(
        ["oct-a", "oct-b"]
            .iter()
            .map(|name| {
                let mut jwk = keys::public(name);
                jwk.kid = Some("shared".to_string());
                jwk
            })
            .collect(),
    );
    let header = header_with(ALG, "kid", "shared");
    let sign_as = |key: &str| {
        forge::sign_json(&header, &claims, ALG, keys::private(key))
            .expect("oct fixtures sign HS256")
    };
    let refs = [
        "RFC7517#section-4.5",
        "RFC7515#section-4.1.4",
        "RFC8725#section-3.10",
    ];
    let unique =
        "RFC 7517 4.5: \"When \"kid\" values are used within a JWK Set, different keys within the \
            JWK Set SHOULD use distinct \"kid\" values.\"";
    vec![
        case(
            ctx,
            "shared-kid-second-key",
            "A token signed by the second of two trusted keys sharing a kid",
        )
        .policy(policy.clone())
        .severity(Severity::Info)
        .refs(refs)
        .sends(
            "kid \"shared\", MACed with oct-b; the policy trusts oct-a and oct-b, both with kid \
                \"shared\"",
        )
        .rfc("RFC7517#section-4.5")
        .requirement(format!(
            "{unique} The SHOULD binds whoever wrote the key set; both keys are trusted and the \
                kid is only a hint (RFC 7515 4.1.4), so trying every key with the kid and refusing \
                the ambiguity are both conformant, and neither is the hardened answer: either, at \
                the level of the sentence that leaves it open"
        ))
        .token(sign_as("oct-b"))
        .expect_either(
            "distinct kids are only a SHOULD (RFC 7517 4.5): trying every key with the kid, or \
                refusing the ambiguity, are both conformant; both keys are trusted",
        )
        .control(sign_as("oct-a"))
        .build(),
        case(
            ctx,
            "shared-kid-untrusted-signer",
            "A token signed by an untrusted key under a shared kid is rejected",
        )
        .policy(policy)
        .severity(Severity::Critical)
        .refs(refs)
        .sends(
            "kid \"shared\", MACed with oct-short, which the policy does not trust; two trusted \
                keys share that kid",
        )
        .rfc("RFC7515#section-5.2")
        .requirement(format!(
            "{unique} However the ambiguity is resolved, only a trusted key may verify the token: \
                RFC 7515 5.2, \"If any of the listed steps fails, then the signature or MAC \
                cannot be validated\", and oct-short makes a MAC no trusted key makes (rfc)"
        ))
        .token(sign_as("oct-short"))
        .expect_reject(RejectKind::Signature)
        .control(sign_as("oct-a"))
        .build(),
    ]
}

/// A case under the usual policy, trusting oct-a under kid "oct-a".
#[track_caller]
fn case(ctx: &Context, name: &str, title: &str) -> CaseBuilder {
    Case::builder(format!("kid-injection/{name}"), title)
        .refs([
            "RFC8725#section-2.9",
            "RFC8725#section-3.10",
            "RFC7515#section-4.1.4",
            "RFC7517#section-4.5",
        ])
        .policy(policy_for(ctx, ALG))
        .needs_algorithms(&[ALG])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::b64;
    use crate::catalogue::common::testing::*;

    #[test]
    fn each_token_is_maced_with_the_key_the_injection_yields() {
        let cases = cases(&Context::listing());
        let find = |id: &str| case_by_id(&cases, &format!("kid-injection/{id}"));
        let macs = |token: &str, secret: &[u8]| {
            let (input, sig) = token.rsplit_once('.').unwrap();
            forge::hmac(ALG, secret, input.as_bytes()) == b64::decode(sig).unwrap()
        };
        for (id, secret) in [
            ("path-traversal-dev-null", &b""[..]),
            ("absolute-dev-null", b""),
            ("nul-truncation", b""),
            ("sql-injection", b"secret"),
            ("shell-injection", b"secret"),
            ("empty-string", b""),
            ("unknown-kid-empty-key", b""),
        ] {
            assert!(macs(&find(id).token, secret), "{id}");
        }
        let trusted = keys::private("oct-a").hmac_secret().unwrap();
        for case in &cases {
            match &case.control {
                Some(control) => {
                    assert!(macs(&control.token, &trusted), "{}: control", case.id);
                    // Only the kid-type cases carry the trusted key's MAC.
                    assert_eq!(
                        macs(&case.token, &trusted),
                        case.id.contains("/kid-") && !case.id.ends_with("64-kib"),
                        "{}",
                        case.id
                    );
                }
                None => panic!("{} has no control", case.id),
            }
        }
        let header =
            String::from_utf8(forge::decode(&find("nul-truncation").token).header.unwrap())
                .unwrap();
        assert!(header.contains(r#"dev/null\u0000oct-a"#), "{header}");
    }
}
