//! `explain`: a case decoded for people.

use jwt_conformance::case::{Case, Expected};
use jwt_conformance::forge;
use std::fmt::Write;

fn show_segment(seg: &Result<Vec<u8>, String>) -> String {
    match seg {
        Ok(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => match serde_json::from_str::<serde_json::Value>(text) {
                // Laid out only when parsing loses nothing: what the parse would merge or
                // rewrite (duplicate members, number spellings, escapes, spacing) is often
                // the very thing a case sends.
                Ok(v) if serde_json::to_string(&v).is_ok_and(|compact| compact == text) => {
                    serde_json::to_string_pretty(&v).unwrap_or_else(|_| text.to_string())
                }
                Ok(_) => format!("{text}\n(shown byte for byte: a JSON parser would read it differently, e.g. keep one of duplicate members)"),
                Err(_) => format!("{text:?} (not JSON)"),
            },
            Err(_) => format!("{} bytes, not UTF-8", bytes.len()),
        },
        Err(e) => e.clone(),
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        s.to_string()
    } else {
        let cut = (0..=max)
            .rev()
            .find(|i| s.is_char_boundary(*i))
            .unwrap_or(0);
        format!("{}… ({} bytes in all)", &s[..cut], s.len())
    }
}

/// The case decoded: token segments, policy, expectation, why, references.
pub(crate) fn render(case: &Case) -> String {
    let mut out = String::new();
    let d = forge::decode(&case.token);
    let _ = writeln!(out, "{}  [{}]", case.id, case.severity);
    let _ = writeln!(out, "{}", case.title);
    let _ = writeln!(out);
    let _ = writeln!(out, "sent:        {}", case.description);
    let _ = writeln!(out, "requirement: {}", case.requirement);
    let expected = match &case.expected {
        Expected::Accept { claims } => format!(
            "accept, returning exactly {}",
            serde_json::Value::Object(claims.clone())
        ),
        Expected::Reject { kind } => format!("reject (reason: {kind})"),
        Expected::Either { why } => format!("either accept or reject: {why}"),
    };
    let _ = writeln!(out, "expected:    {expected}");
    let level = match case.level {
        jwt_conformance::case::Level::Strict => format!(
            "strict ({}): scored with --strict; otherwise either answer, an acceptance returning the signed claims",
            case.basis
        ),
        level => format!("{level} ({}): scored in every run", case.basis),
    };
    let _ = writeln!(out, "level:       {level}");
    let _ = writeln!(out, "refs:        {}", case.refs.join(", "));
    let _ = writeln!(out, "defined at:  {}", case.defined_at);
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "token ({} segments, {} bytes):",
        d.segments,
        case.token.len()
    );
    let _ = writeln!(out, "  {}", shorten(&case.token, 400));
    let _ = writeln!(out, "header:");
    let _ = writeln!(out, "{}", indent(&shorten(&show_segment(&d.header), 2000)));
    let _ = writeln!(out, "payload:");
    let _ = writeln!(out, "{}", indent(&shorten(&show_segment(&d.payload), 2000)));
    let sig = match &d.signature {
        Ok(bytes) => format!("{} bytes", bytes.len()),
        Err(e) => e.clone(),
    };
    let _ = writeln!(out, "signature: {sig}");
    let _ = writeln!(out);
    let _ = writeln!(out, "policy:");
    let policy = serde_json::to_string_pretty(&case.policy.to_json()).unwrap_or_default();
    let _ = writeln!(out, "{}", indent(&shorten(&policy, 4000)));
    if let Some(scenario) = &case.scenario {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "scenario: {} steps against one verifier prepared for the policy:",
            scenario.steps.len()
        );
        for (n, step) in scenario.steps.iter().enumerate() {
            let _ = writeln!(out, "  {:>2}. {}", n + 1, step.label());
        }
        return out;
    }
    if let Some(control) = &case.control {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "positive control (must be accepted for a rejection to count):"
        );
        let _ = writeln!(out, "  {}", shorten(&control.token, 400));
        if control.policy != case.policy {
            let policy =
                serde_json::to_string_pretty(&control.policy.to_json()).unwrap_or_default();
            let _ = writeln!(out, "  under its own policy:");
            let _ = writeln!(out, "{}", indent(&shorten(&policy, 4000)));
        }
    }
    out
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_a_parser_would_change_are_shown_byte_for_byte() {
        let shown = |text: &str| show_segment(&Ok(text.as_bytes().to_vec()));
        assert_eq!(shown(r#"{"alg":"HS256"}"#), "{\n  \"alg\": \"HS256\"\n}");
        for sent in [
            r#"{"alg":"HS256","alg":"none"}"#,
            r#"{"exp":1e3}"#,
            r#"{ "alg": "HS256" }"#,
            r#"{"sub":"\u0061"}"#,
        ] {
            let text = shown(sent);
            assert!(text.starts_with(sent), "{text}");
            assert!(text.contains("byte for byte"), "{text}");
        }
        assert!(shown("{").ends_with("(not JSON)"));
    }

    #[test]
    fn a_duplicate_member_case_shows_both_members() {
        let cases = jwt_conformance::catalogue::cases(&jwt_conformance::Context::listing());
        let case = cases
            .iter()
            .find(|c| c.id.starts_with("json-ambiguity/duplicate-alg"))
            .expect("a duplicate-alg case");
        let text = render(case);
        let header = forge::decode(&case.token).header.unwrap();
        let header = std::str::from_utf8(&header).unwrap();
        assert_eq!(header.matches("\"alg\"").count(), 2, "{header}");
        assert!(text.contains(&format!("header:\n  {header}\n")), "{text}");
    }
}
