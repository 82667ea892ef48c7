//! Fuzzer bytes to a legitimately signed token, edited before signing and attacked after.
//!
//! ## Input format
//! `TOKEN [NUL KNOBS]`: everything before the first NUL byte is a token whose decoded
//! header and payload are the content to sign (any compact token will do, so the seed
//! corpus is simply the catalogue's tokens); the bytes after it drive [`Knobs`] through
//! `arbitrary`. Without a NUL there are no knobs: the content is signed as it is by
//! the first trusted signer of the first fixed setup.
//!
//! ## What is built
//! 1. The content: the token's header and payload when they decode (a header that is
//!    not a JSON object, or a payload that does not decode, is replaced by the
//!    defaults of [`default_claims`]).
//! 2. [`Edit`]s: claims placed around the token's `now`, issuer and audience near
//!    misses, arbitrary JSON in any member, critical extensions, payload shapes. The
//!    header's `alg` and `kid` are always the signer's: a legitimate issuer never
//!    writes another.
//! 3. The signature, by a trusted signer, through the [`Ledger`] that records it.
//! 4. Up to four [`Mutation`]s (the property operators), resolved against the setup so
//!    that re-signing uses untrusted keys: everything after signing is an attack.

use crate::adapter::Clock;
use crate::generate::claims::Variation;
use crate::generate::fixed_setups::FixedSetup;
use crate::generate::json::REGISTERED;
use crate::generate::ledger::Ledger;
use crate::generate::mutations::{lenient_decode, JsonPart, Mutation};
use crate::generate::{resolve, Setup, Signer};
use arbitrary::{Arbitrary, Unstructured};
use serde_json::{json, Map, Value};
use std::fmt::Write;

/// At most this many edits and mutations are applied: enough to combine attacks, few
/// enough that every input stays cheap.
pub const MAX_EDITS: usize = 8;
/// At most this many mutations are applied.
pub const MAX_MUTATIONS: usize = 4;

/// With a system clock, time claims stay this many seconds (beyond the leeway) away
/// from a validity boundary, so that the clock ticking between signing and verifying
/// never turns a valid token into an expired one.
pub const SYSTEM_CLOCK_MARGIN: i64 = 2;

/// Everything the fuzzer chooses besides the content.
#[derive(Arbitrary, Clone, Debug, Default, PartialEq)]
pub struct Knobs {
    /// The fixed setup, modulo their number.
    pub setup: u8,
    /// The signer among the setup's trusted ones, modulo their number.
    pub signer: u8,
    /// Changes to the content before it is signed.
    pub edits: Vec<Edit>,
    /// Changes to the token after it is signed.
    pub mutations: Vec<Mutation>,
}

/// A JSON value, for members the fuzzer fills.
#[derive(Arbitrary, Clone, Debug, PartialEq)]
pub enum FuzzJson {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A signed integer.
    Int(i64),
    /// An unsigned integer.
    UInt(u64),
    /// Non-finite values become `null`: JSON has no NaN or infinity.
    Float(f64),
    /// A string.
    Str(String),
    /// An array.
    Array(Vec<FuzzJson>),
    /// An object, members in order.
    Object(Vec<(String, FuzzJson)>),
}

impl FuzzJson {
    /// The value as serde_json holds it.
    pub fn to_value(&self) -> Value {
        match self {
            FuzzJson::Null => Value::Null,
            FuzzJson::Bool(b) => Value::Bool(*b),
            FuzzJson::Int(n) => Value::from(*n),
            FuzzJson::UInt(n) => Value::from(*n),
            FuzzJson::Float(f) => Value::from(*f),
            FuzzJson::Str(s) => Value::from(s.as_str()),
            FuzzJson::Array(items) => Value::Array(items.iter().map(FuzzJson::to_value).collect()),
            FuzzJson::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_value()))
                    .collect(),
            ),
        }
    }
}

/// The NumericDate claims.
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeClaim {
    /// `exp`.
    Exp,
    /// `nbf`.
    Nbf,
    /// `iat`.
    Iat,
}

impl TimeClaim {
    fn name(self) -> &'static str {
        match self {
            TimeClaim::Exp => "exp",
            TimeClaim::Nbf => "nbf",
            TimeClaim::Iat => "iat",
        }
    }
}

/// Near misses of an expected string, by position in [`VARIATIONS`] (modulo).
const VARIATIONS: [Variation; 9] = [
    Variation::Uppercase,
    Variation::Lowercase,
    Variation::LeadingSpace,
    Variation::TrailingSpace,
    Variation::TrailingSlash,
    Variation::Truncated,
    Variation::ZeroWidth,
    Variation::Fullwidth,
    Variation::InArray,
];

/// A value for `iss` or one entry of `aud`, relative to what the policy expects.
#[derive(Arbitrary, Clone, Debug, PartialEq)]
pub enum Principal {
    /// The expected value (the `n`th accepted audience, modulo).
    Expected(u8),
    /// The expected value changed slightly (variation, audience index).
    NearMiss(u8, u8),
    /// Any JSON.
    Json(FuzzJson),
}

/// Header members a legitimate issuer may write; never `alg`, which is the signer's.
#[derive(Arbitrary, Clone, Debug, PartialEq)]
pub enum HeaderName {
    /// `typ`.
    Typ,
    /// `cty`.
    Cty,
    /// `kid`.
    Kid,
    /// `crit`.
    Crit,
    /// `b64`.
    B64,
    /// `jku`.
    Jku,
    /// `jwk`.
    Jwk,
    /// `x5u`.
    X5u,
    /// `x5c`.
    X5c,
    /// `x5t`.
    X5t,
    /// `zip`.
    Zip,
    /// `enc`.
    Enc,
    /// Any other name; `alg` is written `x-alg`.
    Other(String),
}

impl HeaderName {
    fn name(&self) -> &str {
        match self {
            HeaderName::Typ => "typ",
            HeaderName::Cty => "cty",
            HeaderName::Kid => "kid",
            HeaderName::Crit => "crit",
            HeaderName::B64 => "b64",
            HeaderName::Jku => "jku",
            HeaderName::Jwk => "jwk",
            HeaderName::X5u => "x5u",
            HeaderName::X5c => "x5c",
            HeaderName::X5t => "x5t",
            HeaderName::Zip => "zip",
            HeaderName::Enc => "enc",
            // `alg` is the signer's to write.
            HeaderName::Other(name) if name == "alg" => "x-alg",
            HeaderName::Other(name) => name,
        }
    }
}

/// Shapes a payload may take other than an object.
#[derive(Arbitrary, Clone, Debug, PartialEq, Eq)]
pub enum PayloadShape {
    /// The members' values in order, as an array: what a positional struct parser
    /// (serde's derive accepts arrays for structs) reads as the same claims.
    Values,
    /// The values of the registered claims named by position in the registered names
    /// (modulo), `null` where absent, as an array: a positional parser's view of
    /// claims in any order it might expect.
    Positional(Vec<u8>),
    /// The object inside an array.
    Wrapped,
    /// The object's JSON text as a JSON string.
    Text,
}

/// One change to the content before it is signed.
#[derive(Arbitrary, Clone, Debug, PartialEq)]
pub enum Edit {
    /// A NumericDate at `now + offset` seconds.
    Time {
        /// Which claim.
        claim: TimeClaim,
        /// Seconds from now; negative is in the past.
        offset: i32,
    },
    /// A NumericDate claim set to any JSON.
    TimeJson {
        /// Which claim.
        claim: TimeClaim,
        /// Its value.
        value: FuzzJson,
    },
    /// `iss`, relative to the expected issuer.
    Issuer(Principal),
    /// `aud` as one value, or an array of them.
    Audience(Vec<Principal>),
    /// A registered claim (by position in the registered names, modulo) set to any JSON.
    Registered {
        /// The claim's position in the registered names, modulo.
        index: u8,
        /// Its value.
        value: FuzzJson,
    },
    /// A claim of any name.
    Claim {
        /// The claim's name.
        name: String,
        /// Its value.
        value: FuzzJson,
    },
    /// Removes a member (by position, modulo) of the header or payload; never `alg`.
    Remove {
        /// The header or the payload.
        part: JsonPart,
        /// The member's position, modulo.
        index: u8,
    },
    /// A header member set to any JSON.
    Header {
        /// The member's name.
        name: HeaderName,
        /// Its value.
        value: FuzzJson,
    },
    /// `crit` listing these header names, each also set in the header when `present`.
    Crit {
        /// The names `crit` lists.
        names: Vec<HeaderName>,
        /// Whether each is also set in the header.
        present: bool,
    },
    /// The payload in another shape than an object.
    Shape(PayloadShape),
}

/// A token built from fuzzer bytes, and what was legitimately signed on the way.
#[derive(Clone, Debug)]
pub struct FuzzedToken<'s> {
    /// The position of the fixed setup in the list given to [`build`].
    pub index: usize,
    /// The fixed setup.
    pub setup: &'s Setup,
    /// The name of the fixed setup.
    pub setup_name: &'static str,
    /// The time the claims were placed around.
    pub now: i64,
    /// The compact token.
    pub token: String,
    /// What was legitimately signed on the way.
    pub ledger: Ledger,
    /// How the token was made, for findings.
    pub made: String,
}

/// Splits fuzzer bytes into the content token and the knobs (see the module docs).
pub fn split(data: &[u8]) -> (String, Knobs) {
    let (token, knobs) = match data.iter().position(|b| *b == 0) {
        Some(nul) => (&data[..nul], &data[nul + 1..]),
        None => (data, &[][..]),
    };
    let knobs = Knobs::arbitrary(&mut Unstructured::new(knobs)).unwrap_or_default();
    (String::from_utf8_lossy(token).into_owned(), knobs)
}

/// An ordinary claim set valid under `setup` at `now`: the required claims present,
/// the expected issuer and audience.
pub fn default_claims(setup: &Setup, now: i64) -> Map<String, Value> {
    let policy = &setup.policy;
    let mut claims = Map::new();
    if let Some(iss) = &policy.issuer {
        claims.insert("iss".into(), json!(iss));
    }
    claims.insert("sub".into(), json!("fuzz-subject"));
    if let Some(aud) = policy.audience.first() {
        claims.insert("aud".into(), json!(aud));
    }
    claims.insert("iat".into(), json!(now));
    claims.insert("exp".into(), json!(now + 3600));
    if policy.required_claims.iter().any(|c| c == "nbf") {
        claims.insert("nbf".into(), json!(now - 60));
    }
    claims
}

/// `now + offset` for a time claim, moved out of the boundary band for a system clock.
fn place(setup: &Setup, now: i64, claim: TimeClaim, offset: i32) -> i64 {
    let offset = i64::from(offset);
    if setup.clock == Clock::Injectable {
        return now.saturating_add(offset);
    }
    let leeway = setup.policy.leeway as i64;
    // exp is valid iff exp > now - leeway; nbf iff nbf <= now + leeway.
    let boundary = match claim {
        TimeClaim::Exp => -leeway,
        TimeClaim::Nbf => leeway,
        TimeClaim::Iat => return now.saturating_add(offset),
    };
    let distance = offset - boundary;
    let pushed = if distance.abs() > SYSTEM_CLOCK_MARGIN {
        offset
    } else if distance > 0 {
        boundary + SYSTEM_CLOCK_MARGIN + 1
    } else {
        boundary - SYSTEM_CLOCK_MARGIN - 1
    };
    now.saturating_add(pushed)
}

fn principal(p: &Principal, expected: &[String]) -> Value {
    let pick = |i: u8| -> Option<&String> {
        (!expected.is_empty()).then(|| &expected[i as usize % expected.len()])
    };
    match p {
        Principal::Expected(i) => {
            pick(*i).map_or(json!("https://unexpected.example"), |s| json!(s))
        }
        Principal::NearMiss(v, i) => {
            let base = pick(*i).map_or("https://unexpected.example", String::as_str);
            let variation = VARIATIONS[*v as usize % VARIATIONS.len()];
            serde_json::from_str(&variation.apply(base).render(Default::default()))
                .unwrap_or(Value::Null)
        }
        Principal::Json(j) => j.to_value(),
    }
}

fn decode_object(segment: Option<&str>) -> Option<(Vec<u8>, Map<String, Value>)> {
    let bytes = lenient_decode(segment?)?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Some((bytes, map)),
        _ => None,
    }
}

/// Removes the `index`th member (modulo), never `alg`.
fn remove_nth(map: &mut Map<String, Value>, index: u8) {
    let names: Vec<String> = map.keys().filter(|k| *k != "alg").cloned().collect();
    if !names.is_empty() {
        map.shift_remove(&names[index as usize % names.len()]);
    }
}

struct Content {
    /// Exact header bytes to sign, when the content's own can be kept.
    header_bytes: Option<Vec<u8>>,
    header: Map<String, Value>,
    header_edited: bool,
    payload_bytes: Vec<u8>,
    /// The parsed payload once an edit touched it.
    payload: Option<Value>,
    /// The payload's final shape, when not an object.
    shape: Option<PayloadShape>,
}

impl Content {
    fn payload_object(&mut self, setup: &Setup, now: i64) -> &mut Map<String, Value> {
        if !matches!(self.payload, Some(Value::Object(_))) {
            let parsed = serde_json::from_slice::<Value>(&self.payload_bytes).ok();
            self.payload = Some(match parsed {
                Some(Value::Object(map)) => Value::Object(map),
                _ => Value::Object(default_claims(setup, now)),
            });
        }
        match &mut self.payload {
            Some(Value::Object(map)) => map,
            _ => unreachable!("the payload was just made an object"),
        }
    }
}

fn apply(edit: &Edit, content: &mut Content, setup: &Setup, now: i64) {
    let policy = &setup.policy;
    match edit {
        Edit::Time { claim, offset } => {
            let at = place(setup, now, *claim, *offset);
            content
                .payload_object(setup, now)
                .insert(claim.name().into(), json!(at));
        }
        Edit::TimeJson { claim, value } => {
            content
                .payload_object(setup, now)
                .insert(claim.name().into(), value.to_value());
        }
        Edit::Issuer(p) => {
            let expected: Vec<String> = policy.issuer.iter().cloned().collect();
            let value = principal(p, &expected);
            content
                .payload_object(setup, now)
                .insert("iss".into(), value);
        }
        Edit::Audience(items) => {
            let values: Vec<Value> = items
                .iter()
                .map(|p| principal(p, &policy.audience))
                .collect();
            let value = match <[Value; 1]>::try_from(values) {
                Ok([one]) => one,
                Err(many) => Value::Array(many),
            };
            content
                .payload_object(setup, now)
                .insert("aud".into(), value);
        }
        Edit::Registered { index, value } => {
            let name = REGISTERED[*index as usize % REGISTERED.len()];
            content
                .payload_object(setup, now)
                .insert(name.into(), value.to_value());
        }
        Edit::Claim { name, value } => {
            content
                .payload_object(setup, now)
                .insert(name.clone(), value.to_value());
        }
        Edit::Remove { part, index } => match part {
            JsonPart::Header => {
                remove_nth(&mut content.header, *index);
                content.header_edited = true;
            }
            JsonPart::Payload => remove_nth(content.payload_object(setup, now), *index),
        },
        Edit::Header { name, value } => {
            content
                .header
                .insert(name.name().to_string(), value.to_value());
            content.header_edited = true;
        }
        Edit::Crit { names, present } => {
            let names: Vec<&str> = names.iter().map(HeaderName::name).collect();
            if *present {
                for name in &names {
                    content
                        .header
                        .entry(name.to_string())
                        .or_insert(json!(true));
                }
            }
            content.header.insert("crit".into(), json!(names));
            content.header_edited = true;
        }
        Edit::Shape(shape) => {
            // Reshaped once every other edit is in, whatever the order.
            content.payload_object(setup, now);
            content.shape = Some(shape.clone());
        }
    }
}

fn reshape(members: &Map<String, Value>, shape: &PayloadShape) -> Value {
    match shape {
        PayloadShape::Values => Value::Array(members.values().cloned().collect()),
        PayloadShape::Positional(names) => Value::Array(
            names
                .iter()
                .map(|i| {
                    let name = REGISTERED[*i as usize % REGISTERED.len()];
                    members.get(name).cloned().unwrap_or(Value::Null)
                })
                .collect(),
        ),
        PayloadShape::Wrapped => Value::Array(vec![Value::Object(members.clone())]),
        PayloadShape::Text => Value::String(Value::Object(members.clone()).to_string()),
    }
}

/// The header bytes for `signer`: the content's own when nothing changed them and they
/// already name the signer's `alg` and `kid`, else the edited header with those set.
fn signed_header(content: &mut Content, signer: &Signer) -> Vec<u8> {
    let wanted_kid = signer.kid.as_deref().map(Value::from);
    let matches = content.header.get("alg") == Some(&Value::from(signer.alg.as_str()))
        && content.header.get("kid") == wanted_kid.as_ref();
    if let (Some(bytes), false, true) = (&content.header_bytes, content.header_edited, matches) {
        return bytes.clone();
    }
    content
        .header
        .insert("alg".into(), Value::from(signer.alg.as_str()));
    match wanted_kid {
        Some(kid) => content.header.insert("kid".into(), kid),
        None => content.header.shift_remove("kid"),
    };
    Value::Object(content.header.clone())
        .to_string()
        .into_bytes()
}

/// Builds the fuzzed token for `data` (see the module docs) over `setups`. `now` is the
/// time claims are placed around: [`CORPUS_NOW`](super::fixed_setups::CORPUS_NOW) for injectable
/// clocks, the current time otherwise.
pub fn build<'s>(setups: &'s [FixedSetup], data: &[u8], now: i64) -> FuzzedToken<'s> {
    let (text, knobs) = split(data);
    build_from(setups, &text, &knobs, now)
}

/// [`build`] from the content token and the knobs already split.
pub fn build_from<'s>(
    setups: &'s [FixedSetup],
    text: &str,
    knobs: &Knobs,
    now: i64,
) -> FuzzedToken<'s> {
    let index = knobs.setup as usize % setups.len();
    let fixed = &setups[index];
    let setup = &fixed.setup;
    let signer = setup.signer(knobs.signer as usize).clone();
    let mut parts = text.split('.');
    let (header_bytes, header) = match decode_object(parts.next()) {
        Some((bytes, map)) => (Some(bytes), map),
        None => (None, Map::new()),
    };
    let payload_bytes = parts.next().and_then(lenient_decode).unwrap_or_else(|| {
        Value::Object(default_claims(setup, now))
            .to_string()
            .into_bytes()
    });
    let mut content = Content {
        header_edited: header_bytes.is_none(),
        header_bytes,
        header,
        payload_bytes,
        payload: None,
        shape: None,
    };
    if content.header_edited {
        content.header.insert("typ".into(), json!("JWT"));
    }
    let edits: Vec<&Edit> = knobs.edits.iter().take(MAX_EDITS).collect();
    for edit in &edits {
        apply(edit, &mut content, setup, now);
    }
    let header = signed_header(&mut content, &signer);
    let payload = match (&content.payload, &content.shape) {
        (Some(Value::Object(members)), Some(shape)) => {
            reshape(members, shape).to_string().into_bytes()
        }
        (Some(value), _) => value.to_string().into_bytes(),
        (None, _) => content.payload_bytes.clone(),
    };
    let mut ledger = Ledger::new();
    let signed = ledger.sign(setup, &header, &payload, signer.alg, signer.key);
    let mutations: Vec<&Mutation> = knobs.mutations.iter().take(MAX_MUTATIONS).collect();
    let donor = if mutations
        .iter()
        .any(|m| matches!(m, Mutation::Splice { .. }))
    {
        let other = setup.signer(knobs.signer as usize + 1).clone();
        let claims = Value::Object(default_claims(setup, now)).to_string();
        let header = json!({"alg": other.alg.as_str(), "kid": other.kid}).to_string();
        ledger.sign(
            setup,
            header.as_bytes(),
            claims.as_bytes(),
            other.alg,
            other.key,
        )
    } else {
        String::new()
    };
    let mut token = signed;
    let mut made = format!(
        "setup {} ({}), signed by {} with {}",
        fixed.name,
        clock_label(setup.clock),
        signer.key,
        signer.alg
    );
    if !edits.is_empty() {
        let _ = write!(made, "; edits before signing: {edits:?}");
    }
    for m in mutations {
        let m = resolve(m.clone(), setup, &donor);
        token = m.apply(&token);
        let _ = write!(made, "; then {m}");
    }
    FuzzedToken {
        index,
        setup,
        setup_name: fixed.name,
        now,
        token,
        ledger,
        made,
    }
}

fn clock_label(clock: Clock) -> &'static str {
    match clock {
        Clock::Injectable => "injected clock",
        Clock::System => "system clock",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alg::Alg;
    use crate::forge::{self, keys};
    use crate::generate::fixed_setups::{self as setups, CORPUS_NOW};
    use crate::generate::mutations::{NoneSignature, NoneSpelling};

    fn claims_of(token: &str) -> Value {
        let p = lenient_decode(token.split('.').nth(1).unwrap()).unwrap();
        serde_json::from_slice(&p).unwrap()
    }

    #[test]
    fn a_token_without_knobs_is_re_signed_as_it_is() {
        let setups = setups::fixed(Clock::Injectable);
        let claims = json!({"iss": setups::ISSUER, "exp": CORPUS_NOW + 60, "dup": 1});
        let original = forge::jwt(Alg::RS256, "rsa-2048-b", &claims);
        let s = build(&setups, original.as_bytes(), CORPUS_NOW);
        assert_eq!(s.setup_name, "hmac");
        assert_eq!(claims_of(&s.token), claims);
        assert!(s.ledger.vouches_for(&s.token));
        let header: Value =
            serde_json::from_slice(&lenient_decode(s.token.split('.').next().unwrap()).unwrap())
                .unwrap();
        assert_eq!(header["alg"], "HS256");
        assert_eq!(header["kid"], "oct-a");
        // The exact payload bytes are kept, duplicates and all.
        let dup = forge::sign_bytes(
            br#"{"alg":"HS256","kid":"oct-a"}"#,
            br#"{"exp":1,"exp":2}"#,
            Alg::HS256,
            keys::private("oct-a"),
        )
        .unwrap();
        let s = build(&setups, dup.as_bytes(), CORPUS_NOW);
        assert_eq!(s.token, dup, "same bytes, same signer, same token");
    }

    #[test]
    fn garbage_gets_default_content_and_never_panics() {
        let setups = setups::fixed(Clock::System);
        for data in [
            &b""[..],
            b"\0",
            b"x.y.z\0\xff\xff\xff",
            b"..\0\x01\x02\x03\x04\x05\x06\x07",
        ] {
            let s = build(&setups, data, 1_800_000_000);
            assert!(!s.token.is_empty());
        }
        let mut state = 0x1234_5678_u32;
        for _ in 0..300 {
            let bytes: Vec<u8> = (0..64)
                .map(|_| {
                    state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    (state >> 16) as u8
                })
                .collect();
            let mut data = b"e30.e30.\0".to_vec();
            data.extend(bytes);
            let _ = build(&setups, &data, 1_800_000_000);
        }
    }

    #[test]
    fn edits_apply_before_signing_and_mutations_after() {
        let setups = setups::fixed(Clock::Injectable);
        let knobs = Knobs {
            setup: 0,
            signer: 0,
            edits: vec![
                Edit::Shape(PayloadShape::Values),
                Edit::Time {
                    claim: TimeClaim::Exp,
                    offset: -10,
                },
            ],
            mutations: vec![],
        };
        let scenario = build_with(&setups, "", &knobs);
        let values = claims_of(&scenario.token);
        assert!(values.is_array(), "{values}");
        assert!(values.as_array().unwrap().contains(&json!(CORPUS_NOW - 10)));
        assert!(scenario.ledger.vouches_for(&scenario.token));
        let knobs = Knobs {
            mutations: vec![Mutation::AlgNone {
                spelling: NoneSpelling::Lower,
                signature: NoneSignature::Empty,
            }],
            ..Knobs::default()
        };
        let attacked = build_with(&setups, "", &knobs);
        assert!(attacked.token.ends_with('.'));
        assert!(!attacked.ledger.vouches_for(&attacked.token));
    }

    #[test]
    fn system_clock_times_keep_off_the_boundaries() {
        let setups = setups::fixed(Clock::System);
        let now = 1_800_000_000;
        let rsa = &setups[1].setup;
        assert_eq!(rsa.policy.leeway, 30);
        // exp's boundary is now - leeway, itself on the expired side.
        assert_eq!(place(rsa, now, TimeClaim::Exp, -30), now - 30 - 3);
        assert_eq!(place(rsa, now, TimeClaim::Exp, -28), now - 30 + 3);
        assert_eq!(place(rsa, now, TimeClaim::Exp, -32), now - 30 - 3);
        assert_eq!(place(rsa, now, TimeClaim::Exp, -33), now - 33);
        assert_eq!(place(rsa, now, TimeClaim::Nbf, 29), now + 30 - 3);
        let injected = &setups::fixed(Clock::Injectable)[1].setup;
        assert_eq!(place(injected, now, TimeClaim::Exp, -30), now - 30);
    }

    fn build_with<'s>(setups: &'s [FixedSetup], text: &str, knobs: &Knobs) -> FuzzedToken<'s> {
        build_from(setups, text, knobs, CORPUS_NOW)
    }
}
