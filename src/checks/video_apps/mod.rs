//! ## What it checks
//! The video-calling programs installed on this computer (Zoom, Microsoft Teams, Skype, Webex,
//! VSee, Signal, WhatsApp, FaceTime) and their versions, against a dated table
//! (`policies/data/video-apps.toml`): a program its vendor has retired fails; one below the
//! vendor's published minimum version warns.
//!
//! ## Why it matters
//! The guidance asks for a secure platform for video work. A retired program gets no security
//! fixes; one below its vendor's minimum is missing fixes the vendor considers essential.
//!
//! ## What it cannot see
//! Platforms used in the browser (doxy.me, Zoom or Teams on the web), programs from the
//! Microsoft Store on Windows (the new Teams, today's WhatsApp), and whether the platform's
//! settings and data processing agreement suit client work: the `video-platform` attestation.

pub mod read;
pub mod table;

use super::CheckContext;
use super::kit::{BuiltinCheck, ScanTime, Verdict};
use crate::system::OsFamily;
use crate::words::join_names;
use read::{Found, Reading};
use table::{App, Table};

pub struct VideoApps;

crate::reasons! {
    /// Why the verdict is what it is (`video-apps.<code>`).
    pub enum Reason {
        EndOfLife: Fail "end-of-life" => "A video-calling program installed here has been retired by its maker and gets no security fixes.",
        BelowMinimum: Warn "below-minimum" => "A video-calling program is older than the lowest version its maker still supports.",
        Current: Pass "current" => "The video-calling programs found are supported and at or above their makers' minimum versions.",
        NoneFound: Pass "none-found" => "No video-calling program from confide's list is installed; a platform used in the browser is for you to confirm.",
        VersionUnreadable: Unknown "version-unreadable" => "A video-calling program was found, but its version could not be read to compare with its maker's minimum.",
        Unreadable: Unknown "unreadable" => "Which programs are installed could not be read.",
        NoTable: Unknown "no-table" => "confide's own table of video-calling programs could not be read.",
    }
}

/// What the machine said, with the OS it was read on (minimum versions differ per OS).
#[derive(Debug, Clone, PartialEq)]
pub struct Observed {
    pub os: OsFamily,
    pub reading: Reading,
}

impl BuiltinCheck for VideoApps {
    const ID: &'static str = "video-apps";
    type Limits = ();
    type Reason = Reason;
    type Reading = Option<Observed>;

    fn read(&self, ctx: &CheckContext<'_>) -> Option<Observed> {
        let table = table::table().ok()?;
        Some(Observed {
            os: ctx.system.os().family,
            reading: read::read(ctx.system, &table.apps),
        })
    }

    fn judge(&self, observed: Option<Observed>, _: &(), at: ScanTime) -> Verdict<Reason> {
        match (table::table(), observed) {
            (Ok(table), Some(observed)) => judge(table, &observed, at),
            (Err(e), _) => Verdict::new(Reason::NoTable, format!("confide's table of video programs is broken: {e}")),
            (Ok(_), None) => Verdict::new(Reason::NoTable, "confide's table of video programs could not be read."),
        }
    }
}

/// The line every verdict that lists programs ends with: the platform choice stays a judgement.
const CONFIRM: &str = "Whether your platform suits client work, and its data processing agreement, remain yours to confirm (the video-platform point).";

/// The verdict on what was found, as of the scan's day: a retired program fails even when
/// another could not be read; a program below its minimum warns; an unreadable source or
/// version is unknown; otherwise a pass listing what was found.
pub fn judge(table: &Table, observed: &Observed, at: ScanTime) -> Verdict<Reason> {
    let reading = &observed.reading;
    let mut evidence: Vec<String> = reading.found.iter().map(describe).collect();
    evidence.extend(reading.looked.iter().cloned());
    evidence.extend(reading.unreadable.iter().cloned());
    let made = format!("confide's table of video programs was made on {}", table.made);
    judge_found(table, observed, at, evidence).with_evidence([made])
}

/// [`judge`] without the table's date, which every verdict ends with: the first of retired,
/// below minimum, unversioned, unreadable that applies decides; otherwise none found or current.
fn judge_found(table: &Table, observed: &Observed, at: ScanTime, mut evidence: Vec<String>) -> Verdict<Reason> {
    let reading = &observed.reading;
    let verdict = retired(table, reading, at, &mut evidence)
        .or_else(|| below_minimum(table, observed, &mut evidence))
        .unwrap_or_else(|| all_found(reading));
    verdict.with_evidence(evidence)
}

/// The table's row for a program that was found.
fn row<'t>(table: &'t Table, found: &Found) -> Option<&'t App> {
    table.apps.iter().find(|a| a.name == found.app)
}

/// "is"/"are", "its"/"their", "it"/"them" for one name or several.
fn agree(names: &[String]) -> (&'static str, &'static str, &'static str) {
    if names.len() == 1 { ("is", "its", "it") } else { ("are", "their", "them") }
}

/// Fails when a program found was retired by its maker on or before the scan's day.
fn retired(table: &Table, reading: &Reading, at: ScanTime, evidence: &mut Vec<String>) -> Option<Verdict<Reason>> {
    let retired: Vec<&App> = reading
        .found
        .iter()
        .filter_map(|f| row(table, f))
        .filter(|a| a.end_of_life.is_some_and(|d| d <= at.today))
        .collect();
    if retired.is_empty() {
        return None;
    }
    for a in &retired {
        evidence.push(format!(
            "{} was retired on {}: {}",
            a.name,
            a.end_of_life.unwrap_or(at.today).strftime("%-d %B %Y"),
            a.eol_source.as_deref().unwrap_or("no source recorded")
        ));
    }
    let names = distinct(retired.iter().map(|a| a.name.clone()));
    let (is, its, _) = agree(&names);
    Some(Verdict::new(
        Reason::EndOfLife,
        format!(
            "{} {is} installed but retired by {its} maker, so it gets no security fixes: uninstall it and hold sessions on a supported platform.",
            join_names(&names),
        ),
    ))
}

/// Warns when a program is below its maker's minimum on this OS; unknown when a program with a
/// minimum has no readable version.
fn below_minimum(table: &Table, observed: &Observed, evidence: &mut Vec<String>) -> Option<Verdict<Reason>> {
    let mut old = Vec::new();
    let mut unversioned = Vec::new();
    for f in &observed.reading.found {
        let Some(a) = row(table, f) else { continue };
        let Some(minimum) = a.minimum_on(observed.os) else { continue };
        match f.version.as_deref().and_then(|v| table::is_below(v, minimum)) {
            Some(true) => {
                evidence.push(format!(
                    "{} {} is below {minimum}, the lowest version its maker supports on {}; source: {}",
                    a.name,
                    f.version.as_deref().unwrap_or_default(),
                    observed.os.display_name(),
                    a.minimum_source.as_deref().unwrap_or("no source recorded")
                ));
                old.push(a.name.clone());
            }
            Some(false) => {}
            None => unversioned.push(a.name.clone()),
        }
    }
    if !old.is_empty() {
        let old = distinct(old);
        let (is, their, them) = agree(&old);
        return Some(Verdict::new(
            Reason::BelowMinimum,
            format!(
                "{} {is} older than the lowest version {their} maker still supports: update {them} (Check for Updates in the app) or download the current version from the maker's website.",
                join_names(&old),
            ),
        ));
    }
    (!unversioned.is_empty()).then(|| {
        Verdict::new(
            Reason::VersionUnreadable,
            format!(
                "Found {}, but could not read which version, so could not compare it with its maker's minimum.",
                join_names(&distinct(unversioned))
            ),
        )
    })
}

/// Nothing retired or old: unknown if a source could not be read, else none found or current.
fn all_found(reading: &Reading) -> Verdict<Reason> {
    if !reading.unreadable.is_empty() {
        return Verdict::new(
            Reason::Unreadable,
            format!(
                "Could not read which video-calling programs are installed: {}.",
                reading.unreadable.join("; ")
            ),
        );
    }
    if reading.found.is_empty() {
        return Verdict::new(
            Reason::NoneFound,
            format!(
                "No video-calling program from confide's list is installed. If you hold sessions in the browser (doxy.me, Zoom or Teams on the web), that cannot be seen here. {CONFIRM}"
            ),
        );
    }
    let names = distinct(reading.found.iter().map(|f| match &f.version {
        Some(v) => format!("{} {v}", f.app),
        None => f.app.clone(),
    }));
    Verdict::new(
        Reason::Current,
        format!(
            "Found {}: none is retired or below its maker's minimum version. {CONFIRM}",
            join_names(&names)
        ),
    )
}

/// `Zoom Workplace 6.4.6 (53970) at /Applications/zoom.us.app`.
fn describe(f: &Found) -> String {
    match &f.version {
        Some(v) => format!("{} {v} ({})", f.app, f.source),
        None => format!("{}, version not recorded ({})", f.app, f.source),
    }
}

/// The names in order, each once.
fn distinct(names: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}
