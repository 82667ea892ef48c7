//! `jwt-conformance explain CASE_ID`

use crate::explain;
use crate::UsageError;
use jwt_conformance::{catalogue, Context};
use std::process::ExitCode;

pub(crate) fn run(case_id: &str) -> Result<ExitCode, UsageError> {
    let cases = catalogue::cases(&Context::listing());
    let case = cases.iter().find(|c| c.id == case_id).ok_or_else(|| {
        UsageError(format!(
            "unknown case id {case_id:?} (see `jwt-conformance list`)"
        ))
    })?;
    crate::emit(&explain::render(case), None)?;
    Ok(ExitCode::SUCCESS)
}
