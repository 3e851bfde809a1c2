//! ## What it checks
//! That an antivirus product is on this computer, that its real-time protection is on, and that
//! its definitions (the descriptions of known viruses it looks for) are fresh: Microsoft Defender
//! or any product registered with Windows Security on Windows; XProtect (built into macOS) and
//! known third-party products on macOS; ClamAV, Microsoft Defender for Endpoint and known
//! third-party products on Linux. It names the product, says whether it is on, and how many days
//! old its definitions are.
//!
//! ## Why it matters
//! The guidance asks for "suitable computer virus protection". A virus on the computer can read
//! or send out client notes and emails. Protection that is switched off, or that has not learned
//! about recent viruses, does not stop them.
//!
//! ## What it cannot see
//! How old a third-party product's definitions are when the product only shows itself by its
//! running process (the finding says "unknown" rather than guess), and whether a product is paid
//! for: the guidance's note about free products is shown whenever the only protection found is
//! free or built in (Microsoft Defender, XProtect, ClamAV). Exclusions are read for Microsoft
//! Defender on Windows, for Defender for Endpoint on macOS and Linux (`mdatp exclusion list`; an
//! empty answer is unknown, as no real sample of it was found) and for ClamAV (`ExcludePath` in
//! clamd.conf, each pattern tried on where notes live); third-party products' exclusions are not
//! read, so their pass does not cover them.
//! ClamAV counts as protecting only when its on-access scanner (`clamonacc`) runs beside `clamd`
//! and clamd.conf has it watch the user's home without leaving it, Documents or Desktop out
//! (`OnAccessIncludePath`/`OnAccessMountPath`, `OnAccessExcludePath`, `OnAccessExcludeUname`):
//! clamd alone scans only what it is asked to. Folders given to clamonacc on its command line
//! (`--watch-list`) are not seen, so a clamd.conf that names none is unknown.

use jiff::Timestamp;

use super::CheckContext;
use super::kit::{BuiltinCheck, ScanTime, Verdict};
use crate::status::Status;
use crate::system::{CommandOutput, OsFamily, RunOutcome};
use crate::words::{self, join_names};

mod clamav_conf;
pub mod exclusions;
pub mod linux;
pub mod macos;
pub mod mdatp;
mod vendors;
pub mod windows;

pub use linux::{CLAMAV_DB_DIR, CLAMAV_DB_DIR_ENV, ClamavHeader, parse_clamav_header};
pub use mdatp::{MdatpExclusion, parse_mdatp_exclusions, parse_mdatp_health};
pub use macos::{XPROTECT_PLISTS, XPROTECT_RECEIPT_PREFIX, parse_pkg_info, xprotect_receipt_ids};
pub use clamav_conf::{CLAMD_CONFS, ClamdConf, parse_clamd_conf};
pub use exclusions::Exclusions;
pub use windows::{
    DEFENDER_COMMAND, DEFENDER_EXCLUSIONS_COMMAND, SECURITY_CENTER_COMMAND, parse_exclusion_paths, parse_mp_status,
    parse_security_center,
};

pub struct Antivirus;

crate::limits! {
    /// The policy's limits on the definitions' age, in whole days.
    pub struct Limits {
        /// From the issue: definitions older than a week fail.
        max_definition_age_days: Days = 7, "fail when the antivirus definitions are more than this many whole days old";
        /// Tool choice: Defender and ClamAV fetch new definitions several times a day, so more
        /// than a day old means updates have stopped reaching this computer.
        warn_definition_age_days: Days = 1, "warn when the antivirus definitions are more than this many whole days old";
        /// Tool choice: Apple ships XProtect data only when it has new signatures, usually every
        /// one to a few weeks, so a week-old XProtect is normal; two months without one means
        /// updates are not arriving.
        xprotect_max_age_days: Days = 60, "fail when macOS's XProtect data is more than this many whole days old";
        /// Tool choice: a month without new XProtect data is worth a look.
        xprotect_warn_age_days: Days = 30, "warn when macOS's XProtect data is more than this many whole days old";
    }
}

crate::reasons! {
    /// Why the verdict is what it is (`antivirus.<code>`).
    pub enum Reason {
        Protected: Pass "protected" => "An antivirus product is on and its definitions are fresh.",
        DefinitionsAgeing: Warn "definitions-ageing" => "An antivirus product is on, but its definitions are older than the policy's warning age: it may have stopped updating.",
        DefinitionsOutOfDate: Fail "definitions-out-of-date" => "An antivirus product is on (or could not be read as on or off), but its definitions are older than the policy allows, out of date by its own account, or missing, so it cannot recognise recent viruses.",
        DefinitionsAgeUnknown: Unknown "definitions-age-unknown" => "An antivirus product is on, but confide could not tell how old its definitions are.",
        Unreadable: Unknown "unreadable" => "Whether antivirus is protecting the computer could not be read.",
        ExclusionsUnseen: Unknown "exclusions-unseen" => "An antivirus product is on with fresh definitions, but the places it has been told not to scan could not be seen (Windows shows them only to an administrator; on a Mac or Linux, Defender for Endpoint's answer could not be read).",
        ExclusionsTooBroad: Fail "exclusions-too-broad" => "An antivirus product is on (or could not be read as on or off), but it has been told not to scan a whole drive, a home folder, Documents or the Desktop, where client notes live.",
        Off: Fail "off" => "An antivirus product is installed but not protecting the computer.",
        NoneFound: Fail "none" => "No antivirus product was found on the computer.",
    }
}

/// The guidance's own caution about free products, added to the evidence (never to the status)
/// when the only protection found is free or built into the OS.
pub const FREE_PROTECTION_NOTE: &str = "BACP notes that free systems are likely to provide less protection than paid subscriptions; whether that is suitable for your practice is your decision";

impl BuiltinCheck for Antivirus {
    const ID: &'static str = "antivirus";
    type Limits = Limits;
    type Reason = Reason;
    type Reading = Survey;

    fn read(&self, ctx: &CheckContext<'_>) -> Survey {
        let system = ctx.system;
        match system.os().family {
            OsFamily::Windows => windows::survey(system),
            OsFamily::Macos => macos::survey(system),
            OsFamily::Linux => linux::survey(system),
        }
    }

    fn judge(&self, survey: Survey, limits: &Limits, at: ScanTime) -> Verdict<Reason> {
        judge(survey, limits, at.now)
    }
}

/// How often a product's definitions are expected to change, which decides the limits used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rhythm {
    /// Several times a day (Defender, ClamAV, third-party products).
    Daily,
    /// Only when Apple has new signatures: XProtect.
    Apple,
}

/// An age limit pair in whole days, for one [`Rhythm`].
#[derive(Debug, Clone, Copy, PartialEq)]
struct AgeLimits {
    max_days: u32,
    warn_days: u32,
}

impl Limits {
    fn for_rhythm(&self, rhythm: Rhythm) -> AgeLimits {
        match rhythm {
            Rhythm::Daily => AgeLimits {
                max_days: self.max_definition_age_days.get(),
                warn_days: self.warn_definition_age_days.get(),
            },
            Rhythm::Apple => AgeLimits {
                max_days: self.xprotect_max_age_days.get(),
                warn_days: self.xprotect_warn_age_days.get(),
            },
        }
    }
}

/// Everything found on one computer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Survey {
    pub products: Vec<Product>,
    /// Places that could not be read (evidence lines). They matter only when no product is found.
    pub unreadable: Vec<String>,
}

/// One antivirus product and what it says about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    /// As people know it: `Microsoft Defender Antivirus`, `XProtect`, `ClamAV`.
    pub name: String,
    pub version: Option<String>,
    /// Free or built into the OS (Microsoft Defender, XProtect, ClamAV): the guidance's note
    /// about free products applies.
    pub free: bool,
    pub protection: Protection,
    pub definitions: Definitions,
    /// What was seen: the command or file and the deciding lines.
    pub evidence: Vec<String>,
    /// How often its definitions change, which decides the limits they are judged by.
    pub rhythm: Rhythm,
    /// The places it has been told not to scan, where they can be read.
    pub exclusions: Exclusions,
}

/// Whether the product is guarding the computer now.
#[derive(Debug, Clone, PartialEq)]
pub enum Protection {
    On,
    /// Installed but not protecting (real-time protection off, passive, not running): why.
    Off(String),
    /// Could not tell: why.
    Unknown(String),
}

/// How fresh the product's definitions are.
#[derive(Debug, Clone, PartialEq)]
pub enum Definitions {
    /// Built or installed at this moment: the judge ages them as of the scan.
    Dated(Timestamp),
    /// Whole days old, and when they were built or installed where that is known.
    Age { days: i64, updated: Option<Timestamp> },
    /// The product (through Windows Security) says they are up to date, without a date.
    CurrentPerProduct,
    /// The product (through Windows Security) says they are out of date.
    OutOfDatePerProduct,
    /// The product has no definitions at all.
    Missing,
    /// Could not tell: why.
    Unknown(String),
}

impl Product {
    fn new(name: &str, free: bool, protection: Protection, definitions: Definitions) -> Self {
        Product {
            name: name.to_string(),
            version: None,
            free,
            protection,
            definitions,
            evidence: Vec::new(),
            rhythm: Rhythm::Daily,
            exclusions: Exclusions::NotRead,
        }
    }

    /// One line for the report: `ClamAV: on; definitions 2 days old (built 2026-11-20)`.
    pub fn headline(&self) -> String {
        let name = match &self.version {
            Some(v) => format!("{} (version {v})", self.name),
            None => self.name.clone(),
        };
        let protection = match &self.protection {
            Protection::On => "protection on".to_string(),
            Protection::Off(why) => format!("protection off: {why}"),
            Protection::Unknown(why) => format!("could not tell whether protection is on: {why}"),
        };
        let definitions = match &self.definitions {
            Definitions::Dated(t) => format!("definitions dated {}", t.strftime("%Y-%m-%d")),
            Definitions::Age { days, updated } => match updated {
                Some(t) => format!("definitions {} (updated {})", words::age(*days), t.strftime("%Y-%m-%d")),
                None => format!("definitions {}", words::age(*days)),
            },
            Definitions::CurrentPerProduct => {
                "definitions up to date, as it reports to Windows Security (which gives no date)".into()
            }
            Definitions::OutOfDatePerProduct => "definitions out of date, as it reports to Windows Security".into(),
            Definitions::Missing => "no definitions".into(),
            Definitions::Unknown(why) => format!("age of definitions unknown: {why}"),
        };
        format!("{name}: {protection}; {definitions}")
    }
}

impl Definitions {
    /// Dated definitions as an age at `now`; a date ahead of the clock is not an age.
    fn aged_at(self, now: Timestamp) -> Definitions {
        match self {
            Definitions::Dated(then) => match crate::dates::age_in_days(now, then) {
                Ok(days) => Definitions::Age {
                    days,
                    updated: Some(then),
                },
                Err(why) => Definitions::Unknown(why),
            },
            other => other,
        }
    }
}

/// The verdict for one product that is on: how fresh its definitions are.
fn freshness(product: &Product, limits: &Limits) -> Verdict<Reason> {
    let limits = limits.for_rhythm(product.rhythm);
    let name = &product.name;
    // Judged also for a product whose on/off state could not be read, so a known bad signal
    // still decides: the sentence then names what was not read.
    let on_but = match &product.protection {
        Protection::Unknown(why) => format!("Whether {name} is on could not be read ({why}), and"),
        _ => format!("{name} is on, but"),
    };
    match &product.definitions {
        Definitions::Age { days, .. } if *days > i64::from(limits.max_days) => Verdict::new(
            Reason::DefinitionsOutOfDate,
            format!(
                "{on_but} its definitions are {} (the limit is {} days), so it cannot recognise recent viruses.",
                words::age(*days),
                limits.max_days
            ),
        ),
        Definitions::Age { days, .. } if *days > i64::from(limits.warn_days) => Verdict::new(
            Reason::DefinitionsAgeing,
            format!(
                "{on_but} its definitions are {}: make sure it can update.",
                words::age(*days)
            ),
        ),
        Definitions::Age { days, .. } => Verdict::new(
            Reason::Protected,
            format!(
                "{name} is protecting this computer: it is on and its definitions are {}.",
                words::age(*days)
            ),
        ),
        Definitions::CurrentPerProduct => Verdict::new(
            Reason::Protected,
            format!("{name} is protecting this computer: it is on and reports its definitions up to date."),
        ),
        Definitions::OutOfDatePerProduct => Verdict::new(
            Reason::DefinitionsOutOfDate,
            format!("{on_but} it reports its definitions out of date, so it cannot recognise recent viruses."),
        ),
        Definitions::Missing => Verdict::new(
            Reason::DefinitionsOutOfDate,
            format!("{on_but} it has no virus definitions, so it cannot recognise viruses."),
        ),
        // Dated definitions are aged before judging; one left undated is unknown, never a pass.
        Definitions::Unknown(_) | Definitions::Dated(_) => Verdict::new(
            Reason::DefinitionsAgeUnknown,
            format!("{on_but} confide could not tell how old its definitions are."),
        ),
    }
}

/// Best first: a product that protects fully beats one that is ageing, and one whose age is
/// unknown beats one known to be out of date (it may be fresh, and one product that protects is
/// enough).
fn preference(status: Status) -> u8 {
    match status {
        Status::Pass => 0,
        Status::Warn => 1,
        Status::Unknown => 2,
        Status::Fail => 3,
        Status::Skipped => 4,
    }
}

/// The verdict for one product as if it were on: the freshness of its definitions, then its
/// exclusions. A broad exclusion fails whatever the definitions say; exclusions that could not
/// be seen turn what would be a pass into unknown, and are evidence otherwise.
fn product_verdict(product: &Product, limits: &Limits) -> Verdict<Reason> {
    let fresh = freshness(product, limits);
    let name = &product.name;
    let broad = product.exclusions.broad();
    if !broad.is_empty() {
        let named: Vec<String> = broad
            .iter()
            .map(|(path, why)| match path.strip_prefix(exclusions::PROCESS_PREFIX) {
                Some(program) => format!("the program `{program}` ({why})"),
                None => format!("`{path}` ({why})"),
            })
            .collect();
        return Verdict::new(
            Reason::ExclusionsTooBroad,
            format!(
                "{name} has been told not to scan {}, where client notes may be kept. Remove that exclusion (the steps below say how).",
                join_names(&named)
            ),
        );
    }
    match (&product.exclusions, fresh.reason) {
        (Exclusions::Hidden(why) | Exclusions::Unreadable(why), Reason::Protected) => Verdict::new(
            Reason::ExclusionsUnseen,
            format!(
                "{name} is on and its definitions are fresh, but confide could not see which places it has been told not to scan: {why}"
            ),
        ),
        _ => fresh,
    }
}

/// The verdict as of `now`. A product told not to scan where notes live fails whatever the others
/// show (someone set it up that way, and nothing says the others scan those files); otherwise
/// one product that is on is enough, judged by the best one; without
/// one, a known bad signal still decides (a product whose on/off state could not be read but
/// whose definitions are out of date fails, naming what was not read); otherwise a product
/// whose state could not be read is unknown, a product that is off fails, and finding nothing
/// fails only when every place was read.
pub fn judge(mut survey: Survey, limits: &Limits, now: Timestamp) -> Verdict<Reason> {
    for p in &mut survey.products {
        p.definitions = std::mem::replace(&mut p.definitions, Definitions::Missing).aged_at(now);
    }
    let products = &survey.products;
    let on: Vec<&Product> = products.iter().filter(|p| p.protection == Protection::On).collect();
    let best_of = |list: &[&Product]| {
        list.iter()
            .map(|p| product_verdict(p, limits))
            .min_by_key(|v| preference(v.status()))
    };
    let unsure: Vec<&Product> = products
        .iter()
        .filter(|p| matches!(p.protection, Protection::Unknown(_)))
        .collect();
    let too_broad = products
        .iter()
        .filter(|p| !matches!(p.protection, Protection::Off(_)))
        .map(|p| product_verdict(p, limits))
        .find(|v| v.reason == Reason::ExclusionsTooBroad);
    let verdict = match (too_broad, best_of(&on), best_of(&unsure)) {
        (Some(broad), _, _) => broad,
        (None, Some(best), _) => best,
        (None, None, Some(known_bad)) if known_bad.status() == Status::Fail => known_bad,
        _ => without_protection(&survey),
    };

    let mut evidence: Vec<String> = Vec::new();
    for p in products {
        evidence.push(p.headline());
        evidence.extend(p.evidence.iter().cloned());
        evidence.extend(p.exclusions.evidence(&p.name));
    }
    evidence.extend(survey.unreadable.iter().cloned());
    // The note is about the protection relied on: the products that are on, else all found.
    let relied_on: Vec<&Product> = if on.is_empty() { products.iter().collect() } else { on };
    if !relied_on.is_empty() && relied_on.iter().all(|p| p.free) {
        evidence.push(FREE_PROTECTION_NOTE.to_string());
    }
    verdict.with_evidence(evidence)
}

/// The verdict when no product is on: unknown before off, and "none" only when every place
/// was read.
fn without_protection(survey: &Survey) -> Verdict<Reason> {
    let named = |wanted: fn(&Protection) -> bool| -> Vec<String> {
        survey
            .products
            .iter()
            .filter(|p| wanted(&p.protection))
            .map(|p| p.name.clone())
            .collect()
    };
    let unknown = named(|p| matches!(p, Protection::Unknown(_)));
    let off = named(|p| matches!(p, Protection::Off(_)));
    if !unknown.is_empty() {
        Verdict::new(
            Reason::Unreadable,
            format!(
                "Could not tell whether {} is protecting this computer: see what confide saw below.",
                join_names(&unknown)
            ),
        )
    } else if !off.is_empty() {
        Verdict::new(
            Reason::Off,
            format!(
                "{} {} installed but not protecting this computer.",
                join_names(&off),
                if off.len() == 1 { "is" } else { "are" }
            ),
        )
    } else if !survey.unreadable.is_empty() {
        Verdict::new(
            Reason::Unreadable,
            "Could not tell whether antivirus is running: the places it reports to could not be read.",
        )
    } else {
        Verdict::new(Reason::NoneFound, "No antivirus was found on this computer.")
    }
}

/// Why a program gave no usable answer, for evidence: the last line of its error output, else
/// what happened to it (`it is not installed`). Unlike [`CommandOutput::failure`] it also
/// explains a run that exited 0 with output that could not be read, and its wording is the one
/// reports already carry.
fn last_error_line(out: &CommandOutput) -> String {
    let line = out.stderr.trim().lines().last().unwrap_or_default().trim();
    match (out.outcome(), line.is_empty()) {
        (RunOutcome::Missing, _) => "it is not installed".into(),
        (RunOutcome::TimedOut, _) => "it timed out".into(),
        (RunOutcome::Failed(e), _) => e.to_string(),
        (RunOutcome::Exited { status }, true) => {
            format!("it exited with {}", status.map_or("a signal".into(), |s| s.to_string()))
        }
        (RunOutcome::Exited { .. }, false) => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Outcome;
    use crate::checks::kit::Days;

    fn product(protection: Protection, definitions: Definitions, free: bool) -> Product {
        Product::new("Thing", free, protection, definitions)
    }

    fn now() -> Timestamp {
        "2026-11-22T12:00:00Z".parse().unwrap()
    }

    fn verdict(products: Vec<Product>, unreadable: &[&str]) -> Outcome {
        let survey = Survey {
            products,
            unreadable: unreadable.iter().map(|s| s.to_string()).collect(),
        };
        judge(survey, &Limits::default(), now()).into_outcome("antivirus")
    }

    fn age(days: i64) -> Definitions {
        Definitions::Age { days, updated: None }
    }

    #[test]
    fn the_verdict_follows_the_thresholds() {
        let on = |d| verdict(vec![product(Protection::On, d, false)], &[]).reason;
        assert_eq!(on(age(0)), "antivirus.protected");
        assert_eq!(on(age(1)), "antivirus.protected");
        assert_eq!(on(age(2)), "antivirus.definitions-ageing");
        assert_eq!(on(age(7)), "antivirus.definitions-ageing");
        assert_eq!(on(age(8)), "antivirus.definitions-out-of-date");
        assert_eq!(on(Definitions::Missing), "antivirus.definitions-out-of-date");
        assert_eq!(
            on(Definitions::OutOfDatePerProduct),
            "antivirus.definitions-out-of-date"
        );
        assert_eq!(on(Definitions::CurrentPerProduct), "antivirus.protected");
        assert_eq!(
            on(Definitions::Unknown("?".into())),
            "antivirus.definitions-age-unknown"
        );
    }

    #[test]
    fn nothing_read_is_never_a_pass_or_a_fail() {
        assert_eq!(verdict(vec![], &["could not read"]).status, Status::Unknown);
        assert_eq!(verdict(vec![], &[]).reason, "antivirus.none");
        let off = product(Protection::Off("off".into()), age(0), true);
        assert_eq!(verdict(vec![off.clone()], &["x"]).reason, "antivirus.off");
        let unknown = product(Protection::Unknown("?".into()), age(0), true);
        assert_eq!(verdict(vec![off, unknown], &[]).status, Status::Unknown);
    }

    #[test]
    fn a_known_bad_signal_decides_when_the_on_off_state_is_unknown() {
        let unsure = |d| product(Protection::Unknown("not reported".into()), d, true);
        let out = verdict(vec![unsure(age(129))], &[]);
        assert_eq!(out.reason, "antivirus.definitions-out-of-date");
        assert!(out.summary.contains("could not be read (not reported)"), "{}", out.summary);
        // Fresh definitions say nothing about whether it is on: still unknown.
        assert_eq!(verdict(vec![unsure(age(0))], &[]).reason, "antivirus.unreadable");
        // One unsure product that may protect keeps the whole verdict unknown.
        assert_eq!(verdict(vec![unsure(age(129)), unsure(age(0))], &[]).status, Status::Unknown);
        let mut broad = unsure(age(0));
        broad.exclusions = Exclusions::Listed(vec!["C:\\".into()]);
        assert_eq!(verdict(vec![broad], &[]).reason, "antivirus.exclusions-too-broad");
    }

    #[test]
    fn the_best_product_that_is_on_decides_and_the_free_note_is_added_only_for_free_ones() {
        let stale_free = product(Protection::On, age(30), true);
        let unknown_paid = product(Protection::On, Definitions::Unknown("?".into()), false);
        let out = verdict(vec![stale_free.clone(), unknown_paid], &[]);
        assert_eq!(out.status, Status::Unknown);
        assert!(!out.evidence.iter().any(|e| e == FREE_PROTECTION_NOTE));
        let out = verdict(vec![stale_free], &[]);
        assert_eq!(out.status, Status::Fail);
        assert!(out.evidence.iter().any(|e| e == FREE_PROTECTION_NOTE));
        let passive_free = product(Protection::Off("passive".into()), age(0), true);
        let paid = product(Protection::On, Definitions::CurrentPerProduct, false);
        let out = verdict(vec![passive_free, paid], &[]);
        assert_eq!(out.status, Status::Pass);
        assert!(!out.evidence.iter().any(|e| e == FREE_PROTECTION_NOTE));
    }

    #[test]
    fn xprotect_is_judged_on_apple_s_rhythm_and_dates_are_aged_at_the_scan() {
        let dated =
            |days_ago: i64| Definitions::Dated(Timestamp::from_second(now().as_second() - days_ago * 86_400).unwrap());
        let mut xprotect = product(Protection::On, dated(20), true);
        xprotect.rhythm = Rhythm::Apple;
        assert_eq!(verdict(vec![xprotect.clone()], &[]).reason, "antivirus.protected");
        xprotect.definitions = dated(45);
        assert_eq!(verdict(vec![xprotect], &[]).reason, "antivirus.definitions-ageing");
        let out = verdict(vec![product(Protection::On, dated(20), false)], &[]);
        assert_eq!(out.reason, "antivirus.definitions-out-of-date");
        assert!(
            out.summary.contains("20 days old (the limit is 7 days)"),
            "{}",
            out.summary
        );
        let ahead = verdict(vec![product(Protection::On, dated(-3), false)], &[]);
        assert_eq!(ahead.reason, "antivirus.definitions-age-unknown");
        let strict = Limits {
            warn_definition_age_days: Days(0),
            ..Limits::default()
        };
        let survey = Survey {
            products: vec![product(Protection::On, age(1), false)],
            unreadable: vec![],
        };
        assert_eq!(judge(survey, &strict, now()).reason, Reason::DefinitionsAgeing);
    }
}
