//! The comparison as one self-contained HTML page: inline CSS and JavaScript, nothing
//! fetched from the network, so it can be attached to a ticket or opened offline.
//!
//! The page works without JavaScript (every row shown, grouped by class); the script
//! adds the filter box, the severity, level and outcome selectors, the "discriminating only"
//! toggle, sorting by any column and the per-case detail rows. It reads everything from
//! the DOM and writes only `textContent`, so no library message can become markup.

use super::matrix::{Cell, Matrix, Row};
use jwt_conformance::case::{Level, Severity};
use jwt_conformance::outcome::Outcome;
use std::fmt::Write;

/// Longest detail kept per cell; library messages can quote whole tokens.
const MAX_DETAIL: usize = 2000;
/// Longest text kept in a hover title.
const MAX_TITLE: usize = 500;

/// Text safe in HTML content and in quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

const STYLE: &str = r#"
:root { --pass: #d8f0dc; --fail: #f8d0cc; --expected: #fbe7bf; --stale: #e6d8f5;
        --skipped: #ececec; --unconfirmed: #dde7f3; --info: #eef6e9;
        --ink: #1d232b; --muted: #5b6570; --line: #d5dae0; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); margin: 0; padding: 1.2rem 1.6rem; background: #fff; }
h1 { font-size: 1.5rem; margin: 0 0 .3rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .6rem; }
p.lead { color: var(--muted); margin: 0; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; vertical-align: top; text-align: left; }
thead th { background: #f3f5f7; position: sticky; top: 0; z-index: 1; }
table.summary td.n { text-align: right; font-variant-numeric: tabular-nums; }
table.summary td.hot { background: var(--fail); font-weight: 600; }
.controls { display: flex; flex-wrap: wrap; gap: .8rem 1.4rem; align-items: center;
            margin: .4rem 0 .8rem; }
.controls input[type=search] { width: 18rem; padding: .25rem .4rem; }
#shown { color: var(--muted); font-weight: 600; }
#matrix thead th[data-sort] { cursor: pointer; user-select: none; white-space: nowrap; }
#matrix thead th[data-sort]::after { content: " \2195"; color: #9aa3ad; }
#matrix thead th.asc::after { content: " \2191"; color: var(--ink); }
#matrix thead th.desc::after { content: " \2193"; color: var(--ink); }
tr.group th { background: #e9eef4; font-size: .95rem; }
td.case { min-width: 18rem; }
td.case code { font-size: .9rem; }
td.case .title { color: var(--muted); font-size: .85rem; }
td.case .cves { font-size: .8rem; font-weight: 600; }
button.toggle { border: none; background: none; cursor: pointer; font-size: .9rem; padding: 0 .2rem; }
td.cell { white-space: nowrap; text-align: center; font-weight: 600; cursor: help; min-width: 5rem; }
ul.commands code { font-size: .85rem; }
td.cell small { display: block; font-weight: 400; color: var(--muted); }
td.pass { background: var(--pass); }
td.fail { background: var(--fail); }
td.expected_failure { background: var(--expected); }
td.unexpected_pass { background: var(--stale); }
td.unconfirmed { background: var(--unconfirmed); }
td.informational { background: var(--info); }
td.skipped, td.absent { background: var(--skipped); color: var(--muted); }
.sev-critical { color: #a4161a; font-weight: 700; }
.sev-high { color: #c2410c; font-weight: 600; }
tr.detail td { background: #fafbfc; }
tr.detail dl { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
tr.detail dt { font-weight: 600; }
tr.detail dd { margin: 0; white-space: pre-wrap; word-break: break-word; }
"#;

const SCRIPT: &str = r##"
(function () {
  "use strict";
  var table = document.getElementById("matrix");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.querySelectorAll("tr.case"));
  var groups = Array.prototype.slice.call(body.querySelectorAll("tr.group"));
  var filter = document.getElementById("filter");
  var severity = document.getElementById("severity");
  var level = document.getElementById("level");
  var outcome = document.getElementById("outcome");
  var discriminating = document.getElementById("discriminating");
  var shown = document.getElementById("shown");
  var sortKey = null, sortDir = 1;
  var original = rows.slice();
  document.getElementById("controls").hidden = false;
  // A link to the page with #discriminating-only opens the disagreements directly (no
  // element has that id, so the browser does not scroll to one).
  if (location.hash === "#discriminating-only") discriminating.checked = true;

  function detailOf(row) { return row.nextElementSibling; }

  function matches(row) {
    var text = filter.value.trim().toLowerCase();
    if (text && row.dataset.search.indexOf(text) < 0) return false;
    if (severity.value && row.dataset.severity !== severity.value) return false;
    if (level.value && level.value.split(" ").indexOf(row.dataset.level) < 0) return false;
    if (outcome.value && row.dataset.outcomes.split(" ").indexOf(outcome.value) < 0) return false;
    if (discriminating.checked && row.dataset.discriminating !== "1") return false;
    return true;
  }

  function apply() {
    var count = 0, byClass = {};
    rows.forEach(function (row) {
      var show = matches(row);
      row.hidden = !show;
      detailOf(row).hidden = !(show && row.classList.contains("open"));
      if (show) { count++; byClass[row.dataset.class] = (byClass[row.dataset.class] || 0) + 1; }
    });
    groups.forEach(function (g) {
      var n = byClass[g.dataset.class] || 0;
      g.hidden = sortKey !== null || n === 0;
      g.querySelector(".count").textContent = "(" + n + ")";
    });
    shown.textContent = "Showing " + count + " of " + rows.length + " cases";
    table.dataset.shown = String(count);
  }

  function key(row, k) {
    if (k === "id" || k === "expected" || k === "level") return row.dataset[k];
    if (k === "severity") return Number(row.dataset.rank);
    return Number(row.cells[Number(k)].dataset.rank);
  }

  function sortBy(k, th) {
    if (sortKey === k) { sortDir = -sortDir; } else { sortKey = k; sortDir = 1; }
    table.querySelectorAll("thead th").forEach(function (h) { h.classList.remove("asc", "desc"); });
    th.classList.add(sortDir > 0 ? "asc" : "desc");
    var sorted = rows.slice().sort(function (a, b) {
      var x = key(a, k), y = key(b, k);
      if (x < y) return -sortDir;
      if (x > y) return sortDir;
      return a.dataset.id < b.dataset.id ? -1 : 1;
    });
    sorted.forEach(function (row) { var d = detailOf(row); body.appendChild(row); body.appendChild(d); });
    apply();
  }

  function resetSort() {
    sortKey = null;
    table.querySelectorAll("thead th").forEach(function (h) { h.classList.remove("asc", "desc"); });
    var g = 0;
    original.forEach(function (row) {
      var d = detailOf(row);
      while (g < groups.length && groups[g].dataset.class === row.dataset.class) { body.appendChild(groups[g]); g++; }
      body.appendChild(row); body.appendChild(d);
    });
    apply();
  }

  table.querySelectorAll("thead th[data-sort]").forEach(function (th) {
    th.addEventListener("click", function () { sortBy(th.dataset.sort, th); });
  });
  document.getElementById("reset").addEventListener("click", resetSort);
  rows.forEach(function (row) {
    var button = row.querySelector("button.toggle");
    button.addEventListener("click", function () {
      var open = row.classList.toggle("open");
      button.setAttribute("aria-expanded", String(open));
      button.textContent = open ? "\u25be" : "\u25b8";
      detailOf(row).hidden = !open;
    });
  });
  [filter, severity, level, outcome, discriminating].forEach(function (el) {
    el.addEventListener("input", apply);
    el.addEventListener("change", apply);
  });
  apply();
})();
"##;

/// Sort rank of a cell: failures first, so sorting a verifier's column puts its
/// problems at the top.
fn cell_rank(cell: &Cell) -> u8 {
    match cell.key() {
        "fail" => 0,
        "unexpected_pass" => 1,
        "expected_failure" => 2,
        "unconfirmed" => 3,
        "informational" => 4,
        "pass" => 5,
        "skipped" => 6,
        _ => 7,
    }
}

fn cell_title(cell: &Cell, verifier: &str) -> String {
    let mut title = format!("{verifier}: {}", cell.label());
    if let Some(v) = cell.verdict {
        let _ = write!(title, " · {}", v.as_str());
    }
    if !cell.detail.is_empty() {
        let _ = write!(title, " — {}", cell.detail);
    }
    if let Some(w) = &cell.warning {
        let _ = write!(title, " (warning: {w})");
    }
    escape(&cut(&title, MAX_TITLE))
}

fn write_row(out: &mut String, matrix: &Matrix, row: &Row) {
    let columns = 4 + matrix.verifiers.len();
    let outcomes: Vec<&str> = {
        let mut o: Vec<&str> = row.cells.iter().map(Cell::key).collect();
        o.sort_unstable();
        o.dedup();
        o
    };
    let search = format!(
        "{} {} {} {}",
        row.id,
        row.title,
        row.refs.join(" "),
        row.cves.join(" ")
    )
    .to_lowercase();
    // The advisories behind a case are shown under its title when a verifier failed it.
    let failed = row
        .cells
        .iter()
        .any(|c| matches!(c.outcome, Some(Outcome::Fail | Outcome::ExpectedFailure)));
    let advisories = match (failed, row.cves.is_empty()) {
        (true, false) => format!("<div class=\"cves\">{}</div>", escape(&row.cves.join(", "))),
        _ => String::new(),
    };
    let _ = write!(
        out,
        "<tr class=\"case\" data-id=\"{id}\" data-class=\"{class}\" data-severity=\"{sev}\" \
         data-level=\"{level}\" data-rank=\"{rank}\" data-expected=\"{exp}\" \
         data-discriminating=\"{disc}\" data-outcomes=\"{outcomes}\" data-search=\"{search}\">\
         <td class=\"case\"><button class=\"toggle\" type=\"button\" aria-expanded=\"false\" \
         title=\"details\">\u{25b8}</button> <code>{id}</code><div class=\"title\">{title}</div>{advisories}</td>\
         <td class=\"sev-{sev}\">{sev}</td><td title=\"{basis}\">{level}</td><td>{exp}</td>",
        level = row.level,
        basis = escape(&row.basis),
        id = escape(&row.id),
        class = escape(&row.class),
        sev = row.severity,
        rank = row.severity.rank(),
        exp = escape(&row.expected),
        disc = u8::from(row.discriminating),
        outcomes = outcomes.join(" "),
        search = escape(&search),
        title = escape(&row.title),
    );
    for (cell, v) in row.cells.iter().zip(&matrix.verifiers) {
        let verdict = match (cell.ran(), cell.verdict) {
            (true, Some(v)) => format!("<small>{}</small>", v.as_str()),
            _ => String::new(),
        };
        let _ = write!(
            out,
            "<td class=\"cell {key}\" data-rank=\"{rank}\" title=\"{title}\">{label}{verdict}</td>",
            key = cell.key(),
            rank = cell_rank(cell),
            title = cell_title(cell, &v.adapter.name),
            label = cell.label(),
        );
    }
    let _ = write!(
        out,
        "</tr>\n<tr class=\"detail\" hidden><td colspan=\"{columns}\"><dl><dt>refs</dt><dd>{refs}</dd>\
         <dt>cves</dt><dd>{cves}</dd><dt>level</dt><dd>{level} ({basis})</dd>",
        refs = escape(&row.refs.join(", ")),
        cves = escape(&if row.cves.is_empty() {
            "none known".to_string()
        } else {
            row.cves.join(", ")
        }),
        level = row.level,
        basis = escape(&row.basis)
    );
    for (cell, v) in row.cells.iter().zip(&matrix.verifiers) {
        let mut text = cell.label().to_string();
        if let Some(verdict) = cell.verdict {
            let _ = write!(text, " · {}", verdict.as_str());
        }
        if !cell.detail.is_empty() {
            let _ = write!(text, ": {}", cut(&cell.detail, MAX_DETAIL));
        }
        if let Some(w) = &cell.warning {
            let _ = write!(text, "\nwarning: {w}");
        }
        let _ = write!(
            out,
            "<dt>{}</dt><dd>{}</dd>",
            escape(&v.adapter.name),
            escape(&text)
        );
    }
    let _ = writeln!(out, "</dl></td></tr>");
}

/// The whole page. With `matrix.discriminating_only` the toggle starts checked; every
/// row is in the page either way, so the reader can switch views.
pub(crate) fn render(matrix: &Matrix) -> String {
    let mut out = String::new();
    let names: Vec<String> = matrix
        .verifiers
        .iter()
        .map(|v| escape(&v.adapter.name))
        .collect();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>jwt-conformance: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        names.join(" vs ")
    );
    let _ = writeln!(
        out,
        "<h1>JWT verifier comparison</h1>\n<p class=\"lead\">jwt-conformance {}: {} cases, {} \
         verifiers; they disagree on {} cases.</p>",
        escape(&matrix.tool.version),
        matrix.total_cases,
        matrix.verifiers.len(),
        matrix.discriminating_cases
    );
    if let Some(command) = &matrix.invocation {
        let _ = writeln!(
            out,
            "<p class=\"lead\">Made with <code>{}</code></p>",
            escape(command)
        );
    }
    let _ = write!(
        out,
        "<h2>Verifiers</h2>\n<table class=\"summary\">\n<thead><tr><th>verifier</th><th>version</th>\
         <th>clock</th><th>passed</th><th>failed</th><th>expected</th><th>stale</th>\
         <th>unconfirmed</th><th>info</th><th>skipped</th>"
    );
    for level in Level::ALL {
        let _ = write!(out, "<th>{level} failures</th>");
    }
    for s in Severity::ALL {
        let _ = write!(out, "<th>{s} failures</th>");
    }
    let _ = writeln!(out, "</tr></thead>\n<tbody>");
    for (v, name) in matrix.verifiers.iter().zip(&names) {
        let s = &v.summary;
        let _ = write!(
            out,
            "<tr><th>{name}</th><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td>",
            escape(&v.adapter.version),
            escape(&v.adapter.clock),
            s.passed,
            s.failed,
            s.expected_failures,
            s.unexpected_passes,
            s.unconfirmed,
            s.informational,
            s.skipped
        );
        for level in Level::ALL {
            let n = s.failed_by_level.get(&level).copied().unwrap_or(0);
            let hot = n > 0 && level != Level::Strict;
            let _ = write!(
                out,
                "<td class=\"n{}\">{n}</td>",
                if hot { " hot" } else { "" }
            );
        }
        for severity in Severity::ALL {
            let n = v.failed(severity);
            let hot = n > 0 && matches!(severity, Severity::Critical | Severity::High);
            let _ = write!(
                out,
                "<td class=\"n{}\">{n}</td>",
                if hot { " hot" } else { "" }
            );
        }
        let _ = writeln!(out, "</tr>");
    }
    let _ = writeln!(
        out,
        "</tbody>\n</table>\n<p class=\"lead\">\"failed\" counts unexpected failures, \"expected\" \
         failures listed in the adapter's manifest; the level and severity columns count both. \
         \"unconfirmed\" counts rejections whose valid control was rejected too; \"info\" counts \
         deviations the RFCs permit, at levels the run does not score.</p>"
    );
    let processes: Vec<String> = matrix
        .verifiers
        .iter()
        .zip(&names)
        .filter_map(|(v, name)| {
            let command = v.command.as_ref()?;
            Some(format!("<li>{name}: <code>{}</code></li>", escape(command)))
        })
        .collect();
    if !processes.is_empty() {
        let _ = writeln!(
            out,
            "<p>Verifier processes:</p>\n<ul class=\"commands\">{}</ul>",
            processes.concat()
        );
    }
    let _ = write!(
        out,
        "<h2>Cases</h2>\n<div class=\"controls\" id=\"controls\" hidden>\
         <label>Filter <input id=\"filter\" type=\"search\" placeholder=\"id, title or reference\"></label>\
         <label>Severity <select id=\"severity\"><option value=\"\">all</option>"
    );
    for s in Severity::ALL {
        let _ = write!(out, "<option value=\"{s}\">{s}</option>");
    }
    let _ = writeln!(
        out,
        "</select></label><label>Level <select id=\"level\"><option value=\"\">all</option>\
         <option value=\"rfc bcp\">rfc + bcp</option><option value=\"rfc\">rfc</option>\
         <option value=\"bcp\">bcp</option><option value=\"strict\">strict</option></select></label>\
         <label>Outcome <select id=\"outcome\"><option value=\"\">any</option>\
         <option value=\"fail\">a verifier fails</option>\
         <option value=\"expected_failure\">an expected failure</option>\
         <option value=\"unexpected_pass\">a stale manifest entry</option>\
         <option value=\"unconfirmed\">an unconfirmed rejection</option>\
         <option value=\"informational\">a permitted deviation</option>\
         <option value=\"skipped\">a verifier skips</option></select></label>\
         <label><input type=\"checkbox\" id=\"discriminating\"{}> discriminating only</label>\
         <button type=\"button\" id=\"reset\">group by class</button>\
         <span id=\"shown\" aria-live=\"polite\"></span></div>",
        if matrix.discriminating_only {
            " checked"
        } else {
            ""
        }
    );
    let columns = 4 + matrix.verifiers.len();
    let _ = write!(
        out,
        "<table id=\"matrix\">\n<thead><tr><th data-sort=\"id\">case</th>\
         <th data-sort=\"severity\">severity</th><th data-sort=\"level\">level</th>\
         <th data-sort=\"expected\">expected</th>"
    );
    for (i, name) in names.iter().enumerate() {
        let _ = write!(out, "<th data-sort=\"{}\">{name}</th>", i + 4);
    }
    let _ = writeln!(out, "</tr></thead>\n<tbody>");
    for (class, rows) in matrix.by_class() {
        let _ = writeln!(
            out,
            "<tr class=\"group\" data-class=\"{c}\"><th colspan=\"{columns}\">{c} \
             <span class=\"count\">({n})</span></th></tr>",
            c = escape(class),
            n = rows.len()
        );
        for row in rows {
            write_row(&mut out, matrix, row);
        }
    }
    let _ = writeln!(
        out,
        "</tbody>\n</table>\n<script>{SCRIPT}</script>\n</body>\n</html>"
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::matrix::tests::{report, result, sample};
    use jwt_conformance::outcome::{Outcome, VerdictLabel};

    /// Every value of `attr="…"` in the page.
    fn attribute_values<'a>(page: &'a str, attr: &str) -> Vec<&'a str> {
        let needle = format!("{attr}=\"");
        page.match_indices(&needle)
            .map(|(i, _)| {
                let rest = &page[i + needle.len()..];
                &rest[..rest.find('"').unwrap()]
            })
            .collect()
    }

    #[test]
    fn the_page_loads_nothing_from_the_network() {
        let mut r = result("x/y", Severity::Low, Outcome::Fail, VerdictLabel::Accepted);
        r.refs = vec!["https://example.invalid/spec".to_string()];
        r.detail = "fetched https://evil.invalid/jwks".to_string();
        let page = render(&Matrix::new(&[report("a", vec![r])]));
        for attr in ["src", "href", "action", "srcset", "poster", "data"] {
            for value in attribute_values(&page, attr) {
                assert!(
                    !value.contains("http:")
                        && !value.contains("https:")
                        && !value.starts_with("//"),
                    "{attr}={value}"
                );
            }
        }
        let lower = page.to_lowercase();
        for marker in [
            "@import",
            "url(",
            "<link",
            "<iframe",
            "<img",
            "fetch(",
            "xmlhttprequest",
        ] {
            assert!(!lower.contains(marker), "page contains {marker}");
        }
        // The reference is still shown, as text.
        assert!(page.contains("<dd>https://example.invalid/spec</dd>"));
    }

    #[test]
    fn free_text_is_escaped() {
        let mut r = result("x/y", Severity::Low, Outcome::Fail, VerdictLabel::Accepted);
        r.title = "<b>bold</b> & \"quoted\"".to_string();
        r.detail = "</script><script>alert(1)</script>".to_string();
        let page = render(&Matrix::new(&[report("<i>lib</i>", vec![r])]));
        assert!(page.contains("&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;"));
        assert!(page.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("<th>&lt;i&gt;lib&lt;/i&gt;</th>"));
        assert_eq!(
            page.matches("<script>").count(),
            1,
            "only the page's own script"
        );
        assert!(!page.contains("<b>bold"));
    }

    #[test]
    fn a_failed_row_names_its_advisories_under_the_title() {
        let mut failed = result(
            "alg-none/b",
            Severity::Critical,
            Outcome::Fail,
            VerdictLabel::Accepted,
        );
        failed.cves = vec!["CVE-2015-9235".to_string()];
        let mut passed = result(
            "alg-none/c",
            Severity::Critical,
            Outcome::Pass,
            VerdictLabel::Rejected,
        );
        passed.cves = vec!["CVE-2022-23540".to_string()];
        let page = render(&Matrix::new(&[report("alpha", vec![failed, passed])]));
        assert!(
            page.contains("<div class=\"cves\">CVE-2015-9235</div>"),
            "{page}"
        );
        // A passing row keeps them in its details and its search text only.
        assert!(!page.contains("<div class=\"cves\">CVE-2022-23540"));
        assert!(page.contains("<dt>cves</dt><dd>CVE-2022-23540</dd>"));
        assert!(page.contains("cve-2022-23540"));
    }

    #[test]
    fn the_table_has_a_row_per_case_a_cell_per_verifier_and_a_detail_row() {
        let page = render(&sample());
        assert_eq!(page.matches("<tr class=\"case\"").count(), 4);
        assert_eq!(page.matches("<tr class=\"detail\" hidden>").count(), 4);
        assert_eq!(page.matches("<tr class=\"group\"").count(), 2);
        assert_eq!(page.matches("<td class=\"cell ").count(), 8);
        assert_eq!(
            attribute_values(&page, "data-discriminating"),
            ["0", "1", "0", "1"]
        );
        // The verdict on hover.
        assert!(page.contains("title=\"alpha: FAIL · accepted — accepted for alg-none/b\""));
        assert!(page.contains("title=\"beta: FAIL · timed_out — timed_out for time/d\""));
        assert!(!page.contains("id=\"discriminating\" checked"));
        assert!(render(&sample().discriminating()).contains("id=\"discriminating\" checked"));
    }

    #[test]
    fn long_details_are_cut() {
        let mut r = result("x/y", Severity::Low, Outcome::Fail, VerdictLabel::Accepted);
        r.detail = "x".repeat(50 * MAX_DETAIL);
        let page = render(&Matrix::new(&[report("a", vec![r])]));
        assert!(page.len() < 10 * MAX_DETAIL, "{}", page.len());
        assert!(page.contains(&format!("{}…", "x".repeat(MAX_DETAIL - 20))));
    }
}
