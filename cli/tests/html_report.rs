//! The HTML comparison rendered by a real browser: headless Chromium loads the page from
//! disk (no network), runs its script, and the DOM it dumps must show the matrix, with
//! the row count the script computes. Chromium comes from the Debian package `chromium`,
//! which `.ci/run` installs; without it the test fails and says so.

mod common;

use common::{fixture, jwt_conformance, scratch, show};
use std::path::Path;
use std::process::Command;

/// The page's DOM after its script ran, as Chromium dumps it.
fn dump_dom(page: &Path, fragment: &str) -> String {
    let chromium = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|c| Command::new(c).arg("--version").output().is_ok())
        .expect("headless Chromium is needed: install it with `apt-get install -y chromium` (or run .ci/run)");
    let profile = scratch(&format!("chromium-profile{}", fragment.len()));
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}{fragment}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        output.status.success(),
        "chromium failed: {}",
        show(&output)
    );
    String::from_utf8(output.stdout).expect("the DOM is UTF-8")
}

/// The text of the element with `id`, from a dumped DOM.
fn text_of<'a>(dom: &'a str, id: &str) -> &'a str {
    let start = dom
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in the DOM"));
    let rest = &dom[start..];
    let open = rest.find('>').unwrap() + 1;
    let close = rest[open..].find('<').unwrap();
    &rest[open..open + close]
}

#[test]
fn chromium_shows_the_matrix_and_its_discriminating_view() {
    let dir = scratch("html");
    let page = dir.join("matrix.html");
    let output = jwt_conformance(&[
        "compare",
        "--strict",
        "--filter",
        "time/",
        "--exec",
        &fixture("stdlib_hs256.py"),
        "--adapter",
        "reference-lenient",
        "--out",
        &page.display().to_string(),
    ]);
    assert!(output.status.success(), "{}", show(&output));
    let html = std::fs::read_to_string(&page).unwrap();
    let rows = html.matches("<tr class=\"case\"").count();
    let disagreements = html.matches("data-discriminating=\"1\"").count();
    assert!(rows > 0 && disagreements > 0 && disagreements < rows);
    // The script fills these in; the page as written leaves them empty.
    assert_eq!(text_of(&html, "shown"), "");

    let dom = dump_dom(&page, "");
    assert_eq!(
        text_of(&dom, "shown"),
        format!("Showing {rows} of {rows} cases")
    );
    assert!(
        dom.contains(&format!("data-shown=\"{rows}\"")),
        "the script counted the rows"
    );
    assert!(
        dom.contains("<div class=\"controls\" id=\"controls\">"),
        "the script revealed the controls"
    );
    assert_eq!(dom.matches("<tr class=\"case\"").count(), rows);

    let dom = dump_dom(&page, "#discriminating-only");
    assert_eq!(
        text_of(&dom, "shown"),
        format!("Showing {disagreements} of {rows} cases")
    );
    // Agreeing rows are hidden, disagreeing ones shown.
    let hidden = dom
        .split("<tr class=\"case\"")
        .skip(1)
        .filter(|row| row[..row.find('>').unwrap()].contains(" hidden"))
        .count();
    assert_eq!(hidden, rows - disagreements);
}
