//! `jwt-conformance compare` end to end: built-in adapters and verifier processes side by
//! side, the three output formats, and misbehaving verifiers that must cost only their
//! own cases.

mod common;

use common::{fixture, jwt_conformance, scratch, show};
use serde_json::Value;

/// The built-in adapters to compare: jsonwebtoken, and the strict reference verifier
/// when this build has it.
fn builtins() -> Vec<String> {
    let listed = jwt_conformance(&["adapters"]);
    assert!(listed.status.success(), "{}", show(&listed));
    let names: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    ["jsonwebtoken", "reference"]
        .into_iter()
        .filter(|n| names.iter().any(|m| m == n))
        .map(str::to_string)
        .collect()
}

/// The table lines of the Markdown section that starts with `heading`.
fn table<'a>(markdown: &'a str, heading: &str) -> Vec<&'a str> {
    markdown
        .split(heading)
        .nth(1)
        .unwrap_or_else(|| panic!("no section {heading:?} in\n{markdown}"))
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .collect()
}

#[test]
fn compare_writes_markdown_html_and_json_of_the_same_matrix() {
    let dir = scratch("formats");
    let (md, html, json) = (dir.join("m.md"), dir.join("m.html"), dir.join("m.json"));
    let builtins = builtins();
    assert!(builtins.contains(&"jsonwebtoken".to_string()));
    let stdlib = fixture("stdlib_hs256.py");
    let mut args: Vec<&str> = vec!["compare", "--filter", "alg-none/"];
    for b in &builtins {
        args.extend(["--adapter", b]);
    }
    args.extend(["--exec", &stdlib]);
    let outs = [
        md.display().to_string(),
        html.display().to_string(),
        json.display().to_string(),
    ];
    for o in &outs {
        args.extend(["--out", o]);
    }
    let output = jwt_conformance(&args);
    assert!(output.status.success(), "{}", show(&output));

    let matrix: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let mut names: Vec<String> = builtins.clone();
    names.push("stdlib-hs256".to_string());
    let got: Vec<&str> = matrix["verifiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(got, names, "columns in the order given");
    assert_eq!(
        matrix["verifiers"][names.len() - 1]["command"].as_str(),
        Some(stdlib.as_str())
    );
    let rows = matrix["rows"].as_array().unwrap();
    assert!(rows.len() > 5, "the filter keeps the alg-none class");
    assert_eq!(matrix["total_cases"].as_u64(), Some(rows.len() as u64));
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "rows sorted by id: {ids:?}"
    );
    for row in rows {
        assert!(row["id"].as_str().unwrap().starts_with("alg-none/"));
        let cells = row["cells"].as_array().unwrap();
        assert_eq!(cells.len(), names.len());
        assert!(cells.iter().all(|c| c["outcome"].is_string()), "{row}");
    }

    let markdown = std::fs::read_to_string(&md).unwrap();
    assert!(
        markdown
            .contains("```sh\njwt-conformance compare --filter alg-none/ --adapter jsonwebtoken"),
        "the command that made it: {markdown}"
    );
    let all = table(&markdown, "## All cases");
    assert_eq!(
        all[0],
        format!(
            "| case | severity | level | expected | {} |",
            names.join(" | ")
        )
    );
    let case_lines = all.iter().filter(|l| l.starts_with("| `")).count();
    assert_eq!(case_lines, rows.len());
    for line in all.iter().filter(|l| !l.starts_with("|---")) {
        assert_eq!(line.matches(" |").count(), 4 + names.len(), "{line}");
    }

    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert_eq!(page.matches("<tr class=\"case\"").count(), rows.len());
    assert_eq!(
        page.matches("<td class=\"cell ").count(),
        rows.len() * names.len()
    );
}

#[test]
fn the_discriminating_view_keeps_only_rows_where_verifiers_disagree() {
    // Scored with the strict level, the lenient reference fails the time cases where it
    // takes a choice the RFC leaves open, and passes the others, as the two copies of the
    // strict fixture pass them all.
    let stdlib = fixture("stdlib_hs256.py");
    let output = jwt_conformance(&[
        "compare",
        "--strict",
        "--filter",
        "time/",
        "--exec",
        &stdlib,
        "--exec",
        &stdlib,
        "--adapter",
        "reference-lenient",
        "--format",
        "json",
        "--discriminating",
    ]);
    assert!(output.status.success(), "{}", show(&output));
    let matrix: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(matrix["discriminating_only"], true);
    let rows = matrix["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert_eq!(
        matrix["discriminating_cases"].as_u64(),
        Some(rows.len() as u64)
    );
    assert!(rows.len() < matrix["total_cases"].as_u64().unwrap() as usize);
    for row in rows {
        let cells = row["cells"].as_array().unwrap();
        assert!(
            cells.iter().any(|c| c["outcome"] != cells[0]["outcome"]),
            "{row}"
        );
    }
    let names: Vec<&Value> = matrix["verifiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| &v["name"])
        .collect();
    assert!(
        names.contains(&&Value::from("stdlib-hs256 #2")),
        "a repeated name is told apart: {names:?}"
    );
}

#[test]
fn crashing_hanging_and_garbage_verifiers_fail_their_cases_and_the_comparison_goes_on() {
    // Three cases; each fixture misbehaves on the second verify request a process gets,
    // so the first case passes, the second fails, and the third passes only if the
    // process was restarted and the run went on. The time limit is generous because a
    // restart on a loaded machine can take seconds.
    let output = jwt_conformance(&[
        "compare",
        "--filter",
        "signature/hs256-bit-flip-",
        "--timeout",
        "10",
        "--exec",
        &fixture("crash_on_second.py"),
        "--exec",
        &fixture("hang_on_second.py"),
        "--exec",
        &fixture("garbage_on_second.py"),
        "--exec",
        &fixture("stdlib_hs256.py"),
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{}", show(&output));
    let matrix: Value = serde_json::from_slice(&output.stdout).unwrap();
    let rows = matrix["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "{matrix}");
    let column = |i: usize| -> Vec<&Value> { rows.iter().map(|r| &r["cells"][i]).collect() };
    // Each fixture misbehaves on the second request of each of its processes, which is
    // a case or a case's positive control: at least one case fails with the symptom, a
    // rejection whose control got no answer is unconfirmed, and the last case is still
    // answered, by a fresh process.
    for (i, symptom) in [(0, "crashed"), (1, "no reply within"), (2, "garbage reply")] {
        let cells = column(i);
        let failed: Vec<&&Value> = cells.iter().filter(|c| c["outcome"] == "fail").collect();
        assert!(!failed.is_empty(), "column {i}: {cells:?}");
        for cell in &failed {
            let detail = cell["detail"].as_str().unwrap();
            assert!(detail.contains(symptom), "column {i}: {detail}");
        }
        assert!(
            cells
                .iter()
                .all(|c| c["outcome"] == "fail" || c["outcome"] == "unconfirmed"),
            "column {i}: {cells:?}"
        );
        assert_eq!(cells[2]["verdict"], "rejected", "column {i}: {cells:?}");
    }
    let healthy = column(3);
    assert!(
        healthy.iter().all(|c| c["outcome"] == "pass"),
        "the well-behaved verifier is unaffected: {healthy:?}"
    );
    assert_eq!(matrix["discriminating_cases"], 3);
}

#[test]
fn a_verifier_that_does_not_speak_the_protocol_is_a_usage_error() {
    let output = jwt_conformance(&[
        "compare",
        "--adapter",
        "jsonwebtoken",
        "--exec",
        &fixture("no_hello.py"),
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", show(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let error: Vec<&str> = stderr.lines().filter(|l| l.contains("error:")).collect();
    assert_eq!(error.len(), 1, "{stderr}");
    assert!(error[0].contains("no_hello.py"), "{stderr}");
}

#[test]
fn the_adapters_listing_lines_up_its_columns() {
    let listed = jwt_conformance(&["adapters"]);
    assert!(listed.status.success(), "{}", show(&listed));
    let text = String::from_utf8_lossy(&listed.stdout);
    // Where each line's second column (the version) starts.
    let starts: Vec<usize> = text
        .lines()
        .map(|line| {
            let name_end = line.find(' ').expect("a name then a version");
            name_end + line[name_end..].find(|c| c != ' ').expect("a version")
        })
        .collect();
    assert!(starts.len() >= 2, "{text}");
    assert!(starts.windows(2).all(|w| w[0] == w[1]), "{text}");
}

#[test]
fn unknown_adapters_and_empty_comparisons_are_usage_errors() {
    let unknown = jwt_conformance(&["compare", "--adapter", "no-such-library"]);
    assert_eq!(unknown.status.code(), Some(2), "{}", show(&unknown));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("\"no-such-library\""));
    let empty = jwt_conformance(&["compare"]);
    assert_eq!(empty.status.code(), Some(2), "{}", show(&empty));
}
