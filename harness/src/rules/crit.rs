//! The `crit` Header Parameter (RFC 7515 section 4.1.11) and the `b64` extension
//! (RFC 7797), which neither reference implements.
//!
//! Not a choice (`rfc`): "If any of the listed extension Header Parameters are not
//! understood and supported by the recipient, then the JWS is invalid." The references
//! understand no extension, so a `crit` that lists one is refused; so is a `crit` that
//! is not an array of names, which cannot say what is critical.
//!
//! Permitted choices, refused by [`Choice::Strict`]: "Producers MUST NOT use the empty
//! list "[]" as the "crit" value … Producers MUST NOT include Header Parameter names
//! defined by this specification or [JWA] for use with JWS, duplicate names, or names
//! that do not occur as Header Parameter names within the JOSE Header in the "crit"
//! list. … Recipients MAY consider the JWS to be invalid if the critical list contains
//! any Header Parameter names defined by this specification or [JWA] for use with JWS
//! or if any other constraints on its use are violated." A `crit` of `null` lists
//! nothing, so a lenient recipient reads it as absent. And `b64` without `crit`:
//! RFC 7797 section 6 makes `crit` carry `b64` when it is used, and a recipient that
//! does not implement RFC 7797 ignores an unknown parameter and reads the payload as
//! base64url, as RFC 7519 requires of a JWT (RFC 7797 section 7: "JWTs MUST NOT use the
//! unencoded payload option").

use super::json::type_name;
use super::{Checked, Choice, Rejection};
use crate::verdict::RejectKind;
use serde_json::{Map, Value};
use std::collections::HashSet;

/// Header Parameter names defined for JWS by RFC 7515 section 4.1 and RFC 7518, and for
/// JWE by RFC 7516 section 4.1 and RFC 7518 section 4: none of them may appear in `crit`.
pub const REGISTERED: [&str; 20] = [
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc",
    "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c",
];

/// Extensions the references understand and process: none.
pub const UNDERSTOOD: [&str; 0] = [];

/// Checks `crit` and `b64`, taking the permitted choices `choice`'s way.
pub fn check(header: &Map<String, Value>, choice: Choice) -> Checked {
    let crit = match (header.get("crit"), choice) {
        // A null `crit` lists nothing: the lenient reading treats it as absent.
        (Some(Value::Null), Choice::Lenient) => None,
        (crit, _) => crit,
    };
    if let Some(crit) = crit {
        let names = array_of_strings(crit)?;
        if choice == Choice::Strict {
            not_empty(&names)?;
            no_duplicates(&names)?;
            no_registered_names(&names)?;
            all_present(&names, header)?;
        }
        all_understood(&names)?;
    }
    match choice {
        Choice::Strict => no_unencoded_payload(header),
        Choice::Lenient => Ok(()),
    }
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

/// RFC 7515 section 4.1.11: "Recipients MAY consider the JWS to be invalid if the
/// critical list contains any Header Parameter names defined by this specification".
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
/// understood and supported by the recipient, then the JWS is invalid." A registered
/// name is no extension: it is understood.
fn all_understood(names: &[&str]) -> Checked {
    match names
        .iter()
        .find(|name| !UNDERSTOOD.contains(name) && !REGISTERED.contains(name))
    {
        Some(name) => Err(critical(format!(
            "`crit` lists the extension {name:?}, which the reference does not understand (RFC 7515 section 4.1.11)"
        ))),
        None => Ok(()),
    }
}

/// RFC 7797 section 7: "JSON Web Tokens (JWTs) MUST NOT use the unencoded payload
/// option", and a `b64` the recipient would have to honour is listed in `crit` (refused
/// above). The strict reference refuses `b64` with any value but `true` (the default,
/// which changes nothing) even without `crit`.
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

    fn reason(header: Value, choice: Choice) -> Option<String> {
        check(header.as_object().unwrap(), choice).err().map(|r| {
            assert_eq!(r.kind, RejectKind::Critical);
            r.message
        })
    }

    #[test]
    fn a_header_without_crit_or_b64_passes() {
        for choice in [Choice::Strict, Choice::Lenient] {
            assert_eq!(reason(json!({"alg": "HS256", "typ": "JWT"}), choice), None);
            assert_eq!(reason(json!({"alg": "HS256", "b64": true}), choice), None);
        }
    }

    #[test]
    fn crit_that_lists_nothing_readable_is_refused_either_way() {
        for (header, wanted) in [
            (json!({"alg": "HS256", "crit": "exp"}), "not an array"),
            (json!({"alg": "HS256", "crit": {}}), "not an array"),
            (
                json!({"alg": "HS256", "crit": [1], "1": 1}),
                "not a Header Parameter name",
            ),
        ] {
            for choice in [Choice::Strict, Choice::Lenient] {
                let got = reason(header.clone(), choice).unwrap_or_default();
                assert!(got.contains(wanted), "{header}: {got}");
            }
        }
    }

    #[test]
    fn producer_mistakes_are_refused_only_when_strict() {
        for (header, wanted) in [
            (json!({"alg": "HS256", "crit": []}), "empty list"),
            (
                json!({"alg": "HS256", "crit": ["kid", "kid"], "kid": "k"}),
                "twice",
            ),
            (json!({"alg": "HS256", "crit": ["alg"]}), "registered"),
            (json!({"alg": "HS256", "crit": null}), "not an array"),
        ] {
            let got = reason(header.clone(), Choice::Strict).unwrap_or_default();
            assert!(got.contains(wanted), "{header}: {got}");
            assert_eq!(reason(header, Choice::Lenient), None);
        }
    }

    #[test]
    fn an_extension_is_not_understood_either_way() {
        for header in [
            json!({"alg": "HS256", "crit": ["exp"], "exp": 1}),
            json!({"alg": "HS256", "crit": ["b64"], "b64": false}),
            json!({"alg": "HS256", "crit": ["x"]}),
        ] {
            let got = reason(header.clone(), Choice::Lenient).unwrap();
            assert!(got.contains("does not understand"), "{header}: {got}");
            assert!(reason(header, Choice::Strict).is_some());
        }
    }

    #[test]
    fn b64_other_than_true_without_crit_is_refused_only_when_strict() {
        for value in [json!(false), json!("false"), json!(null), json!(0)] {
            let got = reason(json!({"alg": "HS256", "b64": value}), Choice::Strict).unwrap();
            assert!(got.contains("unencoded payload"), "{value}: {got}");
            assert_eq!(
                reason(json!({"alg": "HS256", "b64": value}), Choice::Lenient),
                None
            );
        }
    }
}
