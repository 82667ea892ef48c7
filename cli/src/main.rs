//! `jwt-conformance`: list, explain and run the JWT verifier conformance suite.

mod commands;
mod explain;
mod registry;
mod report;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "jwt-conformance",
    version,
    about = "Conformance, attack and property suite for JWT verifiers"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Built-in adapters and the library versions they test.
    Adapters,
    /// Every case: id, class, severity, references.
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
    },
    /// A case decoded: token, policy, why, references.
    Explain {
        /// The case id, e.g. `alg-none/uppercase-none`.
        case_id: String,
    },
    /// Run the suite against one verifier.
    Run(commands::run::RunArgs),
    /// Run the suite against several verifiers and show who accepts what, side by side.
    Compare(commands::compare::CompareArgs),
    /// Write every case's token and positive control as files: the fuzz seed corpus.
    Corpus(commands::corpus::CorpusArgs),
    /// Public advisories (CVE, GHSA, …) about JWT/JOSE verification and the cases that
    /// catch each: covered, planned (with the class) or uncovered (with the reason).
    /// `run --filter CVE-…` runs one advisory's cases.
    Cves(commands::cves::CvesArgs),
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Json,
    /// The case index committed as docs/cases.md: every id with where it is defined.
    Markdown,
}

/// A command's failure: exit status 2 with one line naming what is wrong.
pub struct UsageError(pub String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Adapters => commands::adapters::run(),
        Command::List { format } => commands::list::run(match format {
            ListFormat::Text => commands::list::Format::Text,
            ListFormat::Json => commands::list::Format::Json,
            ListFormat::Markdown => commands::list::Format::Markdown,
        }),
        Command::Explain { case_id } => commands::explain::run(&case_id),
        Command::Run(args) => commands::run::run(args),
        Command::Compare(args) => commands::compare::run(args),
        Command::Corpus(args) => commands::corpus::run(args),
        Command::Cves(args) => commands::cves::run(args),
    };
    match result {
        Ok(code) => code,
        Err(UsageError(message)) => {
            eprintln!("jwt-conformance: error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Writes `text` to `out` or standard output.
pub fn emit(text: &str, out: Option<&PathBuf>) -> Result<(), UsageError> {
    match out {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| UsageError(format!("cannot write {}: {e}", path.display()))),
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (e.g. `| head`) is not an error worth a panic.
            let _ = stdout.write_all(text.as_bytes());
            Ok(())
        }
    }
}
