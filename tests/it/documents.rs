//! The documents people read: the recorded macOS, Windows and Linux machines rendered as PDF,
//! HTML and Markdown and read back with the tools a reader has (poppler, headless Chromium, an
//! HTML5 parser); the signature checked with `confide verify`; bad input refused cleanly.
#![allow(clippy::disallowed_methods)] // the tests run poppler and Chromium themselves

use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use confide::system::snapshot::Snapshot;
use predicates::prelude::PredicateBooleanExt;
use serde_json::Value;

use crate::common::{self, confide, live_prerequisite, write_snapshot};
use crate::machines::{macos_siri_on, recorded, windows_clean};

const NAME: &str = "Jane Example";

fn machines() -> Vec<(&'static str, Snapshot)> {
    vec![
        ("macos", macos_siri_on()),
        ("windows", windows_clean()),
        ("linux", recorded("machine-debian12-mycroft.json")),
    ]
}

/// The complete test profile, with who the practitioner is added by `confide init`.
fn profile(dir: &Path) -> PathBuf {
    let path = dir.join("profile.toml");
    std::fs::copy(common::complete_profile(), &path).unwrap();
    confide(dir)
        .args(["--profile"])
        .arg(&path)
        .args([
            "init",
            "--name",
            NAME,
            "--membership",
            "BACP 012345",
            "--supervisor",
            "Sam Supervisor",
        ])
        .assert()
        .success();
    path
}

/// A folder holding a profile and one recorded machine.
struct Desk {
    dir: tempfile::TempDir,
    profile: PathBuf,
    machine: PathBuf,
}

impl Desk {
    fn new(snapshot: &Snapshot) -> Desk {
        let dir = tempfile::tempdir().unwrap();
        let profile = profile(dir.path());
        let machine = write_snapshot(dir.path(), "machine.json", snapshot);
        Desk { dir, profile, machine }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn confide(&self) -> assert_cmd::Command {
        let mut cmd = confide(self.dir.path());
        cmd.arg("--profile").arg(&self.profile);
        cmd
    }

    /// `confide scan --format FORMAT --output NAME` of the machine.
    fn scan(&self, format: &str, name: &str, extra: &[&str]) -> PathBuf {
        let out = self.path(name);
        let result = self
            .confide()
            .args(["scan", "--replay"])
            .arg(&self.machine)
            .args(["--format", format, "--output"])
            .arg(&out)
            .args(extra)
            .output()
            .unwrap();
        assert!(
            matches!(result.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&result.stderr)
        );
        out
    }
}

fn tool(name: &str) -> bool {
    live_prerequisite(which::which(name).is_ok(), name)
}

fn run(program: &str, args: &[&str]) -> Output {
    let out = Command::new(program).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Text with every run of white space made one space, so wrapped lines compare as written.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn clause_quotes(report: &Value) -> Vec<String> {
    let mut quotes: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["guidance"].as_array().unwrap().iter())
        .chain(report["not_assessed"].as_array().unwrap())
        .map(|g| g["quote"].as_str().unwrap().to_string())
        .collect();
    quotes.sort();
    quotes.dedup();
    quotes
}

fn needing_attention(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !matches!(f["status"].as_str(), Some("pass" | "skipped")))
        .map(|f| f["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_recorded_machine_as_a_pdf_a_supervisor_can_read_and_check() {
    if !tool("pdftotext") {
        return;
    }
    let artefacts = Path::new(env!("CARGO_TARGET_TMPDIR"));
    for (os, machine) in machines() {
        let desk = Desk::new(&machine);
        let json_path = desk.scan("json", "report.json", &[]);
        let json = std::fs::read(&json_path).unwrap();
        let report: Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(report["practitioner"]["name"], NAME, "{os}");

        // Rendered again from the JSON: the attachment is the JSON byte for byte.
        let pdf = desk.path("report.pdf");
        desk.confide()
            .args(["report", "--from"])
            .arg(&json_path)
            .args(["--format", "pdf", "--output"])
            .arg(&pdf)
            .assert()
            .success();
        let pdf_s = pdf.to_str().unwrap();

        let text = words(&String::from_utf8(run("pdftotext", &[pdf_s, "-"]).stdout).unwrap());
        assert!(text.contains(NAME), "{os}: {text}");
        assert!(
            text.contains("BACP 012345") && text.contains("Page 1 of"),
            "{os}: {text}"
        );
        for quote in clause_quotes(&report) {
            assert!(
                text.contains(&words(&quote)),
                "{os}: clause “{quote}” is not in the PDF:\n{text}"
            );
        }
        let attention = needing_attention(&report);
        assert!(!attention.is_empty(), "{os}: the machine has something to fix");
        for title in attention {
            assert!(text.contains(&title), "{os}: finding “{title}” is not in the PDF");
        }
        // Every finding is named, the ones in order too, so the supervisor sees what was checked.
        for f in report["findings"].as_array().unwrap() {
            let title = words(f["title"].as_str().unwrap());
            if f["status"] != "skipped" {
                assert!(text.contains(&title), "{os}: finding “{title}” is not in the PDF");
            }
        }
        assert!(
            !text.contains("sudo") && !text.contains('`'),
            "{os}: the supervisor's copy holds no commands: {text}"
        );

        let fonts = String::from_utf8(run("pdffonts", &[pdf_s]).stdout).unwrap();
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{os}: {fonts}");
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            assert_eq!(cols[cols.len() - 5], "yes", "{os}: a font is not embedded: {row}");
        }

        let detached = desk.path("detached.json");
        run(
            "pdfdetach",
            &["-savefile", "report.json", "-o", detached.to_str().unwrap(), pdf_s],
        );
        assert_eq!(
            std::fs::read(&detached).unwrap(),
            json,
            "{os}: the attached report differs"
        );

        let page = artefacts.join(format!("report-{os}"));
        run(
            "pdftoppm",
            &[
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                pdf_s,
                page.to_str().unwrap(),
            ],
        );
        let png = std::fs::metadata(page.with_extension("png")).unwrap().len();
        assert!(png > 20_000, "{os}: page 1 looks blank ({png} bytes)");

        desk.confide().arg("verify").arg(&pdf).assert().code(0);
    }
}

#[test]
fn a_scan_writes_a_signed_pdf_with_metadata_and_redact_leaves_names_out() {
    if !tool("pdfinfo") {
        return;
    }
    let desk = Desk::new(&windows_clean());
    let pdf = desk.scan("pdf", "report.pdf", &[]);
    let info = String::from_utf8(run("pdfinfo", &[pdf.to_str().unwrap()]).stdout).unwrap();
    assert!(info.contains(&format!("Author:          {NAME}")), "{info}");
    assert!(
        info.contains("Title:           Computer security report: Jane Example"),
        "{info}"
    );
    assert!(
        info.contains("A4") && info.contains("CreationDate:    Sun Nov 22 12:00:00 2026 UTC"),
        "{info}"
    );
    let list = String::from_utf8(run("pdfdetach", &["-list", pdf.to_str().unwrap()]).stdout).unwrap();
    assert!(
        list.contains("report.json.minisig") && list.contains("confide-key.pub"),
        "{list}"
    );

    let redacted = desk.scan("pdf", "redacted.pdf", &["--redact"]);
    let text = String::from_utf8(run("pdftotext", &[redacted.to_str().unwrap(), "-"]).stdout).unwrap();
    assert!(!text.contains(NAME) && !text.contains("Sam Supervisor") && !text.contains("practice-laptop"));
    let info = String::from_utf8(run("pdfinfo", &[redacted.to_str().unwrap()]).stdout).unwrap();
    assert!(!info.contains(NAME), "{info}");
}

/// Chromium's own traffic (clock, updates, accounts), which the page has no part in.
const CHROMIUM_OWN: [&str; 3] = ["google.com", "googleapis.com", "gvt1.com"];

/// Chromium opens `file` with every request sent to a proxy that notes it; returns the requests
/// the page made (Chromium's own left out), the console lines logged and the screenshot's size.
fn chromium(file: &Path, shot: &Path) -> (Vec<String>, Vec<String>, u64) {
    let proxy = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = proxy.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for mut conn in proxy.incoming().flatten() {
            let mut buf = [0u8; 512];
            let n = conn.read(&mut buf).unwrap_or(0);
            let line = String::from_utf8_lossy(&buf[..n])
                .lines()
                .next()
                .unwrap_or("")
                .to_string();
            log.lock().unwrap().push(line);
        }
    });
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=2000",
        ])
        .arg(format!("--proxy-server=http://127.0.0.1:{port}"))
        .arg("--proxy-bypass-list=<-loopback>")
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1200,1600")
        .arg(format!("file://{}", file.display()))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let console = stderr
        .lines()
        .filter(|l| l.contains("CONSOLE"))
        .map(str::to_string)
        .collect();
    let size = std::fs::metadata(shot).map(|m| m.len()).unwrap_or(0);
    let requests = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|line| {
            let host = line
                .split_whitespace()
                .nth(1)
                .unwrap_or("")
                .trim_start_matches("http://")
                .split(['/', ':'])
                .next()
                .unwrap_or("")
                .to_string();
            !CHROMIUM_OWN
                .iter()
                .any(|own| host == *own || host.ends_with(&format!(".{own}")))
        })
        .cloned()
        .collect();
    (requests, console, size)
}

#[test]
fn every_recorded_machine_as_html_loads_offline_without_errors_and_parses_as_html5() {
    if !tool("chromium") || !live_prerequisite(html5lib(), "python3-html5lib") {
        return;
    }
    // The harness sees what it must reject: a page that calls out and logs an error.
    let control_dir = tempfile::tempdir().unwrap();
    let control = control_dir.path().join("control.html");
    std::fs::write(
        &control,
        "<!DOCTYPE html><title>x</title><img src=\"http://example.invalid/x.png\"><script>console.error('boom')</script>",
    )
    .unwrap();
    let (requests, console, _) = chromium(&control, &control_dir.path().join("control.png"));
    assert!(
        requests.iter().any(|r| r.contains("example.invalid")) && !console.is_empty(),
        "the harness must notice requests ({requests:?}) and console errors ({console:?})"
    );

    for (os, machine) in machines() {
        let desk = Desk::new(&machine);
        let html = desk.scan("html", "report.html", &[]);
        let text = std::fs::read_to_string(&html).unwrap();
        assert!(text.contains(NAME), "{os}");
        assert!(
            !text.contains("<script") && !text.contains(" src="),
            "{os}: nothing loads"
        );

        let (requests, console, shot) = chromium(&html, &desk.path("report.png"));
        assert!(
            requests.is_empty(),
            "{os}: the page made network requests: {requests:?}"
        );
        assert!(console.is_empty(), "{os}: console: {console:?}");
        assert!(shot > 30_000, "{os}: the screenshot looks blank ({shot} bytes)");

        let parsed = Command::new("/usr/bin/python3")
            .args([
                "-c",
                "import sys, html5lib; html5lib.HTMLParser(strict=True).parse(open(sys.argv[1], 'rb'))",
            ])
            .arg(&html)
            .output()
            .unwrap();
        assert!(
            parsed.status.success(),
            "{os}: not valid HTML5: {}",
            String::from_utf8_lossy(&parsed.stderr)
        );
    }
}

fn html5lib() -> bool {
    Command::new("/usr/bin/python3")
        .args(["-c", "import html5lib"])
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn markdown_of_the_linux_machine() {
    let desk = Desk::new(&recorded("machine-debian12-mycroft.json"));
    let md = desk.scan("markdown", "report.md", &["--redact"]);
    let text = std::fs::read_to_string(md).unwrap();
    insta::assert_snapshot!("linux-mycroft-markdown", text);
}

#[test]
fn the_practitioners_html_keeps_the_commands_and_the_supervisors_markdown_does_not() {
    let desk = Desk::new(&recorded("machine-debian12-mycroft.json"));
    let html = std::fs::read_to_string(desk.scan("html", "r.html", &[])).unwrap();
    assert!(
        html.contains("<code>sudo "),
        "the practitioner's copy keeps the commands"
    );
    let md = std::fs::read_to_string(desk.scan("markdown", "r.md", &[])).unwrap();
    assert!(!md.contains("sudo") && md.contains("practitioner's own copy"), "{md}");
    let md = std::fs::read_to_string(desk.scan("markdown", "p.md", &["--audience", "practitioner"])).unwrap();
    assert!(md.contains("`sudo "), "{md}");
}

/// Flips one byte of a file at `at` (counted from the end when negative) to another printable one.
fn flip(path: &Path, at: isize) {
    let mut bytes = std::fs::read(path).unwrap();
    let i = if at < 0 {
        bytes.len() - at.unsigned_abs()
    } else {
        at as usize
    };
    bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn verify_passes_a_fresh_report_and_fails_a_changed_one_or_another_key() {
    let desk = Desk::new(&windows_clean());
    let json = desk.scan("json", "report.json", &["--sign"]);
    let sig = desk.path("report.json.minisig");
    desk.confide()
        .arg("verify")
        .arg(&json)
        .assert()
        .code(0)
        .stdout(predicates::str::contains("is unchanged").and(predicates::str::contains("does not prove")));

    // The public key a supervisor was given once.
    let shown = desk.confide().args(["key", "show"]).output().unwrap();
    let shown = String::from_utf8(shown.stdout).unwrap();
    let line = shown.lines().find(|l| l.starts_with("RW")).unwrap().to_string();
    desk.confide()
        .args(["verify", "--key", &line])
        .arg(&json)
        .assert()
        .code(0);

    let original = std::fs::read(&json).unwrap();
    flip(&json, 40);
    desk.confide()
        .arg("verify")
        .arg(&json)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("changed after it was signed"));
    std::fs::write(&json, &original).unwrap();

    // One byte of the signature itself (inside the base64 line of the signature).
    let sig_text = std::fs::read_to_string(&sig).unwrap();
    let line_start = sig_text.find('\n').unwrap() + 1;
    let original_sig = sig_text.clone();
    flip(&sig, (line_start + 20) as isize);
    desk.confide().arg("verify").arg(&json).assert().code(1);
    std::fs::write(&sig, original_sig).unwrap();

    // Another practitioner's key.
    let other = tempfile::tempdir().unwrap();
    let other_key = confide(other.path()).args(["key", "show"]).output().unwrap();
    let other_line = String::from_utf8(other_key.stdout)
        .unwrap()
        .lines()
        .find(|l| l.starts_with("RW"))
        .unwrap()
        .to_string();
    desk.confide()
        .args(["verify", "--key", &other_line])
        .arg(&json)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("different key"));

    // A PDF checked with another key fails too.
    let pdf = desk.scan("pdf", "report.pdf", &[]);
    desk.confide().arg("verify").arg(&pdf).assert().code(0);
    desk.confide()
        .args(["verify", "--key", &other_line])
        .arg(&pdf)
        .assert()
        .code(1);
}

#[test]
fn bad_input_is_named_with_its_fix_and_nothing_half_written() {
    let desk = Desk::new(&windows_clean());
    let json = desk.scan("json", "report.json", &[]);

    // A report from a newer confide.
    let newer = desk.path("newer.json");
    let text = std::fs::read_to_string(&json)
        .unwrap()
        .replace("confide-report/1", "confide-report/2");
    std::fs::write(&newer, text).unwrap();
    desk.confide()
        .args(["report", "--format", "markdown", "--from"])
        .arg(&newer)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("newer.json").and(predicates::str::contains("update confide")));

    // Counts edited by hand (every count zero, the overall made "unknown"): refused, where
    // the documents' verdict used to subtract past zero and panic.
    let mut edited: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    for (_, count) in edited["counts"].as_object_mut().unwrap() {
        *count = 0.into();
    }
    edited["overall"] = "unknown".into();
    let edited_path = desk.path("edited.json");
    std::fs::write(&edited_path, edited.to_string()).unwrap();
    for format in ["markdown", "pdf", "html", "terminal"] {
        desk.confide()
            .args(["report", "--format", format, "--from"])
            .arg(&edited_path)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("do not match its findings"));
    }

    // The report being read, given again as the output (through another spelling of its
    // path): refused, and the report is left as it was.
    let before = std::fs::read(&json).unwrap();
    let same = json.parent().unwrap().join(".").join(json.file_name().unwrap());
    desk.confide()
        .args(["report", "--format", "json", "--from"])
        .arg(&json)
        .arg("--output")
        .arg(&same)
        .assert()
        .code(3)
        .stderr(predicates::str::contains("same file as the input"));
    assert_eq!(std::fs::read(&json).unwrap(), before);

    // A damaged PDF, a PDF with no report, a JSON report without its signature.
    let pdf = desk.scan("pdf", "report.pdf", &[]);
    let bytes = std::fs::read(&pdf).unwrap();
    let damaged = desk.path("damaged.pdf");
    std::fs::write(&damaged, &bytes[..bytes.len() / 3]).unwrap();
    desk.confide()
        .arg("verify")
        .arg(&damaged)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("damaged.pdf"));
    let plain = desk.path("plain.pdf");
    // pdftocairo draws the pages into a new PDF, without the attachments.
    if tool("pdftocairo") {
        run(
            "pdftocairo",
            &[
                "-pdf",
                "-f",
                "1",
                "-l",
                "1",
                pdf.to_str().unwrap(),
                plain.to_str().unwrap(),
            ],
        );
        desk.confide()
            .arg("verify")
            .arg(&plain)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("carries no confide report"));
    }
    desk.confide()
        .arg("verify")
        .arg(&json)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("report.json.minisig"));

    // A JSON report and its signature, and no key to check them with.
    let stranger = tempfile::tempdir().unwrap();
    confide(stranger.path())
        .arg("verify")
        .arg(desk.scan("json", "signed.json", &["--sign"]))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--key"));

    // An output folder that does not exist: exit 3, and no file anywhere.
    let missing = desk.path("no-such-folder").join("report.pdf");
    desk.confide()
        .args(["report", "--format", "pdf", "--from"])
        .arg(&json)
        .arg("--output")
        .arg(&missing)
        .assert()
        .code(3)
        .stderr(predicates::str::contains("does not exist"));
    assert!(!desk.path("no-such-folder").exists());
    let leftovers: Vec<_> = std::fs::read_dir(desk.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A document made from a recording says so before its verdict, in every format a person
/// reads: a recording is a file that can be edited, and a supervisor must not take a signed
/// report of one for a check of the computer itself.
#[test]
fn a_document_made_from_a_recording_says_so_before_its_verdict() {
    let desk = Desk::new(&windows_clean());
    let said = "This report was made from a recording of a computer";
    let markdown = std::fs::read_to_string(desk.scan("markdown", "r.md", &[])).unwrap();
    let at = markdown.find(said).expect(&markdown);
    assert!(at < markdown.find("**Result:").unwrap(), "{markdown}");
    let html = std::fs::read_to_string(desk.scan("html", "r.html", &[])).unwrap();
    let at = html.find(said).expect(&html);
    assert!(at < html.find("class=\"verdict").unwrap());
    if tool("pdftotext") {
        let pdf = desk.scan("pdf", "r.pdf", &[]);
        let text = words(&String::from_utf8_lossy(
            &run("pdftotext", &[pdf.to_str().unwrap(), "-"]).stdout,
        ));
        let at = text.find(said).expect(&text);
        assert!(at < text.find("The guidance, clause by clause").unwrap(), "{text}");
    }
}
