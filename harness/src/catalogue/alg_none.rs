//! `alg-none/*`: tokens that declare themselves unsecured, or whose `alg` is missing,
//! not a string, or only looks like a registered name.
//!
//! RFC 7518 3.6: "Implementations that support Unsecured JWSs MUST NOT accept such
//! objects as valid unless the application specifies that it is acceptable for a
//! specific object to not be integrity protected." No policy of this suite allows
//! `none` (RFC 8725 3.1/3.2), and RFC 7515 4.1.1 makes `alg` a case-sensitive string
//! that MUST be present, so every case expects an `algorithm` rejection. Each token has
//! valid claims and the trusted key's `kid`: the `alg` member is its only defect.
//!
//! Severity follows what acceptance means: with an empty or garbage signature the
//! verifier accepted an unsigned token (critical); with the trusted key's real signature
//! over the same bytes it ignored the `alg` it was given (medium).

use crate::alg::Alg;
use crate::case::{Case, Severity};
use crate::catalogue::common::{policy_for, valid_claims};
use crate::context::Context;
use crate::forge::draft::{header_with_alg, Draft};
use crate::forge::{self, keys};
use crate::verdict::RejectKind;
use serde_json::{json, Value};

const REFS: [&str; 6] = [
    "RFC7518#section-3.6",
    "RFC8725#section-3.1",
    "RFC8725#section-3.2",
    "CVE-2015-9235",
    "CVE-2018-1000531",
    "CVE-2022-23540",
];

/// Bytes no key produced: what an attacker without any key sends.
const GARBAGE: &[u8] = b"this is not a signature at all!!";

/// What fills the signature segment.
#[derive(Clone, Copy)]
enum Sig {
    /// `header.payload.` as RFC 7518 3.6 lays out an Unsecured JWS.
    Empty,
    /// Fixed bytes that no key produced.
    Garbage,
    /// The real signature of the same signing input by the policy's trusted key.
    Trusted,
}

impl Sig {
    fn slug(self, alg: Alg) -> String {
        match self {
            Sig::Empty => "empty-signature".to_string(),
            Sig::Garbage => "garbage-signature".to_string(),
            Sig::Trusted => format!("{}-signature", alg.slug()),
        }
    }

    fn describe(self, alg: Alg) -> String {
        match self {
            Sig::Empty => "an empty signature segment".to_string(),
            Sig::Garbage => "32 bytes of garbage as the signature".to_string(),
            Sig::Trusted => {
                format!("the genuine {alg} signature of the same signing input by the trusted key")
            }
        }
    }

    fn severity(self) -> Severity {
        match self {
            Sig::Empty | Sig::Garbage => Severity::Critical,
            Sig::Trusted => Severity::Medium,
        }
    }
}

/// One token: an `alg` member (or none), a signature, and the policy's algorithm.
struct Variant<'a> {
    name: &'a str,
    alg: Option<Value>,
    /// The `alg` member in words, as titles show it.
    shown: String,
    sig: Sig,
    policy: Alg,
    rule: &'a Rule,
    /// The JSON text of the `alg` value when it must be written exactly (escapes), not
    /// as serde_json would write `alg`.
    raw: Option<&'a str>,
}

/// What sets the level of a variant: the sentence, quoted, and its section.
struct Rule {
    requirement: &'static str,
    basis: &'static str,
}

/// `alg` is exactly `none`.
const NONE_RULE: Rule = Rule {
    requirement: "RFC 7518 3.6: \"Implementations that support Unsecured JWSs MUST NOT accept \
         such objects as valid unless the application specifies that it is acceptable for a \
         specific object to not be integrity protected. Implementations MUST NOT accept \
         Unsecured JWSs by default.\" and \"Recipients MUST verify that the JWS Signature \
         value is the empty octet sequence.\" No policy of this suite allows `none`: a MUST \
         NOT of RFC 7518 (`rfc`), whatever the signature segment holds",
    basis: "RFC7518#section-3.6",
};

/// `alg` is `none` written with JSON escapes.
const ESCAPED_RULE: Rule = Rule {
    requirement: "RFC 8259 7: \"Any character may be escaped. If the character is in the Basic \
         Multilingual Plane (U+0000 through U+FFFF), then it may be represented as a \
         six-character sequence: a reverse solidus, followed by the lowercase letter u, followed \
         by four hexadecimal digits that encode the character's code point.\" The string is \
         `none`, and comparing it with registered names happens after removing JSON escaping \
         (RFC 7519 7.3). RFC 7518 3.6: \"Implementations MUST NOT accept Unsecured JWSs by \
         default.\" A verifier that compares the raw text sees an unknown name and rejects too; \
         one that unescapes after its none check and then treats the token as unsecured accepts \
         a forgery (`rfc`)",
    basis: "RFC7518#section-3.6",
};

/// `alg` is `none` in another case: no algorithm at all, unsecured or not.
const CASE_RULE: Rule = Rule {
    requirement: "RFC 7515 4.1.1: \"The \"alg\" value is a case-sensitive ASCII string\", and \
         \"The JWS Signature value is not valid if the \"alg\" value does not represent a \
         supported algorithm\". This spelling is not `none` and names no supported \
         algorithm, so the signature is not valid and RFC 7519 7.2's \"If any of the listed \
         steps fail, then the JWT MUST be rejected\" applies (`rfc`); reading it as `none` \
         would break RFC 7518 3.6 (\"Implementations MUST NOT accept Unsecured JWSs by \
         default\") as well",
    basis: "RFC7515#section-4.1.1",
};

/// `alg` missing, not a string, or empty.
const MEMBER_RULE: Rule = Rule {
    requirement: "RFC 7515 4.1.1: the \"alg\" value \"is a case-sensitive ASCII string\"; \
         \"This Header Parameter MUST be present and MUST be understood and processed by \
         implementations.\" A header whose `alg` is missing, not a string, or empty names no \
         algorithm, so \"The JWS Signature value is not valid if the \"alg\" value does not \
         represent a supported algorithm\" applies and the JWT MUST be rejected (RFC 7519 \
         7.2): `rfc`",
    basis: "RFC7515#section-4.1.1",
};

/// `alg` a look-alike of a registered name.
const LOOKALIKE_RULE: Rule = Rule {
    requirement: "RFC 7515 4.1.1: \"The \"alg\" value is a case-sensitive ASCII string\", and \
         \"The JWS Signature value is not valid if the \"alg\" value does not represent a \
         supported algorithm\". A name spelled with other code points is a different, \
         unsupported algorithm, never one to normalise into a registered name: the signature \
         is not valid and the JWT MUST be rejected (RFC 7519 7.2), `rfc`",
    basis: "RFC7515#section-4.1.1",
};

/// The `alg-none` cases.
pub fn cases(ctx: &Context) -> Vec<Case> {
    let mut out = Vec::new();
    for (name, spelling, rule) in [
        ("none", "none", &NONE_RULE),
        ("capitalised-none", "None", &CASE_RULE),
        ("uppercase-none", "NONE", &CASE_RULE),
        ("mixed-case-none", "nOnE", &CASE_RULE),
    ] {
        for (sig, policy) in [
            (Sig::Empty, Alg::HS256),
            (Sig::Garbage, Alg::HS256),
            (Sig::Trusted, Alg::HS256),
            (Sig::Trusted, Alg::RS256),
        ] {
            out.push(build(
                ctx,
                &Variant {
                    name,
                    alg: Some(json!(spelling)),
                    shown: format!("alg \"{spelling}\""),
                    sig,
                    policy,
                    rule,
                    raw: None,
                },
            ));
        }
    }
    for policy in [Alg::RS256, Alg::ES256, Alg::EdDSA] {
        out.push(build(
            ctx,
            &Variant {
                name: "none",
                alg: Some(json!("none")),
                shown: "alg \"none\"".to_string(),
                sig: Sig::Empty,
                policy,
                rule: &NONE_RULE,
                raw: None,
            },
        ));
    }
    out.extend([
        member(ctx, "alg-missing", None, "no alg member", Sig::Empty),
        member(ctx, "alg-missing", None, "no alg member", Sig::Trusted),
        member(ctx, "alg-null", Some(Value::Null), "alg null", Sig::Empty),
        member(ctx, "alg-null", Some(Value::Null), "alg null", Sig::Trusted),
        member(
            ctx,
            "alg-empty-string",
            Some(json!("")),
            "alg \"\"",
            Sig::Empty,
        ),
        member(
            ctx,
            "alg-number-zero",
            Some(json!(0)),
            "alg 0 (a number)",
            Sig::Empty,
        ),
        member(
            ctx,
            "alg-array-none",
            Some(json!(["none"])),
            "alg [\"none\"]",
            Sig::Empty,
        ),
        member(
            ctx,
            "alg-array-hs256",
            Some(json!(["HS256"])),
            "alg [\"HS256\"]",
            Sig::Trusted,
        ),
    ]);
    out.extend([
        lookalike(
            ctx,
            "cyrillic-o-none",
            "n\u{043e}ne",
            "\"n\u{043e}ne\" (CYRILLIC SMALL LETTER O, U+043E)",
            Sig::Empty,
        ),
        lookalike(
            ctx,
            "fullwidth-none",
            "\u{ff4e}\u{ff4f}\u{ff4e}\u{ff45}",
            "\"\u{ff4e}\u{ff4f}\u{ff4e}\u{ff45}\" (FULLWIDTH LATIN letters; NFKC folds it to none)",
            Sig::Empty,
        ),
        lookalike(
            ctx,
            "none-zero-width-space",
            "none\u{200b}",
            "\"none\u{200b}\" (none and ZERO WIDTH SPACE, U+200B)",
            Sig::Empty,
        ),
        lookalike(
            ctx,
            "cyrillic-dze-hs256",
            "H\u{0405}256",
            "\"H\u{0405}256\" (CYRILLIC CAPITAL LETTER DZE, U+0405, for S)",
            Sig::Trusted,
        ),
        lookalike(
            ctx,
            "fullwidth-hs256",
            "\u{ff28}\u{ff33}\u{ff12}\u{ff15}\u{ff16}",
            "\"\u{ff28}\u{ff33}\u{ff12}\u{ff15}\u{ff16}\" (FULLWIDTH forms; NFKC folds it to HS256)",
            Sig::Trusted,
        ),
    ]);
    for (name, text, shown, sig) in [
        ("escaped-none", r#""\u006eone""#, "\\u006eone", Sig::Empty),
        ("escaped-none", r#""\u006eone""#, "\\u006eone", Sig::Trusted),
        (
            "fully-escaped-none",
            r#""\u006e\u006f\u006e\u0065""#,
            "\\u006e\\u006f\\u006e\\u0065",
            Sig::Empty,
        ),
    ] {
        out.push(build(
            ctx,
            &Variant {
                name,
                alg: Some(json!("none")),
                shown: format!("alg \"{shown}\" (JSON escapes for none)"),
                sig,
                policy: Alg::HS256,
                rule: &ESCAPED_RULE,
                raw: Some(text),
            },
        ));
    }
    out
}

/// An HS256 case whose `alg` member is missing or not a string.
#[track_caller]
fn member(ctx: &Context, name: &str, alg: Option<Value>, shown: &str, sig: Sig) -> Case {
    build(
        ctx,
        &Variant {
            name,
            alg,
            shown: shown.to_string(),
            sig,
            policy: Alg::HS256,
            rule: &MEMBER_RULE,
            raw: None,
        },
    )
}

/// An HS256 case whose `alg` looks like a registered name but is spelt otherwise.
#[track_caller]
fn lookalike(ctx: &Context, name: &str, spelling: &str, shown: &str, sig: Sig) -> Case {
    build(
        ctx,
        &Variant {
            name,
            alg: Some(json!(spelling)),
            shown: format!("alg {shown}"),
            sig,
            policy: Alg::HS256,
            rule: &LOOKALIKE_RULE,
            raw: None,
        },
    )
}

/// The case for one variant; the id names the signature and, off HS256, the policy.
#[track_caller]
fn build(ctx: &Context, v: &Variant) -> Case {
    let key = keys::default_key_name(v.policy);
    let claims = valid_claims(ctx);
    let mut draft = Draft::json(&header_with_alg(v.alg.clone(), key), &claims);
    if let Some(text) = v.raw {
        draft.header = format!(r#"{{"alg":{text},"typ":"JWT","kid":"{key}"}}"#).into_bytes();
    }
    let signature = match v.sig {
        Sig::Empty => Vec::new(),
        Sig::Garbage => GARBAGE.to_vec(),
        Sig::Trusted => draft.signature(v.policy, key),
    };
    let policy_suffix = match (v.sig, v.policy) {
        (_, Alg::HS256) | (Sig::Trusted, _) => String::new(),
        (_, alg) => format!("-under-{}-policy", alg.slug()),
    };
    Case::builder(
        format!(
            "alg-none/{}-{}{policy_suffix}",
            v.name,
            v.sig.slug(v.policy)
        ),
        format!(
            "{} with {} is rejected by a verifier allowing {}",
            v.shown,
            v.sig.describe(v.policy),
            v.policy
        ),
    )
    .severity(v.sig.severity())
    .refs(REFS)
    .sends(format!(
        "a header with {}, kid {key}, valid claims, {}; the verifier trusts {key} for {} only",
        v.shown,
        v.sig.describe(v.policy),
        v.policy
    ))
    .requirement(v.rule.requirement)
    .rfc(v.rule.basis)
    .token(draft.with_signature(&signature))
    .policy(policy_for(ctx, v.policy))
    .expect_reject(RejectKind::Algorithm)
    .needs_algorithms(&[v.policy])
    .control(forge::jwt(v.policy, key, &claims))
    .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forge::check::{
        assert_controls_valid, assert_same_claims_as_control, header_of, verifies_as,
    };

    fn all() -> Vec<Case> {
        cases(&Context::listing())
    }

    #[test]
    fn every_spelling_with_every_signature() {
        let ids: Vec<String> = all().into_iter().map(|c| c.id).collect();
        for name in [
            "none",
            "capitalised-none",
            "uppercase-none",
            "mixed-case-none",
        ] {
            for sig in ["empty", "garbage", "hs256", "rs256"] {
                let id = format!("alg-none/{name}-{sig}-signature");
                assert!(ids.contains(&id), "missing {id}");
            }
        }
        assert!(ids.contains(&"alg-none/none-empty-signature-under-eddsa-policy".to_string()));
    }

    #[test]
    fn tokens_differ_from_their_control_only_in_alg_and_signature() {
        for case in all() {
            let control = case.control_token().expect("every case has a control");
            let mut header = header_of(&case.token);
            let control_header = header_of(control);
            assert_ne!(header.get("alg"), control_header.get("alg"), "{}", case.id);
            header["alg"] = control_header["alg"].clone();
            assert_eq!(header, control_header, "{}", case.id);
        }
        assert_same_claims_as_control(&all());
        assert_controls_valid(&all());
    }

    #[test]
    fn escaped_none_is_written_escaped_and_reads_as_none() {
        for id in [
            "alg-none/escaped-none-empty-signature",
            "alg-none/escaped-none-hs256-signature",
            "alg-none/fully-escaped-none-empty-signature",
        ] {
            let case = all().into_iter().find(|c| c.id == id).expect("case");
            let (header, _) = case.token.split_once('.').unwrap();
            let text = String::from_utf8(crate::b64::decode(header).unwrap()).unwrap();
            assert!(text.contains("\\u006e"), "{id}: {text}");
            assert_eq!(header_of(&case.token)["alg"], json!("none"), "{id}");
        }
    }

    #[test]
    fn only_the_medium_cases_carry_a_real_signature() {
        for case in all() {
            let alg = case.policy.algorithms[0];
            let genuine = verifies_as(&case.token, alg, &case.policy);
            assert_eq!(genuine, case.severity == Severity::Medium, "{}", case.id);
        }
    }
}
