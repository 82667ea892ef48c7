//! JSON values and the many ways an issuer may legitimately write them: escapes,
//! Unicode, whitespace, integers beyond 64 bits. Rendering is ours, not serde_json's,
//! so the signed bytes can differ from any one library's canonical output.

use proptest::prelude::*;
use std::fmt::Write;

/// A JSON value as generated; rendered to text by [`Json::render`].
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A signed integer.
    Int(i64),
    /// An unsigned integer.
    UInt(u64),
    /// Finite only: JSON has no NaN or infinity.
    Float(f64),
    /// An integer literal of any length, digits only (optionally a leading `-`).
    BigInt(String),
    /// A string.
    Str(String),
    /// An array.
    Array(Vec<Json>),
    /// Members in order; names are unique.
    Object(Vec<(String, Json)>),
}

/// How text is written. Every style is valid JSON (RFC 8259) for the same value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JsonStyle {
    /// A space after `:` and `,`.
    pub spaced: bool,
    /// Non-ASCII characters written as `\uXXXX` escapes (surrogate pairs above U+FFFF).
    pub ascii_only: bool,
    /// `/` written as `\/`.
    pub escape_solidus: bool,
}

impl Json {
    /// The JSON text of this value.
    pub fn render(&self, style: JsonStyle) -> String {
        let mut out = String::new();
        self.write(style, &mut out);
        out
    }

    fn write(&self, style: JsonStyle, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Int(n) => {
                let _ = write!(out, "{n}");
            }
            Json::UInt(n) => {
                let _ = write!(out, "{n}");
            }
            Json::Float(f) => out.push_str(&float_text(*f)),
            Json::BigInt(digits) => out.push_str(digits),
            Json::Str(s) => write_string(s, style, out),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        separator(',', style, out);
                    }
                    item.write(style, out);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (name, value)) in members.iter().enumerate() {
                    if i > 0 {
                        separator(',', style, out);
                    }
                    write_string(name, style, out);
                    separator(':', style, out);
                    value.write(style, out);
                }
                out.push('}');
            }
        }
    }

    /// A string value.
    pub fn str(s: impl Into<String>) -> Json {
        Json::Str(s.into())
    }
}

fn separator(c: char, style: JsonStyle, out: &mut String) {
    out.push(c);
    if style.spaced {
        out.push(' ');
    }
}

/// Shortest text that reads back as the same double; always has a `.` or exponent so
/// it stays a float.
fn float_text(f: f64) -> String {
    let text = serde_json::Number::from_f64(f)
        .map(|n| n.to_string())
        .unwrap_or_else(|| "0.0".to_string());
    if text.contains(['.', 'e', 'E']) {
        text
    } else {
        format!("{text}.0")
    }
}

/// A JSON string literal (RFC 8259 section 7).
pub fn write_string(s: &str, style: JsonStyle, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' if style.escape_solidus => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if style.ascii_only && !c.is_ascii() => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04X}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The generator form of a parsed value (numbers keep their kind).
pub fn from_value(value: &serde_json::Value) -> Json {
    use serde_json::Value;
    match value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => n
            .as_i64()
            .map(Json::Int)
            .or_else(|| n.as_u64().map(Json::UInt))
            .unwrap_or_else(|| Json::Float(n.as_f64().unwrap_or(0.0))),
        Value::String(s) => Json::Str(s.clone()),
        Value::Array(items) => Json::Array(items.iter().map(from_value).collect()),
        Value::Object(members) => Json::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), from_value(v)))
                .collect(),
        ),
    }
}

/// Characters that stress escaping and Unicode handling, mixed with arbitrary ones.
pub fn json_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::char::range('a', 'z'),
        2 => any::<char>(),
        2 => prop::sample::select(vec![
            '"', '\\', '/', '\0', '\n', '\t', '\u{1f}', '\u{7f}', '\u{2028}', '\u{2029}',
            '\u{feff}', '\u{200b}', '\u{0301}', 'é', 'ß', 'İ', 'Ω', '中', '😀', '\u{10ffff}',
        ]),
    ]
}

/// Strings of [`json_char`]s.
pub fn json_string(max_len: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(json_char(), 0..=max_len).prop_map(|cs| cs.into_iter().collect())
}

/// Numbers, including the ones parsers get wrong: 64-bit extremes, integers beyond 64
/// bits, subnormals and exponents.
pub fn json_number() -> impl Strategy<Value = Json> {
    prop_oneof![
        3 => any::<i64>().prop_map(Json::Int),
        1 => any::<u64>().prop_map(Json::UInt),
        1 => prop::sample::select(vec![
            Json::Int(i64::MIN),
            Json::Int(i64::MAX),
            Json::UInt(u64::MAX),
            Json::UInt((1 << 53) + 1),
            Json::Float(1e308),
            Json::Float(-1e-308),
            Json::Float(5e-324),
            Json::Float(0.1),
            Json::BigInt("18446744073709551616".into()),
            Json::BigInt("-123456789012345678901234567890".into()),
        ]),
        2 => (proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO)
            .prop_map(Json::Float),
        1 => "-?[1-9][0-9]{19,40}".prop_map(Json::BigInt),
    ]
}

/// Registered claim names (RFC 7519 section 4.1): custom claims never use them, so a
/// generated claim set's policy checks depend only on the registered claims generated.
pub const REGISTERED: [&str; 7] = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];

/// Member names for custom claims: anything but a registered name.
pub fn member_name() -> impl Strategy<Value = String> {
    json_string(12).prop_filter("not a registered claim", |n| {
        !REGISTERED.contains(&n.as_str())
    })
}

/// Arbitrary JSON, nested a few levels deep.
pub fn json_value() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        json_number(),
        json_string(24).prop_map(Json::Str),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
            prop::collection::vec((member_name(), inner), 0..4)
                .prop_map(|members| Json::Object(unique_members(members))),
        ]
    })
}

/// Keeps the first member of each name: duplicate names are a mutation, not a claim set.
pub fn unique_members(members: Vec<(String, Json)>) -> Vec<(String, Json)> {
    let mut seen = std::collections::HashSet::new();
    members
        .into_iter()
        .filter(|(name, _)| seen.insert(name.clone()))
        .collect()
}

/// Any [`JsonStyle`].
pub fn json_style() -> impl Strategy<Value = JsonStyle> {
    (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(spaced, ascii_only, escape_solidus)| JsonStyle {
            spaced,
            ascii_only,
            escape_solidus,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::test_runner::{Config, TestRunner};
    use serde_json::{json, Value};

    #[test]
    fn escapes_read_back_as_the_same_string() {
        let s = "a\"b\\c/d\n\u{1}é😀";
        let styled = JsonStyle {
            spaced: true,
            ascii_only: true,
            escape_solidus: true,
        };
        let text = Json::Object(vec![("k/é".into(), Json::str(s))]).render(styled);
        assert!(text.is_ascii(), "{text}");
        assert!(
            text.contains("\\/") && text.contains("\\uD83D\\uDE00"),
            "{text}"
        );
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, json!({"k/é": s}));
    }

    #[test]
    fn numbers_render_as_json_numbers() {
        assert_eq!(Json::Float(1.0).render(JsonStyle::default()), "1.0");
        assert_eq!(Json::Float(1e300).render(JsonStyle::default()), "1e+300");
        let big: Value = serde_json::from_str(
            &Json::BigInt("18446744073709551616".into()).render(JsonStyle::default()),
        )
        .unwrap();
        assert!(big.is_f64());
    }

    #[test]
    fn every_generated_value_is_valid_json() {
        let mut runner = TestRunner::new(Config::with_cases(256));
        runner
            .run(&(json_value(), json_style()), |(value, style)| {
                let text = value.render(style);
                prop_assert!(
                    serde_json::from_str::<Value>(&text).is_ok(),
                    "not JSON: {text}"
                );
                Ok(())
            })
            .unwrap();
    }
}
