//! `jwt-conformance list`

use crate::UsageError;
use jwt_conformance::{catalogue, Context};
use serde_json::json;
use std::process::ExitCode;

/// How `list` writes the catalogue.
pub(crate) enum Format {
    Text,
    Json,
    Markdown,
}

pub(crate) fn run(format: Format) -> Result<ExitCode, UsageError> {
    let cases = catalogue::cases(&Context::listing());
    let text = if let Format::Markdown = format {
        index(&cases)
    } else if let Format::Json = format {
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

/// docs/cases.md: every case id, literally, beside the file and line that define it, so
/// that an id assembled from parts in its class's module is still found by grep.
fn index(cases: &[jwt_conformance::case::Case]) -> String {
    let mut text = String::from(
        "# Cases\n\nEvery case of the catalogue, with its level, severity, expectation and the \
         source line that defines it. Regenerate with\n\n```sh\n\
         jwt-conformance list --format markdown > docs/cases.md\n```\n\n\
         `jwt-conformance explain ID` shows one case whole.\n\n\
         | id | level | severity | expected | defined at |\n|---|---|---|---|---|\n",
    );
    for c in cases {
        text.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            c.id,
            c.level.as_str(),
            c.severity.as_str(),
            c.expected.label(),
            c.defined_at
        ));
    }
    text
}
