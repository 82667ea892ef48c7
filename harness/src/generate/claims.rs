//! Claim sets: the registered claims placed for or against a policy, in every JSON
//! type, plus custom claims of nested JSON with Unicode, escapes and large numbers.

use super::json::{
    json_string, json_style, json_value, member_name, unique_members, Json, JsonStyle,
};
use super::policy::{principal, Setup};
use super::time::{plain_time_claim, time_claim, valid_time_claim, Boundary, TimeClaim};
use crate::adapter::Clock;
use proptest::prelude::*;

/// A generated claim set, rendered against a [`Setup`] by [`ClaimsPlan::render`].
#[derive(Clone, Debug, PartialEq)]
pub struct ClaimsPlan {
    /// The `exp` claim.
    pub exp: TimeClaim,
    /// The `nbf` claim.
    pub nbf: TimeClaim,
    /// `iat`, in seconds before now (never in the future: RFC 7519 makes it
    /// informational, and issuers stamp the time of issue).
    pub iat: Option<u32>,
    /// The `iss` claim.
    pub iss: Principal,
    /// The `aud` claim.
    pub aud: Audience,
    /// The `sub` claim, when present.
    pub sub: Option<Json>,
    /// Custom claims, name and value, in order.
    pub custom: Vec<(String, Json)>,
    /// Custom claims before the registered ones.
    pub custom_first: bool,
    /// How the claims' JSON is written.
    pub style: JsonStyle,
    /// Fill in what the policy requires and match the issuer and audience it expects,
    /// whatever the plan says; time claims other than absent ones are kept as planned.
    pub conform: bool,
}

/// How a string claim relates to the value the policy expects.
#[derive(Clone, Debug, PartialEq)]
pub enum Principal {
    /// No such claim.
    Absent,
    /// Exactly the expected value.
    Expected,
    /// The expected value changed slightly.
    Variant(Variation),
    /// An unrelated string.
    Other(String),
    /// Any JSON value, usually not a string.
    Json(Json),
}

/// `aud`'s shapes (RFC 7519 section 4.1.3: a string or an array of strings).
#[derive(Clone, Debug, PartialEq)]
pub enum Audience {
    /// No `aud` claim.
    Absent,
    /// One of the accepted audiences (by index), as a string.
    One(usize),
    /// An array holding one accepted audience among other strings.
    Among {
        /// Which accepted audience.
        index: usize,
        /// The other strings of the array.
        others: Vec<String>,
    },
    /// An accepted audience changed slightly, as a string.
    Variant {
        /// Which accepted audience.
        index: usize,
        /// How it is changed.
        variation: Variation,
    },
    /// Strings none of which is accepted.
    Others(Vec<String>),
    /// An empty array.
    EmptyArray,
    /// Any JSON value, usually of the wrong type.
    Json(Json),
}

/// Near misses of an expected string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variation {
    /// In upper case.
    Uppercase,
    /// In lower case.
    Lowercase,
    /// A space prepended.
    LeadingSpace,
    /// A space appended.
    TrailingSpace,
    /// A `/` appended.
    TrailingSlash,
    /// Without its last character.
    Truncated,
    /// A zero-width space appended.
    ZeroWidth,
    /// The first character's Unicode fullwidth form, when it has one.
    Fullwidth,
    /// Wrapped in an array: not a string any more.
    InArray,
}

impl Variation {
    /// The changed value (it may equal the original, e.g. upper-casing digits; the
    /// oracle judges the rendered value, not the plan).
    pub fn apply(self, s: &str) -> Json {
        let text = match self {
            Variation::Uppercase => s.to_uppercase(),
            Variation::Lowercase => s.to_lowercase(),
            Variation::LeadingSpace => format!(" {s}"),
            Variation::TrailingSpace => format!("{s} "),
            Variation::TrailingSlash => format!("{s}/"),
            Variation::Truncated => {
                let mut t = s.to_string();
                t.pop();
                t
            }
            Variation::ZeroWidth => format!("{s}\u{200b}"),
            Variation::Fullwidth => {
                let mut chars = s.chars();
                match chars.next() {
                    Some(c @ '!'..='~') => {
                        let wide = char::from_u32(c as u32 - 0x21 + 0xff01).unwrap_or(c);
                        std::iter::once(wide).chain(chars).collect()
                    }
                    _ => format!("\u{ff01}{s}"),
                }
            }
            Variation::InArray => return Json::Array(vec![Json::str(s)]),
        };
        Json::Str(text)
    }
}

fn variation() -> impl Strategy<Value = Variation> {
    prop::sample::select(vec![
        Variation::Uppercase,
        Variation::Lowercase,
        Variation::LeadingSpace,
        Variation::TrailingSpace,
        Variation::TrailingSlash,
        Variation::Truncated,
        Variation::ZeroWidth,
        Variation::Fullwidth,
        Variation::InArray,
    ])
}

fn any_principal() -> impl Strategy<Value = Principal> {
    prop_oneof![
        2 => Just(Principal::Absent),
        4 => Just(Principal::Expected),
        3 => variation().prop_map(Principal::Variant),
        1 => principal().prop_map(Principal::Other),
        2 => json_value().prop_map(Principal::Json),
    ]
}

fn any_audience() -> impl Strategy<Value = Audience> {
    prop_oneof![
        2 => Just(Audience::Absent),
        3 => any::<usize>().prop_map(Audience::One),
        2 => (any::<usize>(), prop::collection::vec(principal(), 0..3))
            .prop_map(|(index, others)| Audience::Among { index, others }),
        3 => (any::<usize>(), variation())
            .prop_map(|(index, variation)| Audience::Variant { index, variation }),
        1 => prop::collection::vec(principal(), 1..3).prop_map(Audience::Others),
        1 => Just(Audience::EmptyArray),
        2 => json_value().prop_map(Audience::Json),
    ]
}

/// Near misses only: changed strings, never another JSON type, so every verifier
/// must reject (or accept) them the same way.
fn plain_principal() -> impl Strategy<Value = Principal> {
    prop_oneof![
        2 => Just(Principal::Expected),
        2 => variation()
            .prop_filter("a string", |v| *v != Variation::InArray)
            .prop_map(Principal::Variant),
        1 => principal().prop_map(Principal::Other),
    ]
}

fn plain_audience() -> impl Strategy<Value = Audience> {
    prop_oneof![
        2 => any::<usize>().prop_map(Audience::One),
        1 => (any::<usize>(), prop::collection::vec(principal(), 0..3))
            .prop_map(|(index, others)| Audience::Among { index, others }),
        2 => (any::<usize>(), variation().prop_filter("a string", |v| *v != Variation::InArray))
            .prop_map(|(index, variation)| Audience::Variant { index, variation }),
        1 => prop::collection::vec(principal(), 1..3).prop_map(Audience::Others),
    ]
}

fn custom_claims() -> impl Strategy<Value = Vec<(String, Json)>> {
    prop::collection::vec((member_name(), json_value()), 0..4).prop_map(unique_members)
}

fn valid_principal() -> impl Strategy<Value = Principal> {
    prop_oneof![Just(Principal::Absent), Just(Principal::Expected)]
}

fn valid_audience() -> impl Strategy<Value = Audience> {
    prop_oneof![
        Just(Audience::Absent),
        any::<usize>().prop_map(Audience::One),
        (any::<usize>(), prop::collection::vec(principal(), 0..3))
            .prop_map(|(index, others)| Audience::Among { index, others }),
    ]
}

fn plan(
    exp: impl Strategy<Value = TimeClaim>,
    nbf: impl Strategy<Value = TimeClaim>,
    iss: impl Strategy<Value = Principal>,
    aud: impl Strategy<Value = Audience>,
    sub: impl Strategy<Value = Option<Json>>,
    custom: impl Strategy<Value = Vec<(String, Json)>>,
    conform: bool,
) -> impl Strategy<Value = ClaimsPlan> {
    (
        (exp, nbf, prop::option::of(0u32..100_000)),
        (iss, aud, sub),
        (custom, any::<bool>(), json_style()),
    )
        .prop_map(
            move |((exp, nbf, iat), (iss, aud, sub), (custom, custom_first, style))| ClaimsPlan {
                exp,
                nbf,
                iat,
                iss,
                aud,
                sub,
                custom,
                custom_first,
                style,
                conform,
            },
        )
}

fn string_sub() -> impl Strategy<Value = Option<Json>> {
    prop::option::of(json_string(16).prop_map(Json::Str))
}

/// Claim sets that satisfy any policy they are rendered against.
pub fn valid_claims(clock: Clock) -> impl Strategy<Value = ClaimsPlan> {
    plan(
        valid_time_claim(clock),
        valid_time_claim(clock),
        valid_principal(),
        valid_audience(),
        string_sub(),
        custom_claims(),
        true,
    )
}

/// Claim sets valid but for `exp`/`nbf`, which take any placement and JSON type.
pub fn time_claims(clock: Clock) -> impl Strategy<Value = ClaimsPlan> {
    plan(
        time_claim(clock),
        time_claim(clock),
        valid_principal(),
        valid_audience(),
        string_sub(),
        Just(Vec::new()),
        true,
    )
}

/// Claim sets valid in time, with `iss` and `aud` in every relation and type.
pub fn principal_claims(clock: Clock) -> impl Strategy<Value = ClaimsPlan> {
    plan(
        valid_time_claim(clock),
        valid_time_claim(clock),
        any_principal(),
        any_audience(),
        string_sub(),
        Just(Vec::new()),
        false,
    )
}

/// Claim sets whose every claim is unambiguous (integers, strings) but may violate the
/// policy: what an issuer could sign for someone else, or that has expired.
pub fn plain_claims(clock: Clock) -> impl Strategy<Value = ClaimsPlan> {
    plan(
        plain_time_claim(clock),
        plain_time_claim(clock),
        plain_principal(),
        plain_audience(),
        string_sub(),
        custom_claims(),
        false,
    )
}

/// A stand-in for values the policy expects but does not define.
const DEFAULT_ISSUER: &str = "https://issuer.example";
const UNEXPECTED_AUDIENCE: &str = "https://unexpected-audience.example";

impl ClaimsPlan {
    /// The claim set as a JSON object against `setup`.
    pub fn to_json(&self, setup: &Setup) -> Json {
        let policy = &setup.policy;
        let required = |c: &str| policy.required_claims.iter().any(|r| r == c);
        let inside = 3600 + setup.margin();
        let mut registered: Vec<(String, Json)> = Vec::new();

        let expected_iss = policy
            .issuer
            .clone()
            .unwrap_or_else(|| DEFAULT_ISSUER.into());
        let iss = match &self.iss {
            _ if self.conform && policy.issuer.is_some() => Some(Json::Str(expected_iss.clone())),
            Principal::Absent if self.conform && required("iss") => {
                Some(Json::Str(expected_iss.clone()))
            }
            Principal::Absent => None,
            Principal::Expected => Some(Json::Str(expected_iss.clone())),
            Principal::Variant(v) => Some(v.apply(&expected_iss)),
            Principal::Other(s) => Some(Json::Str(s.clone())),
            Principal::Json(j) => Some(j.clone()),
        };
        if let Some(iss) = iss {
            registered.push(("iss".into(), iss));
        }

        if let Some(sub) = self
            .sub
            .clone()
            .or_else(|| (self.conform && required("sub")).then(|| Json::str("subject")))
        {
            registered.push(("sub".into(), sub));
        }

        let audiences = &policy.audience;
        let pick = |index: usize| -> String {
            if audiences.is_empty() {
                UNEXPECTED_AUDIENCE.to_string()
            } else {
                audiences[index % audiences.len()].clone()
            }
        };
        let conformed = match &self.aud {
            _ if self.conform && audiences.is_empty() => Audience::Absent,
            a @ (Audience::One(_) | Audience::Among { .. }) if self.conform => a.clone(),
            _ if self.conform => Audience::One(0),
            a => a.clone(),
        };
        let aud = match &conformed {
            Audience::Absent => None,
            Audience::One(i) => Some(Json::Str(pick(*i))),
            Audience::Among { index, others } => {
                let mut items: Vec<Json> = others
                    .iter()
                    .filter(|o| !audiences.contains(o))
                    .map(|o| Json::Str(o.clone()))
                    .collect();
                items.insert(index % (items.len() + 1), Json::Str(pick(*index)));
                Some(Json::Array(items))
            }
            Audience::Variant { index, variation } => Some(variation.apply(&pick(*index))),
            Audience::Others(others) => Some(Json::Array(
                others.iter().map(|o| Json::Str(o.clone())).collect(),
            )),
            Audience::EmptyArray => Some(Json::Array(Vec::new())),
            Audience::Json(j) => Some(j.clone()),
        };
        if let Some(aud) = aud {
            registered.push(("aud".into(), aud));
        }

        if let Some(ago) = self.iat {
            registered.push(("iat".into(), Json::Int(setup.now - i64::from(ago))));
        }
        for (name, claim, boundary) in [
            ("nbf", &self.nbf, Boundary::Nbf),
            ("exp", &self.exp, Boundary::Exp),
        ] {
            let claim = match claim {
                TimeClaim::Absent if self.conform && required(name) => TimeClaim::At(inside),
                other => other.clone(),
            };
            if let Some(value) = claim.render(boundary, setup.now, setup.policy.leeway) {
                registered.push((name.into(), value));
            }
        }

        let custom = self.custom.clone();
        let members = if self.custom_first {
            custom.into_iter().chain(registered).collect()
        } else {
            registered.into_iter().chain(custom).collect()
        };
        Json::Object(members)
    }

    /// The payload bytes: the claim set rendered in the plan's style.
    pub fn render(&self, setup: &Setup) -> Vec<u8> {
        self.to_json(setup).render(self.style).into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapter::Clock;
    use crate::alg::Alg;
    use crate::case::Scoring;
    use crate::generate::policy::setups;
    use crate::oracles::claims::{claims_expectation, Expectation};
    use proptest::test_runner::{Config, TestRunner};

    #[test]
    fn valid_claims_satisfy_every_policy() {
        for clock in [Clock::Injectable, Clock::System] {
            let mut runner = TestRunner::new(Config::with_cases(256));
            let strategy = (setups(Alg::ALL.to_vec(), clock), valid_claims(clock));
            runner
                .run(&strategy, |(setup, plan)| {
                    let payload = plan.render(&setup);
                    let expectation =
                        claims_expectation(&setup.policy, setup.now, &payload, Scoring::Strict);
                    prop_assert_eq!(
                        expectation,
                        Expectation::Accept,
                        "{}",
                        String::from_utf8_lossy(&payload)
                    );
                    Ok(())
                })
                .unwrap();
        }
    }

    #[test]
    fn plain_claims_are_never_ambiguous() {
        let mut runner = TestRunner::new(Config::with_cases(256));
        let strategy = (
            setups(Alg::ALL.to_vec(), Clock::Injectable),
            plain_claims(Clock::Injectable),
        );
        runner
            .run(&strategy, |(setup, plan)| {
                let payload = plan.render(&setup);
                let expectation =
                    claims_expectation(&setup.policy, setup.now, &payload, Scoring::Strict);
                prop_assert!(
                    !matches!(expectation, Expectation::Either(_)),
                    "{expectation:?} for {}",
                    String::from_utf8_lossy(&payload)
                );
                Ok(())
            })
            .unwrap();
    }
}
