//! The acceptance oracle: what must hold of every token a verifier accepts.
//!
//! Rejections are never judged here (a fuzzer's inputs are mostly garbage, and
//! rejecting garbage is right), so the oracle costs nothing on the common path.

use crate::alg::Alg;
use crate::forge::{self, keys};
use crate::policy::Policy;
use crate::properties::ledger::Ledger;
use crate::properties::mutations::lenient_decode;
use crate::properties::oracles::{claims_difference, claims_set_expectation, Expectation};
use serde_json::{Map, Value};
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
    /// [`claims_difference`](crate::properties::oracles::claims_difference) says it.
    ClaimsReturned,
}

impl Rule {
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
    pub rule: Rule,
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
    pub earliest: i64,
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
}

/// A token's segments as a lenient verifier could have read them.
struct Read {
    header: Vec<u8>,
    payload: Vec<u8>,
    signature: Vec<u8>,
    /// `BASE64URL(header) '.' BASE64URL(payload)`, canonically encoded.
    input: String,
    /// The token is exactly the canonical encoding of those bytes.
    canonical: bool,
}

fn read(token: &str) -> Result<Read, String> {
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() < 3 {
        return Err(format!(
            "the token has {} segment(s), so no signature at all",
            parts.len()
        ));
    }
    // A token in strict base64url is canonical as it stands: its first two segments are
    // the signing input, and nothing needs re-encoding.
    if let [h, p, sig] = parts[..] {
        if let (Ok(header), Ok(payload), Ok(signature)) = (
            crate::b64::decode(h),
            crate::b64::decode(p),
            crate::b64::decode(sig),
        ) {
            return Ok(Read {
                header,
                payload,
                signature,
                input: token[..h.len() + 1 + p.len()].to_string(),
                canonical: true,
            });
        }
    }
    let decode = |i: usize, what: &str| {
        lenient_decode(parts[i]).ok_or_else(|| format!("the {what} segment is not base64url"))
    };
    let header = decode(0, "header")?;
    let payload = decode(1, "payload")?;
    let signature = decode(2, "signature")?;
    let input = forge::signing_input(&header, &payload);
    let canonical =
        parts.len() == 3 && format!("{input}.{}", crate::b64::encode(&signature)) == token;
    Ok(Read {
        header,
        payload,
        signature,
        input,
        canonical,
    })
}

/// Whether a trusted key signed `read` with an allowed algorithm.
fn signed(policy: &Policy, signers: Signers<'_>, read: &Read) -> bool {
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
        // The header's alg first: an honest acceptance is then settled by one check.
        Signers::Policy => {
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
                    .any(|key| forge::verify(*alg, key, input, &read.signature))
            })
        }
    }
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

/// RFC 7515 section 4.1.9: media types compare case-insensitively, with `application/`
/// implied when there is no `/`.
fn media_type(value: &str) -> String {
    let lower = value.to_ascii_lowercase();
    if lower.contains('/') {
        lower
    } else {
        format!("application/{lower}")
    }
}

fn header_rules(policy: &Policy, header: &Map<String, Value>, out: &mut Vec<Violation>) {
    if let Some(crit) = header.get("crit") {
        // RFC 7797's `b64: true` changes nothing, so understanding it is harmless; any
        // other extension is one this oracle cannot assume the verifier implements.
        let only_b64_true =
            *crit == Value::from(vec!["b64"]) && header.get("b64") == Some(&Value::Bool(true));
        if !only_b64_true {
            out.push(Violation {
                rule: Rule::Critical,
                why: format!("crit is {crit}: a critical extension the verifier cannot be assumed to understand, or a malformed crit"),
            });
        }
    }
    if let Some(required) = &policy.typ {
        let typ = header.get("typ");
        let matches = typ
            .and_then(Value::as_str)
            .is_some_and(|t| media_type(t) == media_type(required));
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
    match serde_json::from_slice::<Value>(&read.header) {
        Ok(Value::Object(header)) => header_rules(policy, &header, &mut out),
        _ => out.push(Violation {
            rule: Rule::Header,
            why: "the header is not a JSON object".to_string(),
        }),
    }
    let signed = match serde_json::from_slice::<Value>(&read.payload) {
        Ok(Value::Object(claims)) => Ok(claims),
        Ok(_) => Err("the payload is not a JSON object".to_string()),
        Err(e) => Err(format!("the payload is not JSON: {e}")),
    };
    let at = |now| match &signed {
        Ok(claims) => claims_set_expectation(policy, now, claims),
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
    } else if let Ok(signed) = &signed {
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
    use crate::fuzzing::setups;
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
}
