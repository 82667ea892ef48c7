//! `jwt-conformance list`

use crate::UsageError;
use jwt_conformance::{catalogue, Context};
use serde_json::json;
use std::process::ExitCode;

pub fn run(as_json: bool) -> Result<ExitCode, UsageError> {
    let cases = catalogue::cases(&Context::listing());
    let text = if as_json {
        let items: Vec<_> = cases
            .iter()
            .map(|c| {
                json!({
                    "id": c.id,
                    "class": c.class(),
                    "severity": c.severity.as_str(),
                    "refs": c.refs,
                    "expected": c.expected.label(),
                    "level": c.level.as_str(),
                    "basis": c.basis,
                    "title": c.title,
                    "defined_at": c.defined_at,
                })
            })
            .collect();
        let mut s = serde_json::to_string_pretty(&items).expect("JSON values serialise");
        s.push('\n');
        s
    } else {
        cases
            .iter()
            .map(|c| {
                format!(
                    "{:<48} {:<8} {:<6} {:<6} {}\n",
                    c.id,
                    c.severity.as_str(),
                    c.level.as_str(),
                    c.expected.label(),
                    c.refs.join(" ")
                )
            })
            .collect()
    };
    crate::emit(&text, None)?;
    Ok(ExitCode::SUCCESS)
}
