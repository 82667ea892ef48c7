//! `exp` and `nbf` placed relative to the validity boundaries `now - leeway` (exp) and
//! `now + leeway` (nbf): before, on and after each, in every JSON type.
//!
//! Offsets count seconds *inside* the window: `exp = now - leeway + inside` and
//! `nbf = now + leeway - inside`, so the token is valid for exp iff `inside >= 1` and
//! for nbf iff `inside >= 0`. With an injectable clock offsets land on and next to the
//! boundaries; with a system clock they stay [`SYSTEM_CLOCK_MARGIN`] away from them.

use super::json::Json;
use super::policy::SYSTEM_CLOCK_MARGIN;
use crate::adapter::Clock;
use proptest::prelude::*;

/// Which boundary a time claim is placed against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Boundary {
    /// `exp`: valid while `now < exp + leeway`.
    Exp,
    /// `nbf`: valid once `nbf - leeway <= now`.
    Nbf,
}

/// A generated `exp` or `nbf`.
#[derive(Clone, Debug, PartialEq)]
pub enum TimeClaim {
    /// No such claim.
    Absent,
    /// An integer NumericDate `inside` seconds inside the window (negative: outside).
    At(i64),
    /// A number that is a legal NumericDate but unusual: verifiers may reject it, and
    /// may accept it only if it lies inside the window.
    Unusual(Unusual),
    /// Not a number at all: must be rejected.
    NotANumber(NotANumber),
}

/// Legal but unusual NumericDates (RFC 7519 section 2 allows non-integer values).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unusual {
    /// Half a second past `inside` seconds: `…​.5`.
    Fraction(i64),
    /// The integer written as a float: `…​.0`.
    IntegralFloat(i64),
    /// The integer with an exponent: `…​e0`.
    Exponent(i64),
    /// 1e300: far in the future.
    Huge,
    /// 2^64, one past the largest unsigned 64-bit integer.
    BeyondU64,
    /// A negative NumericDate: before 1970.
    Negative,
}

/// Values of the wrong JSON type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotANumber {
    /// The right number, quoted.
    NumericString,
    /// `""`.
    EmptyString,
    /// `null`.
    Null,
    /// `true`.
    True,
    /// `false`.
    False,
    /// The right number inside an array.
    Array,
    /// The right number inside an object.
    Object,
}

/// Offsets around the boundary: on it and next to it for an injectable clock, at
/// least the margin away for a system clock.
pub fn offset(clock: Clock) -> BoxedStrategy<i64> {
    match clock {
        Clock::Injectable => prop_oneof![3 => -2i64..=2, 1 => -100_000i64..=100_000].boxed(),
        Clock::System => (any::<bool>(), SYSTEM_CLOCK_MARGIN..=100_000)
            .prop_map(|(inside, d)| if inside { d } else { -d })
            .boxed(),
    }
}

/// Offsets strictly inside the window (valid for both boundaries).
pub fn inside_offset(clock: Clock) -> BoxedStrategy<i64> {
    match clock {
        Clock::Injectable => prop_oneof![1i64..=3, 1i64..=100_000].boxed(),
        Clock::System => (SYSTEM_CLOCK_MARGIN..=100_000).boxed(),
    }
}

/// Any placement of a time claim, in any JSON type.
pub fn time_claim(clock: Clock) -> impl Strategy<Value = TimeClaim> {
    let unusual_offset = offset(clock);
    prop_oneof![
        2 => Just(TimeClaim::Absent),
        6 => offset(clock).prop_map(TimeClaim::At),
        2 => prop_oneof![
            unusual_offset.clone().prop_map(Unusual::Fraction),
            unusual_offset.clone().prop_map(Unusual::IntegralFloat),
            unusual_offset.prop_map(Unusual::Exponent),
            Just(Unusual::Huge),
            Just(Unusual::BeyondU64),
            Just(Unusual::Negative),
        ]
        .prop_map(TimeClaim::Unusual),
        2 => prop::sample::select(vec![
            NotANumber::NumericString,
            NotANumber::EmptyString,
            NotANumber::Null,
            NotANumber::True,
            NotANumber::False,
            NotANumber::Array,
            NotANumber::Object,
        ])
        .prop_map(TimeClaim::NotANumber),
    ]
}

/// Integer placements only, on either side: unambiguous for every verifier.
pub fn plain_time_claim(clock: Clock) -> impl Strategy<Value = TimeClaim> {
    prop_oneof![
        1 => Just(TimeClaim::Absent),
        3 => offset(clock).prop_map(TimeClaim::At),
    ]
}

/// Placements a verifier must accept: absent or an integer inside the window.
pub fn valid_time_claim(clock: Clock) -> impl Strategy<Value = TimeClaim> {
    prop_oneof![
        1 => Just(TimeClaim::Absent),
        3 => inside_offset(clock).prop_map(TimeClaim::At),
    ]
}

impl TimeClaim {
    /// The claim's JSON value against `boundary`, or `None` when absent.
    pub fn render(&self, boundary: Boundary, now: i64, leeway: u64) -> Option<Json> {
        let at = |inside: i64| match boundary {
            Boundary::Exp => now - leeway as i64 + inside,
            Boundary::Nbf => now + leeway as i64 - inside,
        };
        Some(match *self {
            TimeClaim::Absent => return None,
            TimeClaim::At(inside) => Json::Int(at(inside)),
            TimeClaim::Unusual(u) => match u {
                // Half a second further inside than the integer placement.
                Unusual::Fraction(inside) => Json::Float(match boundary {
                    Boundary::Exp => at(inside) as f64 + 0.5,
                    Boundary::Nbf => at(inside) as f64 - 0.5,
                }),
                Unusual::IntegralFloat(inside) => Json::BigInt(format!("{}.0", at(inside))),
                Unusual::Exponent(inside) => Json::BigInt(format!("{}e0", at(inside))),
                Unusual::Huge => Json::Float(1e300),
                Unusual::BeyondU64 => Json::BigInt("18446744073709551616".into()),
                Unusual::Negative => Json::Int(-now.max(1)),
            },
            TimeClaim::NotANumber(n) => {
                let value = at(1);
                match n {
                    NotANumber::NumericString => Json::Str(value.to_string()),
                    NotANumber::EmptyString => Json::str(""),
                    NotANumber::Null => Json::Null,
                    NotANumber::True => Json::Bool(true),
                    NotANumber::False => Json::Bool(false),
                    NotANumber::Array => Json::Array(vec![Json::Int(value)]),
                    NotANumber::Object => Json::Object(vec![("$date".into(), Json::Int(value))]),
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::json::JsonStyle;

    fn text(claim: TimeClaim, boundary: Boundary) -> String {
        claim
            .render(boundary, 1_000, 10)
            .map(|j| j.render(JsonStyle::default()))
            .unwrap_or_default()
    }

    #[test]
    fn offsets_count_seconds_inside_the_window() {
        assert_eq!(text(TimeClaim::At(1), Boundary::Exp), "991");
        assert_eq!(text(TimeClaim::At(0), Boundary::Nbf), "1010");
        assert_eq!(text(TimeClaim::At(-1), Boundary::Nbf), "1011");
        assert_eq!(
            text(TimeClaim::Unusual(Unusual::Fraction(0)), Boundary::Exp),
            "990.5"
        );
        assert_eq!(
            text(TimeClaim::Unusual(Unusual::Exponent(0)), Boundary::Exp),
            "990e0"
        );
        assert_eq!(
            text(
                TimeClaim::NotANumber(NotANumber::NumericString),
                Boundary::Exp
            ),
            "\"991\""
        );
        assert_eq!(text(TimeClaim::Absent, Boundary::Exp), "");
    }
}
