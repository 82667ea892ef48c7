//! Step 4: the `crit` Header Parameter, and the `b64` extension the reference does not
//! implement.
//!
//! RFC 7515 section 4.1.11: "If any of the listed extension Header Parameters are not
//! understood and supported by the recipient, then the JWS is invalid." The reference
//! understands no extension, so any well-formed `crit` is refused too; the checks still
//! run in order so that the message names the first thing wrong.

use crate::json::type_name;
use crate::reject::{Checked, Rejection};
use jwt_conformance::RejectKind;
use serde_json::{Map, Value};
use std::collections::HashSet;

/// Header Parameter names defined for JWS by RFC 7515 section 4.1 and RFC 7518, and for
/// JWE by RFC 7516 section 4.1 and RFC 7518 section 4: none of them may appear in `crit`.
pub const REGISTERED: [&str; 20] = [
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc",
    "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c",
];

/// Extensions the reference understands and processes: none.
pub const UNDERSTOOD: [&str; 0] = [];

/// Checks `crit` and `b64`.
pub fn check(header: &Map<String, Value>) -> Checked {
    if let Some(crit) = header.get("crit") {
        let names = array_of_strings(crit)?;
        not_empty(&names)?;
        no_duplicates(&names)?;
        no_registered_names(&names)?;
        all_present(&names, header)?;
        all_understood(&names)?;
    }
    no_unencoded_payload(header)
}

fn critical(message: String) -> Rejection {
    Rejection::new(RejectKind::Critical, message)
}

/// RFC 7515 section 4.1.11: "Its value is an array listing the Header Parameter names".
fn array_of_strings(crit: &Value) -> Checked<Vec<&str>> {
    let items = crit.as_array().ok_or_else(|| {
        critical(format!(
            "`crit` is {}, not an array (RFC 7515 section 4.1.11)",
            type_name(crit)
        ))
    })?;
    items
        .iter()
        .map(|item| {
            item.as_str().ok_or_else(|| {
                critical(format!(
                    "`crit` lists {}, not a Header Parameter name (RFC 7515 section 4.1.11)",
                    type_name(item)
                ))
            })
        })
        .collect()
}

/// RFC 7515 section 4.1.11: "Producers MUST NOT use the empty list "[]" as the "crit"
/// value."
fn not_empty(names: &[&str]) -> Checked {
    if names.is_empty() {
        return Err(critical(
            "`crit` is the empty list (RFC 7515 section 4.1.11)".to_string(),
        ));
    }
    Ok(())
}

/// RFC 7515 section 4.1.11: "Producers MUST NOT include … duplicate names".
fn no_duplicates(names: &[&str]) -> Checked {
    let mut seen = HashSet::new();
    match names.iter().find(|name| !seen.insert(**name)) {
        Some(name) => Err(critical(format!(
            "`crit` lists {name:?} twice (RFC 7515 section 4.1.11)"
        ))),
        None => Ok(()),
    }
}

/// RFC 7515 section 4.1.11: "Producers MUST NOT include Header Parameter names defined by
/// this specification or [JWA] … Recipients MAY consider the JWS to be invalid if the
/// critical list contains any" — the reference does.
fn no_registered_names(names: &[&str]) -> Checked {
    match names.iter().find(|name| REGISTERED.contains(name)) {
        Some(name) => Err(critical(format!(
            "`crit` lists the registered parameter {name:?}, which is not an extension (RFC 7515 section 4.1.11)"
        ))),
        None => Ok(()),
    }
}

/// RFC 7515 section 4.1.11: "Producers MUST NOT include … names that do not occur as
/// Header Parameter names within the JOSE Header in the "crit" list."
fn all_present(names: &[&str], header: &Map<String, Value>) -> Checked {
    match names.iter().find(|name| !header.contains_key(**name)) {
        Some(name) => Err(critical(format!(
            "`crit` lists {name:?}, which is not in the header (RFC 7515 section 4.1.11)"
        ))),
        None => Ok(()),
    }
}

/// RFC 7515 section 4.1.11: "If any of the listed extension Header Parameters are not
/// understood and supported by the recipient, then the JWS is invalid."
fn all_understood(names: &[&str]) -> Checked {
    match names.iter().find(|name| !UNDERSTOOD.contains(name)) {
        Some(name) => Err(critical(format!(
            "`crit` lists the extension {name:?}, which the reference does not understand (RFC 7515 section 4.1.11)"
        ))),
        None => Ok(()),
    }
}

/// RFC 7797 section 6 requires a JWS using `"b64": false` to list `b64` in `crit` (which
/// the reference refuses above, not implementing RFC 7797), and RFC 7797 updates RFC
/// 7519 "by stating that JSON Web Tokens (JWTs) MUST NOT use the unencoded payload
/// option". So `b64` with any value but `true` (the default, which changes nothing) is
/// refused even without `crit`.
fn no_unencoded_payload(header: &Map<String, Value>) -> Checked {
    match header.get("b64") {
        None | Some(Value::Bool(true)) => Ok(()),
        Some(other) => Err(critical(format!(
            "`b64` is {other}: JWTs never use the unencoded payload option (RFC 7797)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reason(header: Value) -> Option<String> {
        check(header.as_object().unwrap()).err().map(|r| {
            assert_eq!(r.kind, RejectKind::Critical);
            r.message
        })
    }

    #[test]
    fn a_header_without_crit_or_b64_passes() {
        assert_eq!(reason(json!({"alg": "HS256", "typ": "JWT"})), None);
        assert_eq!(reason(json!({"alg": "HS256", "b64": true})), None);
    }

    #[test]
    fn malformed_crit_values_are_refused() {
        let cases = [
            (json!({"alg": "HS256", "crit": "exp"}), "not an array"),
            (json!({"alg": "HS256", "crit": {}}), "not an array"),
            (
                json!({"alg": "HS256", "crit": [1], "1": 1}),
                "not a Header Parameter name",
            ),
            (json!({"alg": "HS256", "crit": []}), "empty list"),
            (json!({"alg": "HS256", "crit": ["x", "x"], "x": 1}), "twice"),
            (json!({"alg": "HS256", "crit": ["alg"]}), "registered"),
            (json!({"alg": "HS256", "crit": ["x"]}), "not in the header"),
        ];
        for (header, wanted) in cases {
            let got = reason(header.clone()).unwrap_or_default();
            assert!(got.contains(wanted), "{header}: {got}");
        }
    }

    #[test]
    fn a_well_formed_crit_naming_an_extension_is_not_understood() {
        let got = reason(json!({"alg": "HS256", "crit": ["exp"], "exp": 1})).unwrap();
        assert!(got.contains("does not understand"), "{got}");
        let got = reason(json!({"alg": "HS256", "crit": ["b64"], "b64": false})).unwrap();
        assert!(got.contains("does not understand"), "{got}");
    }

    #[test]
    fn b64_other_than_true_is_refused_without_crit() {
        for value in [json!(false), json!("false"), json!(null), json!(0)] {
            let got = reason(json!({"alg": "HS256", "b64": value})).unwrap();
            assert!(got.contains("unencoded payload"), "{value}: {got}");
        }
    }
}
