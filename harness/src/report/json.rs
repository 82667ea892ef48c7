//! The JSON report (contract: fields may be added, none removed or renamed).

use super::Report;

/// Pretty-printed JSON.
pub fn render(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(report).expect("a report always serialises");
    text.push('\n');
    text
}
