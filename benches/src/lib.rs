//! Reads the results criterion recorded for the jwt-conformance benches and renders the
//! summary table that `bench-table` writes.
//!
//! The benches name their measurements `GROUP/FUNCTION/VALUE`:
//!
//! | group | function | value | what |
//! |---|---|---|---|
//! | `verify` | verifier | alg | one prepared verifier, one valid token, one thread |
//! | `multithread` | verifier | alg | the same on every core; throughput = threads |
//! | `primitive` | `aws-lc-rs` or `rustcrypto` | alg | the signature check alone |
//! | `reject` | verifier | `ALG/ATTACK` | rejecting an attacker's input |
//! | `overhead` | path | `HS256` | jsonwebtoken called directly and through the harness |
//! | `suite` | `catalogue` or `run` | adapter | the deterministic catalogue; all of `Suite::run` |
//! | `fuzz-oracle` | target or baseline | `seed-corpus` | one pass of a fuzz target's body over the seed corpus |

/// The line of benches/RESULTS.md after which `bench-table --out` keeps what is there:
/// measurements taken outside criterion, by hand, with the commands that took them.
pub const KEPT_MARKER: &str = "<!-- kept by bench-table: measured outside criterion -->";

use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Rejection costing more than this many acceptances is flagged as a DoS risk.
pub const DOS_RATIO: f64 = 10.0;

/// Inputs at least this long get their cost per byte in the rejection table.
const BIG_INPUT: u64 = 64 * 1024;

/// The harness's cost over a direct library call must stay within this ratio.
pub const OVERHEAD_LIMIT: f64 = 1.05;

/// Algorithms in the order the tables show them; others found follow, sorted.
const ALG_ORDER: [&str; 8] = [
    "HS256", "HS384", "HS512", "RS256", "PS256", "ES256", "ES384", "EdDSA",
];

/// Rejection-path inputs in report order, with their column titles.
const ATTACKS: [(&str, &str); 5] = [
    ("bad-signature", "bad signature"),
    ("expired", "expired"),
    ("malformed-base64", "malformed base64"),
    ("1mb-token", "1 MB token"),
    ("million-dots", "1,000,000 dots"),
];

/// Harness-overhead paths in report order, with what each is.
const OVERHEAD_PATHS: [(&str, &str); 4] = [
    (
        "direct-decode",
        "`jsonwebtoken::decode`, same key and `Validation`",
    ),
    (
        "direct-jwks",
        "`decode_header`, key by `kid`, `decode` (the adapter's calls)",
    ),
    (
        "adapter-trait",
        "`Arc<dyn Adapter>` → prepared `Box<dyn Verifier>` → `verify`",
    ),
    (
        "runner-observe",
        "`runner::observe`: prepare + verify on a fresh worker thread",
    ),
];

/// The primitive backends, with their row titles.
const BACKENDS: [(&str, &str); 2] = [
    ("aws-lc-rs", "primitive: aws-lc-rs"),
    ("rustcrypto", "primitive: RustCrypto"),
];

/// One benchmark as criterion recorded it.
#[derive(Clone, Debug, PartialEq)]
pub struct Measurement {
    /// The criterion group (`verify`, `suite`, …).
    pub group: String,
    /// The function inside the group: usually the adapter's name.
    pub function: String,
    /// The parameter, e.g. the algorithm (empty when there is none).
    pub value: String,
    /// Nanoseconds per iteration: criterion's typical estimate (the regression slope
    /// when it fitted one, which discounts per-sample set-up, else the mean).
    pub ns: f64,
    /// Operations per iteration, when the bench declared an element throughput.
    pub elements: Option<u64>,
    /// Input bytes per iteration, when the bench declared a byte throughput.
    pub bytes: Option<u64>,
}

impl Measurement {
    /// Operations per second.
    pub fn ops_per_sec(&self) -> f64 {
        self.elements.unwrap_or(1) as f64 * 1e9 / self.ns
    }
}

/// Everything found under a criterion directory.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Results {
    /// Every benchmark found, in the order they were read.
    pub measurements: Vec<Measurement>,
    /// When the newest result was written.
    pub newest: Option<SystemTime>,
}

/// Why no table could be made.
#[derive(Debug)]
pub enum TableError {
    /// The directory does not exist or holds no criterion results.
    NoResults(PathBuf),
    /// There are results, but not the single-thread verify ones the table is built on.
    NoVerifyResults(PathBuf),
    /// A result file could not be read or parsed.
    BadFile {
        /// The file.
        path: PathBuf,
        /// What was wrong with it.
        why: String,
    },
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TableError::NoResults(dir) => write!(
                f,
                "no criterion results in {}: run `cargo bench -p jwt-conformance-benches` first, \
                 or point --criterion-dir at criterion's output",
                dir.display()
            ),
            TableError::NoVerifyResults(dir) => write!(
                f,
                "{} has criterion results but no verify/* ones: run \
                 `cargo bench -p jwt-conformance-benches` without a filter",
                dir.display()
            ),
            TableError::BadFile { path, why } => write!(f, "{}: {why}", path.display()),
        }
    }
}

impl std::error::Error for TableError {}

#[derive(Deserialize)]
struct BenchmarkFile {
    group_id: String,
    function_id: Option<String>,
    value_str: Option<String>,
    throughput: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Estimate {
    point_estimate: f64,
}

#[derive(Deserialize)]
struct EstimatesFile {
    mean: Estimate,
    slope: Option<Estimate>,
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, TableError> {
    let bad = |why: String| TableError::BadFile {
        path: path.to_path_buf(),
        why,
    };
    let text = fs::read_to_string(path).map_err(|e| bad(format!("cannot read: {e}")))?;
    serde_json::from_str(&text).map_err(|e| bad(format!("not a criterion result file: {e}")))
}

/// Reads one `new/` directory: `benchmark.json` names it, `estimates.json` times it.
fn read_result(new_dir: &Path) -> Result<(Measurement, Option<SystemTime>), TableError> {
    let bench: BenchmarkFile = read_json(&new_dir.join("benchmark.json"))?;
    let estimates_path = new_dir.join("estimates.json");
    let estimates: EstimatesFile = read_json(&estimates_path)?;
    let ns = estimates.slope.unwrap_or(estimates.mean).point_estimate;
    if !(ns.is_finite() && ns > 0.0) {
        return Err(TableError::BadFile {
            path: estimates_path,
            why: format!("time per iteration is {ns} ns"),
        });
    }
    let throughput = |kind: &str| {
        bench
            .throughput
            .as_ref()
            .and_then(|t| t.get(kind))
            .and_then(serde_json::Value::as_u64)
    };
    let (elements, bytes) = (throughput("Elements"), throughput("Bytes"));
    let modified = fs::metadata(&estimates_path)
        .and_then(|m| m.modified())
        .ok();
    let measurement = Measurement {
        group: bench.group_id,
        function: bench.function_id.unwrap_or_default(),
        value: bench.value_str.unwrap_or_default(),
        ns,
        elements,
        bytes,
    };
    Ok((measurement, modified))
}

fn walk(dir: &Path, results: &mut Results) -> Result<(), TableError> {
    let entries = fs::read_dir(dir).map_err(|e| TableError::BadFile {
        path: dir.to_path_buf(),
        why: format!("cannot list: {e}"),
    })?;
    let mut subdirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    subdirs.sort();
    for sub in subdirs {
        // Criterion keeps the latest run in `new/`, the previous one in `base/`.
        if sub.file_name().is_some_and(|n| n == "new") && sub.join("benchmark.json").is_file() {
            let (m, modified) = read_result(&sub)?;
            results.measurements.push(m);
            results.newest = results.newest.max(modified);
        } else {
            walk(&sub, results)?;
        }
    }
    Ok(())
}

/// Reads every result under `dir` (criterion's output directory).
pub fn load(dir: &Path) -> Result<Results, TableError> {
    if !dir.is_dir() {
        return Err(TableError::NoResults(dir.to_path_buf()));
    }
    let mut results = Results::default();
    walk(dir, &mut results)?;
    if results.measurements.is_empty() {
        return Err(TableError::NoResults(dir.to_path_buf()));
    }
    if !results.measurements.iter().any(|m| m.group == "verify") {
        return Err(TableError::NoVerifyResults(dir.to_path_buf()));
    }
    Ok(results)
}

/// Where and when the numbers were taken.
#[derive(Clone, Debug, PartialEq)]
pub struct Machine {
    /// E.g. `2-core VM, Intel(R) Xeon(R) Processor`.
    pub description: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The command that produced the results, shown as the way to reproduce them.
    pub command: String,
}

/// The bench command [`Machine::command`] defaults to.
pub const BENCH_COMMAND: &str = "cargo bench -p jwt-conformance-benches";

/// The UTC calendar date of `time`, `YYYY-MM-DD`.
pub fn utc_date(time: SystemTime) -> String {
    let days = time
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    // Days to civil date, from Howard Hinnant's `civil_from_days`.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The measurements, indexed by `(group, function, value)`.
struct Index<'a>(BTreeMap<(&'a str, &'a str, &'a str), &'a Measurement>);

impl<'a> Index<'a> {
    fn new(results: &'a Results) -> Index<'a> {
        Index(
            results
                .measurements
                .iter()
                .map(|m| ((m.group.as_str(), m.function.as_str(), m.value.as_str()), m))
                .collect(),
        )
    }

    fn get(&self, group: &str, function: &str, value: &str) -> Option<&'a Measurement> {
        self.0.get(&(group, function, value)).copied()
    }

    /// Functions of `group`, sorted.
    fn functions(&self, group: &str) -> Vec<&'a str> {
        let set: BTreeSet<&str> = self
            .0
            .keys()
            .filter(|(g, _, _)| *g == group)
            .map(|(_, f, _)| *f)
            .collect();
        set.into_iter().collect()
    }

    /// Algorithms measured by `verify` or `primitive`, in table order.
    fn algs(&self) -> Vec<&'a str> {
        let found: BTreeSet<&str> = self
            .0
            .keys()
            .filter(|(g, _, _)| *g == "verify" || *g == "primitive")
            .map(|(_, _, v)| *v)
            .collect();
        let mut algs: Vec<&str> = ALG_ORDER
            .iter()
            .filter_map(|a| found.get(a).copied())
            .collect();
        algs.extend(found.iter().filter(|a| !ALG_ORDER.contains(a)));
        algs
    }

    /// The fastest primitive for `alg`.
    fn fastest_primitive(&self, alg: &str) -> Option<&'a Measurement> {
        BACKENDS
            .iter()
            .filter_map(|(b, _)| self.get("primitive", b, alg))
            .min_by(|a, b| a.ns.total_cmp(&b.ns))
    }
}

/// `850 ns`, `12.3 µs`, `3.45 ms`, `1.23 s`.
pub fn format_time(ns: f64) -> String {
    let (value, unit) = if ns < 1e3 {
        (ns, "ns")
    } else if ns < 1e6 {
        (ns / 1e3, "µs")
    } else if ns < 1e9 {
        (ns / 1e6, "ms")
    } else {
        (ns / 1e9, "s")
    };
    format!("{} {unit}", three_figures(value))
}

fn three_figures(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// An integer with thousands separators: `1,234,567`.
pub fn format_count(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1.03×`, `12.3×`, `2,100×`.
pub fn format_ratio(ratio: f64) -> String {
    if ratio < 100.0 {
        format!("{}×", three_figures(ratio))
    } else {
        format!("{}×", format_count(ratio))
    }
}

const NONE: &str = "—";

fn ratio_cell(numerator: Option<&Measurement>, denominator: Option<&Measurement>) -> String {
    match (numerator, denominator) {
        (Some(n), Some(d)) => format_ratio(n.ns / d.ns),
        _ => NONE.to_string(),
    }
}

/// Renders the summary as Markdown.
pub fn render(results: &Results, machine: &Machine) -> String {
    let index = Index::new(results);
    let mut out = String::new();
    let verifiers = index.functions("verify");
    let algs = index.algs();
    // `write!` to a String cannot fail.
    let w = &mut out;

    let _ = writeln!(w, "# Validation throughput\n");
    let _ = writeln!(
        w,
        "Measured {} on a {}. Reproduce from the repository root:\n",
        machine.date, machine.description
    );
    let _ = writeln!(w, "```sh");
    let _ = writeln!(w, "{}", machine.command);
    let _ = writeln!(
        w,
        "cargo run -p jwt-conformance-benches --bin bench-table -- --out benches/RESULTS.md"
    );
    let _ = writeln!(w, "```\n");
    let _ = writeln!(
        w,
        "Every verifier is prepared once, as a service would, and verifies the same valid \
         token carrying a claim set of about 300 bytes. The primitive rows are the \
         signature check alone, key parsed beforehand, on that token's signing input: the \
         limit a verifier can approach. Times are criterion's estimates per operation.\n"
    );

    let _ = writeln!(w, "## Operations per second, one thread\n");
    let _ = write!(w, "| verifier |");
    for alg in &algs {
        let _ = write!(w, " {alg} |");
    }
    let _ = write!(w, "\n|---|");
    for _ in &algs {
        let _ = write!(w, "---:|");
    }
    let _ = writeln!(w);
    let mut rows: Vec<(String, &str, &str)> = BACKENDS
        .iter()
        .map(|(b, title)| (title.to_string(), "primitive", *b))
        .collect();
    rows.extend(verifiers.iter().map(|v| (v.to_string(), "verify", *v)));
    for (title, group, function) in &rows {
        let _ = write!(w, "| {title} |");
        for alg in &algs {
            let cell = index
                .get(group, function, alg)
                .map_or(NONE.to_string(), |m| format_count(m.ops_per_sec()));
            let _ = write!(w, " {cell} |");
        }
        let _ = writeln!(w);
    }
    let _ = writeln!(
        w,
        "\n{NONE}: not supported by the verifier, or left out of the run (the bench says why \
         on stderr).\n"
    );

    let threads = results
        .measurements
        .iter()
        .filter(|m| m.group == "multithread")
        .find_map(|m| m.elements);
    let _ = writeln!(
        w,
        "## Per algorithm: cost, distance to the limit, scaling\n"
    );
    let _ = writeln!(
        w,
        "× fastest primitive: time per verify over the fastest backend's signature check; \
         × RustCrypto: over RustCrypto's. Scaling: throughput on {} threads over one \
         thread (ideal: {}).\n",
        threads.map_or("all".to_string(), |n| n.to_string()),
        threads.map_or("the thread count".to_string(), |n| n.to_string()),
    );
    let _ = writeln!(
        w,
        "| alg | implementation | time per verify | ops/s | × fastest primitive | × RustCrypto | ops/s, all threads | scaling |"
    );
    let _ = writeln!(w, "|---|---|---:|---:|---:|---:|---:|---:|");
    for alg in &algs {
        let fastest = index.fastest_primitive(alg);
        let rustcrypto = index.get("primitive", "rustcrypto", alg);
        for (title, group, function) in &rows {
            let Some(m) = index.get(group, function, alg) else {
                continue;
            };
            let multi = index.get("multithread", function, alg);
            let (multi_ops, scaling) = match multi {
                Some(mt) => (
                    format_count(mt.ops_per_sec()),
                    format_ratio(mt.ops_per_sec() / m.ops_per_sec()),
                ),
                None => (NONE.to_string(), NONE.to_string()),
            };
            let _ = writeln!(
                w,
                "| {alg} | {title} | {} | {} | {} | {} | {multi_ops} | {scaling} |",
                format_time(m.ns),
                format_count(m.ops_per_sec()),
                ratio_cell(Some(m), fastest),
                ratio_cell(Some(m), rustcrypto),
            );
        }
    }
    let _ = writeln!(w);

    render_rejection(w, &index);
    render_overhead(w, &index);
    render_suite(w, &index);
    render_fuzz_oracle(w, &index);
    out
}

/// Fuzz targets: (target, the same without the oracle, the bare baseline).
const FUZZ_TARGETS: [(&str, &str, &str); 2] = [
    ("verify-bytes", "adapter-bytes", "bare-decode"),
    ("verify-structured", "adapter-structured", "bare-structured"),
];

/// How much slower than its bare baseline a fuzz target may be.
pub const FUZZ_ORACLE_LIMIT: f64 = 1.20;

/// The input sets of the fuzz-oracle bench, with what each is.
const FUZZ_INPUTS: [(&str, &str); 2] = [
    ("seed-corpus", "valid tokens, each run many times"),
    (
        "mutated-seeds",
        "seeds with one byte changed: what a fuzzer mostly runs",
    ),
];

fn render_fuzz_oracle(w: &mut String, index: &Index<'_>) {
    let _ = writeln!(w, "\n## Fuzz oracle cost\n");
    let measured: Vec<_> = FUZZ_INPUTS
        .iter()
        .flat_map(|(set, what)| {
            FUZZ_TARGETS
                .iter()
                .filter_map(move |(target, adapter, bare)| {
                    let get = |function: &str| index.get("fuzz-oracle", function, set);
                    Some((
                        *what,
                        *target,
                        get(target)?,
                        get(adapter),
                        *bare,
                        get(bare)?,
                    ))
                })
        })
        .collect();
    if measured.is_empty() {
        let _ = writeln!(w, "Not measured in this run.");
        return;
    }
    let _ = writeln!(
        w,
        "Each fuzz target's body, the same without the oracle (harness and jsonwebtoken \
         adapter only), and its bare baseline (`jsonwebtoken::decode` alone, configured the \
         same way; for `verify_structured`, the same scenario built and signed first), over \
         the same inputs: the committed seed corpus, and each seed with one byte changed. \
         target / bare is what the harness and the oracle cost a fuzzer in executions per \
         second; the limit is {FUZZ_ORACLE_LIMIT}. The valid tokens are judged by the oracle \
         each time; `verify_bytes` verifies a token's signature only the first time, as when \
         libFuzzer re-runs its corpus, so a token it has never seen costs one more signature \
         verification (for ECDSA, as much as the verifier's own). Each ratio divides two \
         measurements taken seconds apart, so on a shared machine it moves with the load \
         (on the 2-core VM, verify_structured's has ranged from 1.2 to 1.5 between runs).\n"
    );
    let _ = writeln!(
        w,
        "| inputs | target | bare baseline | bare | without oracle | target | target / bare | target / without oracle |"
    );
    let _ = writeln!(w, "|---|---|---|---:|---:|---:|---:|---:|");
    for (what, target, t, adapter, bare, b) in measured {
        let ratio = t.ns / b.ns;
        let flag = if ratio <= FUZZ_ORACLE_LIMIT {
            ""
        } else {
            " (over)"
        };
        let _ = writeln!(
            w,
            "| {what} | {target} | {bare} | {} | {} | {} | {}{flag} | {} |",
            format_time(b.ns),
            adapter.map_or(NONE.to_string(), |a| format_time(a.ns)),
            format_time(t.ns),
            format_ratio(ratio),
            ratio_cell(Some(t), adapter),
        );
    }
}

fn render_rejection(w: &mut String, index: &Index<'_>) {
    let _ = writeln!(w, "## Rejection path\n");
    let _ = writeln!(
        w,
        "What an attacker can send without the key, rejected by the same prepared verifier; \
         each cell is the time and its ratio to accepting a valid token with that verifier \
         and algorithm. Over {}× is flagged as a denial-of-service risk: each such \
         request costs the verifier that many legitimate ones.\n",
        DOS_RATIO
    );
    let _ = write!(w, "| verifier | alg | accept |");
    for (_, title) in ATTACKS {
        let _ = write!(w, " {title} |");
    }
    let _ = writeln!(w, "\n|---|---|---:|{}", "---:|".repeat(ATTACKS.len()));
    let mut risks = Vec::new();
    for verifier in index.functions("reject") {
        // Values are `ALG/ATTACK`; one alg per verifier.
        let values: Vec<(&str, &str)> = index
            .0
            .keys()
            .filter(|(g, f, _)| *g == "reject" && *f == verifier)
            .filter_map(|(_, _, v)| v.split_once('/'))
            .collect();
        let algs: BTreeSet<&str> = values.iter().map(|(a, _)| *a).collect();
        for alg in algs {
            let accept = index.get("verify", verifier, alg);
            let _ = write!(
                w,
                "| {verifier} | {alg} | {} |",
                accept.map_or(NONE.to_string(), |m| format_time(m.ns))
            );
            for (attack, title) in ATTACKS {
                let cell = match (
                    index.get("reject", verifier, &format!("{alg}/{attack}")),
                    accept,
                ) {
                    (Some(r), Some(a)) => {
                        let ratio = r.ns / a.ns;
                        // For the big inputs, the cost per byte tells a linear scan from
                        // worse, and a size limit from none.
                        let per_byte = match r.bytes {
                            Some(bytes) if bytes >= BIG_INPUT => {
                                format!(", {:.1} ns/B", r.ns / bytes as f64)
                            }
                            _ => String::new(),
                        };
                        let cell =
                            format!("{} ({}{per_byte})", format_time(r.ns), format_ratio(ratio));
                        if ratio > DOS_RATIO {
                            risks.push(format!(
                                "{verifier} ({alg}): {title} costs {} accepting a valid token",
                                format_ratio(ratio)
                            ));
                            format!("**{cell} DoS risk**")
                        } else {
                            cell
                        }
                    }
                    (Some(r), None) => format_time(r.ns),
                    _ => NONE.to_string(),
                };
                let _ = write!(w, " {cell} |");
            }
            let _ = writeln!(w);
        }
    }
    let _ = writeln!(w);
    if risks.is_empty() {
        let _ = writeln!(w, "No rejection costs over {DOS_RATIO}× an acceptance.\n");
    } else {
        let _ = writeln!(
            w,
            "DoS risks (rejection over {DOS_RATIO}× an acceptance):\n"
        );
        for risk in risks {
            let _ = writeln!(w, "- {risk}");
        }
        let _ = writeln!(w);
    }
}

fn render_overhead(w: &mut String, index: &Index<'_>) {
    let direct = index.get("overhead", "direct-decode", "HS256");
    let _ = writeln!(w, "## Harness overhead (jsonwebtoken, HS256)\n");
    if direct.is_none() {
        let _ = writeln!(w, "Not measured in this run.\n");
        return;
    }
    let _ = writeln!(w, "| path | what | time per verify | × direct decode |");
    let _ = writeln!(w, "|---|---|---:|---:|");
    for (path, what) in OVERHEAD_PATHS {
        if let Some(m) = index.get("overhead", path, "HS256") {
            let _ = writeln!(
                w,
                "| {path} | {what} | {} | {} |",
                format_time(m.ns),
                ratio_cell(Some(m), direct)
            );
        }
    }
    if let (Some(d), Some(t)) = (direct, index.get("overhead", "adapter-trait", "HS256")) {
        let ratio = t.ns / d.ns;
        let verdict = if ratio <= OVERHEAD_LIMIT {
            "within"
        } else {
            "over"
        };
        let _ = writeln!(
            w,
            "\nThrough the harness / direct: **{ratio:.3}**, {verdict} the {OVERHEAD_LIMIT} limit. \
             Every verifier measurement above takes the adapter-trait path. The runner path \
             is the conformance run's per-case isolation (prepare from the policy, a fresh \
             thread, a time limit), paid once per case, never per verify in a service.\n"
        );
    }
}

fn render_suite(w: &mut String, index: &Index<'_>) {
    let _ = writeln!(w, "## The suite\n");
    let adapters: BTreeSet<&str> = index
        .0
        .keys()
        .filter(|(g, _, _)| *g == "suite")
        .map(|(_, _, v)| *v)
        .collect();
    if adapters.is_empty() {
        let _ = writeln!(w, "Not measured in this run.");
        return;
    }
    let _ = writeln!(
        w,
        "| adapter | deterministic catalogue | `Suite::run` (manifest check, catalogue, property checks) |"
    );
    let _ = writeln!(w, "|---|---:|---:|");
    for adapter in adapters {
        let cell = |function| {
            index
                .get("suite", function, adapter)
                .map_or(NONE.to_string(), |m| format_time(m.ns))
        };
        let _ = writeln!(w, "| {adapter} | {} | {} |", cell("catalogue"), cell("run"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/criterion")
    }

    fn machine() -> Machine {
        Machine {
            description: "2-core VM, Test CPU".to_string(),
            date: "2025-01-01".to_string(),
            command: BENCH_COMMAND.to_string(),
        }
    }

    #[test]
    fn loads_named_results_with_slope_or_mean() {
        let results = load(&fixture_dir()).unwrap();
        let index = Index::new(&results);
        let verify = index.get("verify", "jsonwebtoken", "HS256").unwrap();
        assert_eq!(verify.ns, 2000.0, "slope preferred over mean");
        assert_eq!(verify.ops_per_sec(), 500_000.0);
        let multi = index.get("multithread", "jsonwebtoken", "HS256").unwrap();
        assert_eq!(multi.elements, Some(2));
        assert_eq!(multi.ops_per_sec(), 800_000.0);
        let suite = index.get("suite", "run", "jsonwebtoken").unwrap();
        assert_eq!(suite.ns, 1.5e9, "mean when there is no slope");
        assert_eq!(
            results.measurements.len(),
            14,
            "base/ directories are ignored"
        );
        assert!(results.newest.is_some());
    }

    #[test]
    fn renders_ratios_flags_and_missing_cells() {
        let table = render(&load(&fixture_dir()).unwrap(), &machine());
        assert!(table.contains("Measured 2025-01-01 on a 2-core VM, Test CPU"));
        // Primitive rows, then verifiers; ES256 is not supported by `other`.
        assert!(table.contains("| primitive: aws-lc-rs | 2,000,000 | 20,000 |"));
        assert!(table.contains("| other | 250,000 | — |"));
        // 2 µs against a 0.5 µs aws-lc-rs and a 1 µs RustCrypto primitive.
        assert!(table.contains(
            "| HS256 | jsonwebtoken | 2.00 µs | 500,000 | 4.00× | 2.00× | 800,000 | 1.60× |"
        ));
        // 100 µs bad signature: 50×; 4 µs expired: 2×.
        assert!(table.contains("**100 µs (50.0×) DoS risk**"));
        // 1 MB rejected in 2 ms: 1,000×, 2 ns per byte.
        assert!(table.contains("**2.00 ms (1,000×, 2.0 ns/B) DoS risk**"));
        assert!(table.contains("4.00 µs (2.00×)"));
        assert!(table.contains("- jsonwebtoken (HS256): bad signature costs 50.0×"));
        assert!(table.contains("Through the harness / direct: **1.020**, within the 1.05 limit"));
        assert!(table.contains("| jsonwebtoken | 250 ms | 1.50 s |"));
    }

    #[test]
    fn missing_results_are_errors_not_panics() {
        let missing = fixture_dir().join("does-not-exist");
        let err = load(&missing).unwrap_err();
        assert!(matches!(err, TableError::NoResults(_)));
        assert!(err
            .to_string()
            .contains("cargo bench -p jwt-conformance-benches"));

        let no_verify = fixture_dir().join("suite");
        assert!(matches!(
            load(&no_verify).unwrap_err(),
            TableError::NoVerifyResults(_)
        ));
    }

    #[test]
    fn broken_result_files_name_the_file() {
        let dir = std::env::temp_dir().join(format!("bench-table-test-{}", std::process::id()));
        let new = dir.join("verify/x/HS256/new");
        fs::create_dir_all(&new).unwrap();
        fs::write(new.join("benchmark.json"), "{not json").unwrap();
        let err = load(&dir).unwrap_err();
        fs::remove_dir_all(&dir).unwrap();
        assert!(matches!(err, TableError::BadFile { .. }));
        assert!(err.to_string().contains("benchmark.json"), "{err}");
    }

    #[test]
    fn formatting() {
        assert_eq!(format_time(850.0), "850 ns");
        assert_eq!(format_time(12_345.0), "12.3 µs");
        assert_eq!(format_time(3_450_000.0), "3.45 ms");
        assert_eq!(format_count(1_234_567.4), "1,234,567");
        assert_eq!(format_count(999.0), "999");
        assert_eq!(format_ratio(1.034), "1.03×");
        assert_eq!(format_ratio(2_100.0), "2,100×");
        assert_eq!(utc_date(UNIX_EPOCH), "1970-01-01");
        let leap_day = UNIX_EPOCH + std::time::Duration::from_secs(1_709_164_800);
        assert_eq!(utc_date(leap_day), "2024-02-29");
    }
}
