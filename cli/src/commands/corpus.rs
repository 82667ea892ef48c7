//! `jwt-conformance corpus --out DIR`: every case's token and positive control as one
//! file each, the seed corpus of the fuzz targets. A token several cases share (the
//! positive controls often coincide) is written once, under the first case's name.

use crate::UsageError;
use clap::Args;
use jwt_conformance::generate::fixed_setups::CORPUS_NOW;
use jwt_conformance::{catalogue, Context};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub(crate) struct CorpusArgs {
    /// Directory to write into (created if missing); files are named after the case id.
    #[arg(long)]
    pub out: PathBuf,
    /// Unix time the tokens are minted for. The default, 2100-01-01, is the time the fuzz
    /// targets inject into verifiers that take one, and keeps the tokens unexpired for
    /// verifiers that read the system clock.
    #[arg(long, default_value_t = CORPUS_NOW)]
    pub now: i64,
    /// Tokens longer than this many bytes are left out (the resource-limit cases run to
    /// megabytes, which slows a fuzzer down without teaching it anything).
    #[arg(long, default_value_t = 65_536)]
    pub max_bytes: usize,
}

fn write(dir: &Path, name: &str, token: &str) -> Result<(), UsageError> {
    let path = dir.join(name);
    std::fs::write(&path, token)
        .map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))
}

pub(crate) fn run(args: CorpusArgs) -> Result<ExitCode, UsageError> {
    std::fs::create_dir_all(&args.out)
        .map_err(|e| UsageError(format!("cannot create {}: {e}", args.out.display())))?;
    let ctx = Context {
        now: args.now,
        ..Context::listing()
    };
    let (mut written, mut skipped) = (HashSet::new(), 0);
    for case in catalogue::cases(&ctx) {
        let stem = case.id.replace('/', "__");
        let files = [
            (format!("{stem}.jwt"), Some(&case.token)),
            (
                format!("{stem}.control.jwt"),
                case.control.as_ref().map(|c| &c.token),
            ),
        ];
        for (name, token) in files {
            let Some(token) = token else { continue };
            if token.len() > args.max_bytes {
                skipped += 1;
            } else if written.insert(token.clone()) {
                write(&args.out, &name, token)?;
            }
        }
    }
    let written = written.len();
    eprintln!(
        "wrote {written} tokens to {} ({skipped} over {} bytes left out)",
        args.out.display(),
        args.max_bytes
    );
    Ok(ExitCode::SUCCESS)
}
