//! The acceptance oracle: what must hold of every token a verifier accepts.
//!
//! Rejections are never judged here (a fuzzer's inputs are mostly garbage, and
//! rejecting garbage is right), so the oracle costs nothing on the common path.

use crate::alg::Alg;
use crate::case::Scoring;
use crate::forge::{self, keys};
use crate::generate::ledger::Ledger;
use crate::generate::mutations::lenient_decode;
use crate::oracles::claims::{claims_set_expectation, Expectation};
use crate::oracles::verified::VerifiedPairs;
use crate::policy::Policy;
use crate::rules::json::difference as claims_difference;
use crate::rules::typ::normalise;
use crate::rules::Choice;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

/// The rule an accepted token broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// No trusted key signed the token's header and payload with an allowed algorithm
    /// (RFC 7515 section 5.2, RFC 8725 section 3.1).
    Forgery,
    /// Signed by a trusted key, but written in a form RFC 7515 section 7.1 rules out:
    /// padding, whitespace, the standard alphabet, extra segments. Lax, not forged.
    Encoding,
    /// The header is not a JSON object (RFC 7515 section 5.2 step 4).
    Header,
    /// `crit` names an extension the verifier cannot be assumed to understand, or is
    /// malformed (RFC 7515 section 4.1.11).
    Critical,
    /// `typ` is not the type the policy requires (RFC 8725 section 3.11).
    Type,
    /// The claims break the policy: time window, issuer, audience, required claims
    /// (RFC 7519 sections 4.1 and 7.2).
    Claims,
    /// The claims handed back are not the signed ones (RFC 7519 section 7.2); the
    /// violation's `why` is what differs, as
    /// [`difference`](crate::rules::json::difference) says it.
    ClaimsReturned,
}

impl Rule {
    /// The rule's name in reports: `forgery`, `claims-returned`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Forgery => "forgery",
            Rule::Encoding => "encoding",
            Rule::Header => "header",
            Rule::Critical => "critical",
            Rule::Type => "type",
            Rule::Claims => "claims",
            Rule::ClaimsReturned => "claims-returned",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One broken rule and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The rule broken.
    pub rule: Rule,
    /// How it was broken.
    pub why: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.rule, self.why)
    }
}

/// When the verifier looked at its clock: an injected instant, or, for a verifier that
/// reads the system clock, some time between two readings taken around the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moment {
    /// The earliest it can have been, in seconds since the epoch.
    pub earliest: i64,
    /// The latest it can have been, in seconds since the epoch.
    pub latest: i64,
}

impl Moment {
    /// An injected instant.
    pub fn at(now: i64) -> Moment {
        Moment {
            earliest: now,
            latest: now,
        }
    }

    /// Somewhere between two clock readings.
    pub fn between(earliest: i64, latest: i64) -> Moment {
        Moment {
            earliest: earliest.min(latest),
            latest: earliest.max(latest),
        }
    }
}

/// Who may have signed an accepted token.
#[derive(Clone, Copy, Debug)]
pub enum Signers<'a> {
    /// Exactly what a scenario legitimately signed.
    Ledger(&'a Ledger),
    /// Any trusted key of the policy, with any algorithm it allows: for tokens the
    /// fuzzer wrote byte by byte, where nothing was signed at run time.
    Policy,
    /// As [`Policy`](Signers::Policy), remembering in the given pairs what verified.
    PolicyRemembering(&'a VerifiedPairs),
}

/// A token's segments as a lenient verifier could have read them.
struct Read<'t> {
    header: Vec<u8>,
    payload: Vec<u8>,
    signature: Vec<u8>,
    /// `BASE64URL(header) '.' BASE64URL(payload)`, canonically encoded.
    input: Cow<'t, str>,
    /// The token is exactly the canonical encoding of those bytes.
    canonical: bool,
}

fn read(token: &str) -> Result<Read<'_>, String> {
    let mut segments = token.split('.');
    let (Some(h), Some(p), Some(sig)) = (segments.next(), segments.next(), segments.next()) else {
        return Err(format!(
            "the token has {} segment(s), so no signature at all",
            token.matches('.').count() + 1
        ));
    };
    let more = segments.next().is_some();
    // A token in strict base64url is canonical as it stands: its first two segments are
    // the signing input, and nothing needs re-encoding.
    if !more {
        if let (Ok(header), Ok(payload), Ok(signature)) = (
            crate::b64::decode(h),
            crate::b64::decode(p),
            crate::b64::decode(sig),
        ) {
            return Ok(Read {
                header,
                payload,
                signature,
                input: Cow::Borrowed(&token[..h.len() + 1 + p.len()]),
                canonical: true,
            });
        }
    }
    let decode = |segment: &str, what: &str| {
        lenient_decode(segment).ok_or_else(|| format!("the {what} segment is not base64url"))
    };
    let header = decode(h, "header")?;
    let payload = decode(p, "payload")?;
    let signature = decode(sig, "signature")?;
    let input = forge::signing_input(&header, &payload);
    let canonical = !more && format!("{input}.{}", crate::b64::encode(&signature)) == token;
    Ok(Read {
        header,
        payload,
        signature,
        input: Cow::Owned(input),
        canonical,
    })
}

/// Whether `payload` is, byte for byte, the compact JSON serde_json writes for `claims`.
/// Its parse is then `claims` again (serde_json's writing round-trips), so the claims
/// are the signed ones without parsing the payload. Any other spelling (spaces, another
/// member order, duplicates) says nothing, and the caller parses.
fn is_written_as(payload: &[u8], claims: &Map<String, Value>) -> bool {
    /// Compares what is written with what is expected, stopping at the first difference.
    struct Matcher<'a> {
        rest: &'a [u8],
    }
    impl std::io::Write for Matcher<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            match self.rest.strip_prefix(buf) {
                Some(rest) => {
                    self.rest = rest;
                    Ok(buf.len())
                }
                None => Err(std::io::ErrorKind::InvalidData.into()),
            }
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut matcher = Matcher { rest: payload };
    serde_json::to_writer(&mut matcher, claims).is_ok() && matcher.rest.is_empty()
}

/// Whether a trusted key signed `read` with an allowed algorithm.
fn signed(policy: &Policy, signers: Signers<'_>, read: &Read<'_>) -> bool {
    let input = read.input.as_bytes();
    match signers {
        // The very signature recorded needs no check; another one (a re-encoded ECDSA
        // signature, say) is verified.
        Signers::Ledger(ledger) => ledger.signed(&read.input).is_some_and(|entries| {
            entries.iter().any(|e| {
                policy.algorithms.contains(&e.alg)
                    && (e.signature == read.signature
                        || forge::verify(e.alg, &keys::public(e.key), input, &read.signature))
            })
        }),
        Signers::Policy => signed_by_policy(policy, read),
        Signers::PolicyRemembering(verified) => {
            verified.contains(&read.input, &read.signature) || {
                let signed = signed_by_policy(policy, read);
                if signed {
                    verified.insert(&read.input, &read.signature);
                }
                signed
            }
        }
    }
}

/// Whether a trusted key of `policy` signed `read` with an algorithm it allows.
fn signed_by_policy(policy: &Policy, read: &Read<'_>) -> bool {
    // The header's alg first: an honest acceptance is then settled by one check.
    let named = header_alg(&read.header);
    let mut algs = named
        .iter()
        .filter(|a| policy.algorithms.contains(a))
        .chain(policy.algorithms.iter().filter(|a| Some(**a) != named));
    algs.any(|alg| {
        policy
            .keys
            .keys
            .iter()
            .any(|key| forge::verify(*alg, key, read.input.as_bytes(), &read.signature))
    })
}

/// The algorithm a header names, when it names one the suite knows.
fn header_alg(header: &[u8]) -> Option<Alg> {
    #[derive(serde::Deserialize)]
    struct Named<'a> {
        #[serde(borrow)]
        alg: Option<&'a str>,
    }
    let named: Named<'_> = serde_json::from_slice(header).ok()?;
    named.alg?.parse().ok()
}

/// The header members the rules read. A member present as `null` is `Some(Null)`.
#[derive(Default, serde::Deserialize)]
struct RuledMembers {
    #[serde(default, deserialize_with = "present")]
    crit: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    b64: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    typ: Option<Value>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// The ruled members of a header that is a JSON object, or `None` for any other header.
fn ruled_members(header: &[u8]) -> Option<RuledMembers> {
    // Reading only these members is quick, but a derived struct would also read a JSON
    // array and refuses a member named twice, so it serves objects where each appears at
    // most once; anything else is parsed whole, where the last of duplicates counts.
    if header.trim_ascii_start().first() == Some(&b'{') {
        if let Ok(members) = serde_json::from_slice::<RuledMembers>(header) {
            return Some(members);
        }
    }
    match serde_json::from_slice::<Value>(header) {
        Ok(Value::Object(mut header)) => Some(RuledMembers {
            crit: header.remove("crit"),
            b64: header.remove("b64"),
            typ: header.remove("typ"),
        }),
        _ => None,
    }
}

fn header_rules(policy: &Policy, header: &RuledMembers, out: &mut Vec<Violation>) {
    if let Some(crit) = &header.crit {
        // RFC 7797's `b64: true` changes nothing, so understanding it is harmless; any
        // other extension is one this oracle cannot assume the verifier implements. The
        // choices RFC 7515 leaves open (an empty or null list, say) are taken leniently:
        // a fuzz finding is a broken rfc rule.
        let only_b64_true =
            *crit == Value::from(vec!["b64"]) && header.b64 == Some(Value::Bool(true));
        let members = Map::from_iter([("crit".to_string(), crit.clone())]);
        if !only_b64_true {
            if let Err(broken) = crate::rules::crit::check(&members, Choice::Lenient) {
                out.push(Violation {
                    rule: Rule::Critical,
                    why: broken.message,
                });
            }
        }
    }
    if let Some(required) = &policy.typ {
        let typ = header.typ.as_ref();
        let matches = typ
            .and_then(Value::as_str)
            .is_some_and(|t| normalise(t) == normalise(required));
        if !matches {
            out.push(Violation {
                rule: Rule::Type,
                why: format!(
                    "typ is {}, the policy requires {required:?}",
                    typ.map_or("absent".to_string(), Value::to_string)
                ),
            });
        }
    }
}

/// Everything wrong with the acceptance of `token` under `policy` at `moment`, given the
/// claims the verifier handed back; empty when the acceptance is sound.
///
/// A forgery is reported alone: nothing else about an unsigned token is meaningful.
/// Claims are judged at both ends of `moment` and are wrong only if wrong at both, so a
/// system clock ticking during the call never makes a false finding.
pub fn check(
    policy: &Policy,
    token: &str,
    returned: &Map<String, Value>,
    moment: Moment,
    signers: Signers<'_>,
) -> Vec<Violation> {
    let read = match read(token) {
        Ok(read) => read,
        Err(why) => {
            return vec![Violation {
                rule: Rule::Forgery,
                why,
            }]
        }
    };
    if !signed(policy, signers, &read) {
        return vec![Violation {
            rule: Rule::Forgery,
            why: "no trusted key signed this header and payload with an allowed algorithm"
                .to_string(),
        }];
    }
    let mut out = Vec::new();
    if !read.canonical {
        out.push(Violation {
            rule: Rule::Encoding,
            why: "signed, but not written as exactly three canonical unpadded base64url segments (RFC 7515 section 7.1)".to_string(),
        });
    }
    match ruled_members(&read.header) {
        Some(header) => header_rules(policy, &header, &mut out),
        None => out.push(Violation {
            rule: Rule::Header,
            why: "the header is not a JSON object".to_string(),
        }),
    }
    // The common case: the verifier handed back exactly the signed claims, which the
    // payload shows by being their compact JSON text. Then nothing needs parsing.
    let returned_as_signed = is_written_as(&read.payload, returned);
    let signed = if returned_as_signed {
        Ok(Cow::Borrowed(returned))
    } else {
        match serde_json::from_slice::<Value>(&read.payload) {
            Ok(Value::Object(claims)) => Ok(Cow::Owned(claims)),
            Ok(_) => Err("the payload is not a JSON object".to_string()),
            Err(e) => Err(format!("the payload is not JSON: {e}")),
        }
    };
    let at = |now| match &signed {
        // A fuzz finding is a broken rfc or bcp rule: hardening is not judged here.
        Ok(claims) => claims_set_expectation(policy, now, claims, Scoring::Default),
        Err(why) => Expectation::Reject(why.clone()),
    };
    // The latest reading only matters when the earliest one rejects.
    let rejected = match at(moment.earliest) {
        Expectation::Reject(why) if moment.latest == moment.earliest => Some(why),
        Expectation::Reject(why) => {
            matches!(at(moment.latest), Expectation::Reject(_)).then_some(why)
        }
        _ => None,
    };
    if let Some(why) = rejected {
        out.push(Violation {
            rule: Rule::Claims,
            why,
        });
    } else if let (Ok(signed), false) = (&signed, returned_as_signed) {
        if let Some(diff) = claims_difference(signed, returned) {
            out.push(Violation {
                rule: Rule::ClaimsReturned,
                why: diff,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alg::Alg;
    use crate::generate::fixed_setups as setups;
    use crate::Clock;
    use serde_json::json;

    const NOW: i64 = 1_700_000_000;

    fn hmac_policy() -> Policy {
        setups::fixed(Clock::Injectable)[0].setup.policy.clone()
    }

    fn claims(token: &str) -> Map<String, Value> {
        let payload = lenient_decode(token.split('.').nth(1).unwrap()).unwrap();
        serde_json::from_slice(&payload).unwrap_or_default()
    }

    fn rules(policy: &Policy, token: &str) -> Vec<Rule> {
        check(
            policy,
            token,
            &claims(token),
            Moment::at(NOW),
            Signers::Policy,
        )
        .into_iter()
        .map(|v| v.rule)
        .collect()
    }

    fn valid() -> Value {
        json!({"iss": setups::ISSUER, "sub": "s", "exp": NOW + 60})
    }

    #[test]
    fn a_sound_acceptance_breaks_nothing() {
        let policy = hmac_policy();
        let token = forge::jwt(Alg::HS256, "oct-a", &valid());
        assert_eq!(rules(&policy, &token), vec![]);
    }

    #[test]
    fn unsigned_untrusted_and_disallowed_are_forgeries() {
        let policy = hmac_policy();
        let token = forge::jwt(Alg::HS256, "oct-a", &valid());
        let (input, _) = token.rsplit_once('.').unwrap();
        for forged in [
            format!("{input}."),
            input.to_string(),
            forge::jwt(Alg::HS256, "oct-short", &valid()),
            forge::jwt(Alg::RS256, "rsa-2048-a", &valid()),
            format!("{input}.{}", crate::b64::encode([0u8; 32])),
        ] {
            assert_eq!(rules(&policy, &forged), vec![Rule::Forgery], "{forged}");
        }
        let mut ledger = Ledger::new();
        let setup = &setups::fixed(Clock::Injectable)[0].setup;
        let signed = ledger.sign(setup, br#"{"alg":"HS256"}"#, b"{}", Alg::HS256, "oct-a");
        let returned = Map::new();
        let judge = |t: &str| {
            check(
                &policy,
                t,
                &returned,
                Moment::at(NOW),
                Signers::Ledger(&ledger),
            )
        };
        assert!(!judge(&signed).iter().any(|v| v.rule == Rule::Forgery));
        // Signed by a trusted key, but not by this scenario: the ledger does not vouch.
        assert_eq!(judge(&token)[0].rule, Rule::Forgery);
        // The signed input with any other signature is checked, not waved through.
        let (signed_input, _) = signed.rsplit_once('.').unwrap();
        let tampered = format!("{signed_input}.{}", crate::b64::encode([7u8; 32]));
        assert_eq!(judge(&tampered)[0].rule, Rule::Forgery);
    }

    #[test]
    fn remembered_signatures_are_the_verified_ones_only() {
        let policy = hmac_policy();
        let verified = VerifiedPairs::new();
        let judge = |t: &str| {
            check(
                &policy,
                t,
                &claims(t),
                Moment::at(NOW),
                Signers::PolicyRemembering(&verified),
            )
        };
        let token = forge::jwt(Alg::HS256, "oct-a", &valid());
        let forged = forge::jwt(Alg::HS256, "oct-short", &valid());
        for _ in 0..2 {
            assert_eq!(judge(&token), vec![]);
            assert_eq!(judge(&forged)[0].rule, Rule::Forgery);
        }
        assert_eq!(verified.len(), 1, "only the signed token is remembered");
        let (input, _) = token.rsplit_once('.').unwrap();
        let tampered = format!("{input}.{}", crate::b64::encode([7u8; 32]));
        assert_eq!(judge(&tampered)[0].rule, Rule::Forgery);
    }

    #[test]
    fn lax_encodings_of_signed_tokens_are_not_forgeries() {
        let policy = hmac_policy();
        let token = forge::jwt(Alg::HS256, "oct-a", &valid());
        for lax in [
            format!("{token}=="),
            format!("{token}.extra"),
            format!(" {token}"),
        ] {
            assert_eq!(rules(&policy, &lax), vec![Rule::Encoding], "{lax}");
        }
    }

    #[test]
    fn claims_headers_and_returned_claims_are_judged() {
        let policy = hmac_policy();
        let expired = forge::jwt(
            Alg::HS256,
            "oct-a",
            &json!({"iss": setups::ISSUER, "exp": NOW}),
        );
        assert_eq!(rules(&policy, &expired), vec![Rule::Claims]);
        // One second of system-clock uncertainty: expired only at the later reading.
        let edge = check(
            &policy,
            &expired,
            &claims(&expired),
            Moment::between(NOW - 1, NOW),
            Signers::Policy,
        );
        assert_eq!(edge, vec![]);
        let crit = forge::sign_json(
            &json!({"alg": "HS256", "kid": "oct-a", "crit": ["exp"], "exp": 1}),
            &valid(),
            Alg::HS256,
            keys::private("oct-a"),
        )
        .unwrap();
        assert_eq!(rules(&policy, &crit), vec![Rule::Critical]);
        let b64 = forge::sign_json(
            &json!({"alg": "HS256", "kid": "oct-a", "crit": ["b64"], "b64": true}),
            &valid(),
            Alg::HS256,
            keys::private("oct-a"),
        )
        .unwrap();
        assert_eq!(rules(&policy, &b64), vec![]);
        // RFC 7515 leaves a null or empty crit to the recipient.
        for crit in [json!(null), json!([])] {
            let token = forge::sign_json(
                &json!({"alg": "HS256", "kid": "oct-a", "crit": crit}),
                &valid(),
                Alg::HS256,
                keys::private("oct-a"),
            )
            .unwrap();
            assert_eq!(rules(&policy, &token), vec![], "{crit}");
        }
        let not_names = forge::sign_json(
            &json!({"alg": "HS256", "kid": "oct-a", "crit": "exp"}),
            &valid(),
            Alg::HS256,
            keys::private("oct-a"),
        )
        .unwrap();
        assert_eq!(rules(&policy, &not_names), vec![Rule::Critical]);
        let mut typed = policy.clone();
        typed.typ = Some("at+jwt".to_string());
        let token = forge::jwt(Alg::HS256, "oct-a", &valid());
        assert_eq!(rules(&typed, &token), vec![Rule::Type]);
        let at_jwt = forge::sign_json(
            &json!({"alg": "HS256", "typ": "application/AT+JWT"}),
            &valid(),
            Alg::HS256,
            keys::private("oct-a"),
        )
        .unwrap();
        assert_eq!(rules(&typed, &at_jwt), vec![]);
        let mut changed = claims(&token);
        changed.insert("sub".into(), json!("administrator"));
        let got = check(&policy, &token, &changed, Moment::at(NOW), Signers::Policy);
        assert_eq!(got[0].rule, Rule::ClaimsReturned, "{got:?}");
    }

    #[test]
    fn ruled_members_are_read_from_objects_only_and_the_last_duplicate_counts() {
        let members = |h: &str| ruled_members(h.as_bytes());
        let m = members(r#" {"alg":"HS256","crit":null,"typ":"JWT","x":[1]}"#).unwrap();
        assert_eq!(
            (m.crit, m.b64, m.typ),
            (Some(Value::Null), None, Some(json!("JWT")))
        );
        let m = members(r#"{"crit":["a"],"b64":false,"crit":["b64"],"b64":true}"#).unwrap();
        assert_eq!((m.crit, m.b64), (Some(json!(["b64"])), Some(json!(true))));
        for not_an_object in ["[null,null,null]", "null", "", "{", r#"{"crit":1} x"#] {
            assert!(members(not_an_object).is_none(), "{not_an_object}");
        }
    }

    #[test]
    fn returned_claims_written_as_the_payload_are_the_signed_ones() {
        let claims = json!({"iss": "i", "exp": 1, "aud": ["a", "b"], "x": {"y": 1.5}});
        let Value::Object(map) = claims.clone() else {
            unreachable!()
        };
        assert!(is_written_as(claims.to_string().as_bytes(), &map));
        // Same claims, other spellings: undecided, so parsed and compared.
        for other in [
            r#"{"iss": "i","exp":1,"aud":["a","b"],"x":{"y":1.5}}"#,
            r#"{"exp":1,"iss":"i","aud":["a","b"],"x":{"y":1.5}}"#,
            r#"{"iss":"i","iss":"i","exp":1,"aud":["a","b"],"x":{"y":1.5}}"#,
            r#"{"iss":"i","exp":1,"aud":["a","b"],"x":{"y":1.5}} "#,
            r#"{"iss":"i","exp":1,"aud":["a","b"],"x":{"y":1.5}"#,
            "",
        ] {
            assert!(!is_written_as(other.as_bytes(), &map), "{other}");
        }
    }

    #[test]
    fn the_claims_judged_are_the_signed_ones_however_they_are_written() {
        let policy = hmac_policy();
        let expired = json!({"iss": setups::ISSUER, "exp": NOW});
        // Written another way than serde_json writes it, and with a duplicate member:
        // the last exp is the one that counts (RFC 8259 section 4, ECMAScript's rule).
        for payload in [
            format!(r#"{{ "iss": "{}", "exp": {NOW} }}"#, setups::ISSUER),
            format!(
                r#"{{"exp":{},"iss":"{}","exp":{NOW}}}"#,
                NOW + 60,
                setups::ISSUER
            ),
        ] {
            let token = forge::sign_bytes(
                br#"{"alg":"HS256","kid":"oct-a"}"#,
                payload.as_bytes(),
                Alg::HS256,
                keys::private("oct-a"),
            )
            .unwrap();
            let Value::Object(returned) = expired.clone() else {
                unreachable!()
            };
            let got = check(&policy, &token, &returned, Moment::at(NOW), Signers::Policy);
            assert_eq!(got.len(), 1, "{payload}: {got:?}");
            assert_eq!(got[0].rule, Rule::Claims, "{payload}: {got:?}");
        }
    }
}
