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
//! free or built in (Microsoft Defender, XProtect, ClamAV).

use jiff::Timestamp;

use super::{Check, CheckContext, Outcome, ThresholdKind, ThresholdSpec, ThresholdValue};
use crate::probe::macos_defaults::{self, Defaults};
use crate::probe::process_match;
use crate::status::Status;
use crate::system::{CommandOutput, FileRead, OsFamily, ProcessInfo, RunOutcome, System};
use crate::words::join_names;

pub struct Antivirus;

/// From the issue: definitions older than a week fail.
pub const MAX_DEFINITION_AGE_DAYS: ThresholdSpec = ThresholdSpec {
    name: "max_definition_age_days",
    kind: ThresholdKind::Days,
    default: ThresholdValue::Count(7),
    meaning: "fail when the antivirus definitions are more than this many whole days old",
};

/// Tool choice: Defender and ClamAV fetch new definitions several times a day, so more than a
/// day old means updates have stopped reaching this computer.
pub const WARN_DEFINITION_AGE_DAYS: ThresholdSpec = ThresholdSpec {
    name: "warn_definition_age_days",
    kind: ThresholdKind::Days,
    default: ThresholdValue::Count(1),
    meaning: "warn when the antivirus definitions are more than this many whole days old",
};

/// Tool choice: Apple ships XProtect data only when it has new signatures, usually every one to a
/// few weeks, so a week-old XProtect is normal; two months without one means updates are not
/// arriving.
pub const XPROTECT_MAX_AGE_DAYS: ThresholdSpec = ThresholdSpec {
    name: "xprotect_max_age_days",
    kind: ThresholdKind::Days,
    default: ThresholdValue::Count(60),
    meaning: "fail when macOS's XProtect data is more than this many whole days old",
};

/// Tool choice: a month without new XProtect data is worth a look.
pub const XPROTECT_WARN_AGE_DAYS: ThresholdSpec = ThresholdSpec {
    name: "xprotect_warn_age_days",
    kind: ThresholdKind::Days,
    default: ThresholdValue::Count(30),
    meaning: "warn when macOS's XProtect data is more than this many whole days old",
};

const THRESHOLDS: [ThresholdSpec; 4] = [
    MAX_DEFINITION_AGE_DAYS,
    WARN_DEFINITION_AGE_DAYS,
    XPROTECT_MAX_AGE_DAYS,
    XPROTECT_WARN_AGE_DAYS,
];

/// The guidance's own caution about free products, added to the evidence (never to the status)
/// when the only protection found is free or built into the OS.
pub const FREE_PROTECTION_NOTE: &str = "BACP notes that free systems are likely to provide less protection than paid subscriptions; whether that is suitable for your practice is your decision";

impl Check for Antivirus {
    fn id(&self) -> &str {
        "antivirus"
    }

    fn supported_os(&self) -> &[OsFamily] {
        &OsFamily::ALL
    }

    fn thresholds(&self) -> &[ThresholdSpec] {
        &THRESHOLDS
    }

    fn run(&self, ctx: &CheckContext<'_>) -> Outcome {
        let system = ctx.system;
        let survey = match system.os().family {
            OsFamily::Windows => windows(system),
            OsFamily::Macos => macos(system),
            OsFamily::Linux => linux(system),
        };
        let mut survey = survey;
        let xprotect = Limits {
            max_days: ctx.threshold(&XPROTECT_MAX_AGE_DAYS),
            warn_days: ctx.threshold(&XPROTECT_WARN_AGE_DAYS),
        };
        for product in survey.products.iter_mut().filter(|p| p.name == "XProtect") {
            product.limits = Some(xprotect);
        }
        let limits = Limits {
            max_days: ctx.threshold(&MAX_DEFINITION_AGE_DAYS),
            warn_days: ctx.threshold(&WARN_DEFINITION_AGE_DAYS),
        };
        judge(&survey, limits)
    }
}

/// The policy's limits on the definitions' age, in whole days.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub max_days: f64,
    pub warn_days: f64,
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
    /// Limits of its own, for a product whose updates come on another rhythm (XProtect).
    pub limits: Option<Limits>,
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
            limits: None,
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
            Definitions::Age { days, updated } => match updated {
                Some(t) => format!("definitions {} (updated {})", age_words(*days), t.strftime("%Y-%m-%d")),
                None => format!("definitions {}", age_words(*days)),
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

fn age_words(days: i64) -> String {
    match days {
        0 => "less than a day old".into(),
        1 => "1 day old".into(),
        n => format!("{n} days old"),
    }
}

/// Whole days from `then` to `now`. A date more than a day ahead of the clock is not an age:
/// the computer's clock or the date read is wrong.
pub fn age_in_days(now: Timestamp, then: Timestamp) -> Result<i64, String> {
    let seconds = now.as_second() - then.as_second();
    if seconds < -86_400 {
        return Err(format!(
            "dated {}, after this computer's clock ({}): check the date and time",
            then.strftime("%Y-%m-%d %H:%M UTC"),
            now.strftime("%Y-%m-%d %H:%M UTC")
        ));
    }
    Ok(seconds.max(0).div_euclid(86_400))
}

fn definitions_at(now: Timestamp, then: Timestamp) -> Definitions {
    match age_in_days(now, then) {
        Ok(days) => Definitions::Age {
            days,
            updated: Some(then),
        },
        Err(why) => Definitions::Unknown(why),
    }
}

/// The verdict for one product that is on: how fresh its definitions are.
fn freshness(product: &Product, limits: Limits) -> Outcome {
    let limits = product.limits.unwrap_or(limits);
    let name = &product.name;
    match &product.definitions {
        Definitions::Age { days, .. } if *days as f64 > limits.max_days => Outcome::new(
            Status::Fail,
            "antivirus.definitions-out-of-date",
            format!(
                "{name} is on, but its definitions are {} (the limit is {} days), so it cannot recognise recent viruses.",
                age_words(*days),
                limits.max_days
            ),
        ),
        Definitions::Age { days, .. } if *days as f64 > limits.warn_days => Outcome::new(
            Status::Warn,
            "antivirus.definitions-ageing",
            format!(
                "{name} is on, but its definitions are {}: make sure it can update.",
                age_words(*days)
            ),
        ),
        Definitions::Age { days, .. } => Outcome::new(
            Status::Pass,
            "antivirus.protected",
            format!(
                "{name} is protecting this computer: it is on and its definitions are {}.",
                age_words(*days)
            ),
        ),
        Definitions::CurrentPerProduct => Outcome::new(
            Status::Pass,
            "antivirus.protected",
            format!("{name} is protecting this computer: it is on and reports its definitions up to date."),
        ),
        Definitions::OutOfDatePerProduct => Outcome::new(
            Status::Fail,
            "antivirus.definitions-out-of-date",
            format!("{name} is on, but reports its definitions out of date, so it cannot recognise recent viruses."),
        ),
        Definitions::Missing => Outcome::new(
            Status::Fail,
            "antivirus.definitions-out-of-date",
            format!("{name} is on, but has no virus definitions, so it cannot recognise viruses."),
        ),
        Definitions::Unknown(_) => Outcome::new(
            Status::Unknown,
            "antivirus.definitions-age-unknown",
            format!("{name} is on, but confide could not tell how old its definitions are."),
        ),
    }
}

/// Best first: a product that protects fully beats one that is ageing, and one whose age is
/// unknown beats one known to be out of date (it may be fresh).
fn preference(status: Status) -> u8 {
    match status {
        Status::Pass => 0,
        Status::Warn => 1,
        Status::Unknown => 2,
        Status::Fail => 3,
        Status::Skipped => 4,
    }
}

/// The verdict. One product that is on is enough, judged by the freshest one; without one, a
/// product whose state could not be read is unknown, a product that is off fails, and finding
/// nothing fails only when every place was read.
pub fn judge(survey: &Survey, limits: Limits) -> Outcome {
    let products = &survey.products;
    let on: Vec<&Product> = products.iter().filter(|p| p.protection == Protection::On).collect();
    let unknown: Vec<String> = products
        .iter()
        .filter(|p| matches!(p.protection, Protection::Unknown(_)))
        .map(|p| p.name.clone())
        .collect();
    let off: Vec<String> = products
        .iter()
        .filter(|p| matches!(p.protection, Protection::Off(_)))
        .map(|p| p.name.clone())
        .collect();

    let outcome = if let Some(best) = on
        .iter()
        .map(|p| freshness(p, limits))
        .min_by_key(|o| preference(o.status))
    {
        best
    } else if !unknown.is_empty() {
        Outcome::new(
            Status::Unknown,
            "antivirus.unreadable",
            format!(
                "Could not tell whether {} is protecting this computer: see what confide saw below.",
                join_names(&unknown)
            ),
        )
    } else if !off.is_empty() {
        Outcome::new(
            Status::Fail,
            "antivirus.off",
            format!(
                "{} {} installed but not protecting this computer.",
                join_names(&off),
                if off.len() == 1 { "is" } else { "are" }
            ),
        )
    } else if !survey.unreadable.is_empty() {
        Outcome::new(
            Status::Unknown,
            "antivirus.unreadable",
            "Could not tell whether antivirus is running: the places it reports to could not be read.",
        )
    } else {
        Outcome::new(
            Status::Fail,
            "antivirus.none",
            "No antivirus was found on this computer.",
        )
    };

    let mut evidence: Vec<String> = Vec::new();
    for p in products {
        evidence.push(p.headline());
        evidence.extend(p.evidence.iter().cloned());
    }
    evidence.extend(survey.unreadable.iter().cloned());
    // The note is about the protection relied on: the products that are on, else all found.
    let relied_on: Vec<&Product> = if on.is_empty() { products.iter().collect() } else { on };
    if !relied_on.is_empty() && relied_on.iter().all(|p| p.free) {
        evidence.push(FREE_PROTECTION_NOTE.to_string());
    }
    outcome.with_evidence(evidence)
}

/// The last line of a program's error output, for evidence.
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

// ---------------------------------------------------------------- Windows

/// The fields of `Get-MpComputerStatus` the verdict needs, selected because a bare
/// `ConvertTo-Json` also serialises the CIM plumbing.
pub const DEFENDER_COMMAND: &str = "Get-MpComputerStatus | Select-Object AMRunningMode,AMServiceEnabled,AntivirusEnabled,RealTimeProtectionEnabled,AntivirusSignatureAge,AntivirusSignatureLastUpdated,IsTamperProtected | ConvertTo-Json";
/// Every antivirus product registered with Windows Security (absent on Windows Server).
pub const SECURITY_CENTER_COMMAND: &str = "Get-CimInstance -Namespace root/SecurityCenter2 -ClassName AntiVirusProduct | Select-Object displayName,productState,pathToSignedProductExe,timestamp | ConvertTo-Json";

const DEFENDER: &str = "Microsoft Defender Antivirus";
/// `AntivirusSignatureAge` when there are no signatures at all (uint32 -1).
const NO_SIGNATURES: u64 = 4_294_967_295;

fn powershell(system: &dyn System, command: &str) -> CommandOutput {
    system.run("powershell", &["-NoProfile", "-NonInteractive", "-Command", command])
}

/// What `Get-MpComputerStatus` said. Every field is optional: a field not printed is not
/// guessed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MpStatus {
    pub running_mode: Option<String>,
    pub service_enabled: Option<bool>,
    pub antivirus_enabled: Option<bool>,
    pub real_time: Option<bool>,
    pub signature_age_days: Option<u64>,
    pub signatures_updated: Option<Timestamp>,
    pub tamper_protected: Option<bool>,
}

/// Parses [`DEFENDER_COMMAND`] as Windows PowerShell 5.1 prints it (values from Microsoft's own
/// `Get-MpComputerStatus` example):
///
/// ```text
/// {
///     "AMRunningMode":  "Normal",
///     "AMServiceEnabled":  true,
///     "AntivirusEnabled":  true,
///     "RealTimeProtectionEnabled":  true,
///     "AntivirusSignatureAge":  1,
///     "AntivirusSignatureLastUpdated":  "\/Date(1717513587000)\/",
///     "IsTamperProtected":  false
/// }
/// ```
///
/// `AMRunningMode` is `Normal`, `Passive Mode`, `SxS Passive Mode`, `EDR Block Mode` or
/// `Not running`; `AntivirusSignatureAge` is 4294967295 when there are no signatures.
pub fn parse_mp_status(stdout: &str) -> Option<MpStatus> {
    let value: serde_json::Value = serde_json::from_str(stdout.trim()).ok()?;
    let object = match value {
        serde_json::Value::Array(mut items) if items.len() == 1 => items.remove(0),
        object @ serde_json::Value::Object(_) => object,
        _ => return None,
    };
    let object = object.as_object()?;
    let bool_field = |key: &str| object.get(key).and_then(serde_json::Value::as_bool);
    Some(MpStatus {
        running_mode: object.get("AMRunningMode").and_then(|v| v.as_str()).map(str::to_string),
        service_enabled: bool_field("AMServiceEnabled"),
        antivirus_enabled: bool_field("AntivirusEnabled"),
        real_time: bool_field("RealTimeProtectionEnabled"),
        signature_age_days: object.get("AntivirusSignatureAge").and_then(|v| v.as_u64()),
        signatures_updated: object
            .get("AntivirusSignatureLastUpdated")
            .and_then(|v| v.as_str())
            .and_then(parse_powershell_date),
        tamper_protected: bool_field("IsTamperProtected"),
    })
}

/// A DateTime as `ConvertTo-Json` writes it: `\/Date(1717513587000)\/` (UTC milliseconds;
/// JSON turns `\/` into `/`) in Windows PowerShell 5.1, ISO 8601 with an offset in PowerShell 7.
pub fn parse_powershell_date(text: &str) -> Option<Timestamp> {
    if let Some(inner) = text.strip_prefix("/Date(").and_then(|t| t.strip_suffix(")/")) {
        let sign = usize::from(inner.starts_with('-'));
        let end = inner[sign..]
            .find(|c: char| !c.is_ascii_digit())
            .map_or(inner.len(), |i| i + sign);
        return Timestamp::from_millisecond(inner[..end].parse().ok()?).ok();
    }
    text.parse().ok()
}

fn yes_no(value: bool) -> &'static str {
    if value { "True" } else { "False" }
}

/// Microsoft Defender from its own status.
fn defender_product(status: &MpStatus, now: Timestamp) -> Product {
    let mode = status.running_mode.as_deref().map(str::trim);
    let protection = match mode {
        Some(m) if m.eq_ignore_ascii_case("Not running") => {
            Protection::Off("Microsoft Defender is not running (AMRunningMode: Not running)".into())
        }
        Some(m) if m.to_lowercase().contains("passive") || m.eq_ignore_ascii_case("EDR Block Mode") => {
            Protection::Off(format!(
                "Microsoft Defender is in passive mode (AMRunningMode: {m}) and leaves real-time protection to another product"
            ))
        }
        Some(m) if !m.eq_ignore_ascii_case("Normal") => Protection::Unknown(format!("unexpected AMRunningMode `{m}`")),
        _ if status.service_enabled == Some(false) => {
            Protection::Off("the Defender service is off (AMServiceEnabled: False)".into())
        }
        _ if status.antivirus_enabled == Some(false) => {
            Protection::Off("Defender's antivirus is off (AntivirusEnabled: False)".into())
        }
        _ => match status.real_time {
            Some(true) => Protection::On,
            Some(false) => Protection::Off("real-time protection is off (RealTimeProtectionEnabled: False)".into()),
            None => Protection::Unknown("RealTimeProtectionEnabled was not reported".into()),
        },
    };
    // Defender's own count of days is used first: it was taken by the machine's clock at the
    // moment of reading, and its "out of date" flag is unreliable (seen False at 278 days).
    let definitions = match (status.signature_age_days, status.signatures_updated) {
        (Some(NO_SIGNATURES), _) => Definitions::Missing,
        (Some(days), updated) => Definitions::Age {
            days: i64::try_from(days).unwrap_or(i64::MAX),
            updated,
        },
        (None, Some(updated)) => definitions_at(now, updated),
        (None, None) => Definitions::Unknown("AntivirusSignatureAge was not reported".into()),
    };
    let mut fields = Vec::new();
    if let Some(m) = &status.running_mode {
        fields.push(format!("AMRunningMode {m}"));
    }
    for (key, value) in [
        ("AMServiceEnabled", status.service_enabled),
        ("AntivirusEnabled", status.antivirus_enabled),
        ("RealTimeProtectionEnabled", status.real_time),
    ] {
        if let Some(v) = value {
            fields.push(format!("{key} {}", yes_no(v)));
        }
    }
    if let Some(days) = status.signature_age_days {
        fields.push(format!("AntivirusSignatureAge {days}"));
    }
    if let Some(t) = status.signatures_updated {
        fields.push(format!(
            "AntivirusSignatureLastUpdated {}",
            t.strftime("%Y-%m-%d %H:%M UTC")
        ));
    }
    if let Some(v) = status.tamper_protected {
        fields.push(format!("IsTamperProtected {}", yes_no(v)));
    }
    let mut product = Product::new(DEFENDER, true, protection, definitions);
    product
        .evidence
        .push(format!("`Get-MpComputerStatus`: {}", fields.join(", ")));
    product
}

/// One product registered with Windows Security.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityCenterProduct {
    pub name: String,
    pub product_state: u32,
    pub path: Option<String>,
    /// When the product last reported to Windows Security (not when its definitions were made).
    pub timestamp: Option<String>,
}

/// Parses [`SECURITY_CENTER_COMMAND`]: a bare object for one product, an array for several,
/// nothing at all for none:
///
/// ```text
/// [
///     {
///         "displayName":  "Bitdefender Antivirus",
///         "productState":  266240,
///         "pathToSignedProductExe":  "C:\\Program Files\\Bitdefender\\Bitdefender Security\\wscfix.exe",
///         "timestamp":  "Wed, 15 Dec 2021 12:40:10 GMT"
///     },
///     {
///         "displayName":  "Windows Defender",
///         "productState":  393472,
///         ...
/// ```
pub fn parse_security_center(stdout: &str) -> Option<Vec<SecurityCenterProduct>> {
    if stdout.trim().is_empty() {
        return Some(Vec::new());
    }
    let value: serde_json::Value = serde_json::from_str(stdout.trim()).ok()?;
    let items = match value {
        serde_json::Value::Array(items) => items,
        object @ serde_json::Value::Object(_) => vec![object],
        _ => return None,
    };
    items
        .iter()
        .map(|item| {
            Some(SecurityCenterProduct {
                name: item.get("displayName")?.as_str()?.to_string(),
                product_state: u32::try_from(item.get("productState")?.as_u64()?).ok()?,
                path: item
                    .get("pathToSignedProductExe")
                    .and_then(|v| v.as_str())
                    .map(str::to_string),
                timestamp: item.get("timestamp").and_then(|v| v.as_str()).map(str::to_string),
            })
        })
        .collect()
}

/// What a `productState` says. Microsoft does not document it; the community decoding, checked
/// against real values (397568 = 0x61100 Defender on and current, 393472 = 0x60100 Defender
/// off, 266240 = 0x41000 Bitdefender on), reads bits 0xF000 as the state (0x1000 on, 0x0000
/// off, 0x2000 snoozed, 0x3000 expired) and bits 0x00F0 as the definitions (0x00 up to date,
/// 0x10 out of date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProductState {
    /// `Some(true)` on, `Some(false)` off, snoozed or expired, `None` an unknown value.
    pub on: Option<bool>,
    /// `Some(true)` up to date, `Some(false)` out of date, `None` an unknown value.
    pub current: Option<bool>,
    pub state_words: &'static str,
}

pub fn decode_product_state(state: u32) -> ProductState {
    let (on, state_words) = match state & 0xF000 {
        0x1000 => (Some(true), "on"),
        0x0000 => (Some(false), "off"),
        0x2000 => (Some(false), "snoozed"),
        0x3000 => (Some(false), "expired"),
        _ => (None, "in an unknown state"),
    };
    let current = match state & 0x00F0 {
        0x00 => Some(true),
        0x10 => Some(false),
        _ => None,
    };
    ProductState {
        on,
        current,
        state_words,
    }
}

fn is_defender(p: &SecurityCenterProduct) -> bool {
    p.path.as_deref() == Some("windowsdefender://")
        || matches!(p.name.as_str(), "Windows Defender" | "Microsoft Defender Antivirus")
}

fn security_center_product(p: &SecurityCenterProduct, defender: bool) -> Product {
    let decoded = decode_product_state(p.product_state);
    let shown = format!(
        "Windows Security lists {}: productState {} (0x{:X}: {}, definitions {})",
        p.name,
        p.product_state,
        p.product_state,
        decoded.state_words,
        match decoded.current {
            Some(true) => "up to date",
            Some(false) => "out of date",
            None => "in an unknown state",
        }
    );
    let protection = match decoded.on {
        Some(true) => Protection::On,
        Some(false) => Protection::Off(format!("Windows Security reports it {}", decoded.state_words)),
        None => Protection::Unknown(format!("unexpected productState {}", p.product_state)),
    };
    let definitions = match decoded.current {
        Some(true) => Definitions::CurrentPerProduct,
        Some(false) => Definitions::OutOfDatePerProduct,
        None => Definitions::Unknown(format!("unexpected productState {}", p.product_state)),
    };
    let name = if defender { DEFENDER } else { p.name.as_str() };
    let mut product = Product::new(name, defender, protection, definitions);
    product.evidence.push(match &p.timestamp {
        Some(t) => format!("{shown}; last reported {t}"),
        None => shown,
    });
    product
}

fn windows(system: &dyn System) -> Survey {
    let mut survey = Survey::default();
    let now = system.now();
    let mp = powershell(system, DEFENDER_COMMAND);
    let mut defender = match parse_mp_status(&mp.stdout) {
        Some(status) if mp.succeeded() => Some(defender_product(&status, now)),
        _ if matches!(mp.outcome(), RunOutcome::Missing) => {
            survey
                .unreadable
                .push("PowerShell is not available, so Microsoft Defender could not be asked".into());
            None
        }
        _ => {
            survey.unreadable.push(format!(
                "`Get-MpComputerStatus` could not be read: {}",
                last_error_line(&mp)
            ));
            None
        }
    };

    let sc = powershell(system, SECURITY_CENTER_COMMAND);
    match parse_security_center(&sc.stdout) {
        Some(listed) if sc.succeeded() => {
            // Defender always registers itself, so an empty list with Defender unreadable is
            // not evidence of "no antivirus" (and no real sample of an empty answer was found).
            if listed.is_empty() && defender.is_none() {
                survey
                    .unreadable
                    .push("Windows Security's product list is empty".into());
            }
            for p in &listed {
                match (is_defender(p), &mut defender) {
                    // Defender's own status says more than Windows Security's summary of it.
                    (true, Some(own)) => own.evidence.push(security_center_product(p, true).evidence.remove(0)),
                    (true, None) => survey.products.push(security_center_product(p, true)),
                    (false, _) => survey.products.push(security_center_product(p, false)),
                }
            }
        }
        // Without PowerShell at all, the line about Defender has said so already.
        _ if matches!(mp.outcome(), RunOutcome::Missing) => {}
        _ => survey.unreadable.push(format!(
            "Windows Security's product list (root/SecurityCenter2, absent on Windows Server) could not be read, so other antivirus products could not be seen: {}",
            last_error_line(&sc)
        )),
    }
    if let Some(d) = defender {
        survey.products.insert(0, d);
    }
    survey
}

// ---------------------------------------------------------------- macOS

/// Where XProtect's data lives: macOS 15 and later use the copy under `/var/protected` first
/// (updated over iCloud); the CoreServices copy is the only one before that and a fallback
/// after, and can be older.
pub const XPROTECT_PLISTS: [&str; 2] = [
    "/var/protected/xprotect/XProtect.bundle/Contents/Info.plist",
    "/Library/Apple/System/Library/CoreServices/XProtect.bundle/Contents/Info.plist",
];
/// XProtect's installer receipts carry a per-release suffix
/// (`com.apple.pkg.XProtectPlistConfigData_10_15.16U4423`), so they are found by prefix.
pub const XPROTECT_RECEIPT_PREFIX: &str = "com.apple.pkg.XProtectPlistConfigData";

/// Parses `pkgutil --pkgs`: one package id per line.
///
/// ```text
/// com.apple.pkg.GatekeeperCompatibilityData.16U1906
/// com.apple.pkg.XProtectPlistConfigData_10_15.16U4347
/// com.apple.pkg.MRTConfigData_10_15.16U4211
/// ```
pub fn xprotect_receipt_ids(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with(XPROTECT_RECEIPT_PREFIX))
        .map(str::to_string)
        .collect()
}

/// An installer receipt, from `pkgutil --pkg-info ID`.
#[derive(Debug, Clone, PartialEq)]
pub struct Receipt {
    pub id: String,
    /// `<XProtect version>.1.<epoch>`, e.g. `5338.1.1775522733`.
    pub version: Option<String>,
    pub installed: Option<Timestamp>,
}

impl Receipt {
    /// The XProtect version the receipt installed: the first part of its version.
    pub fn xprotect_version(&self) -> Option<u64> {
        self.version.as_deref()?.split('.').next()?.parse().ok()
    }
}

/// Parses `pkgutil --pkg-info ID`; `install-time` is in seconds since the epoch:
///
/// ```text
/// package-id: com.apple.pkg.XProtectPlistConfigData_10_15.16U4423
/// version: 5338.1.1775522733
/// volume: /
/// location: /
/// install-time: 1775838074
/// ```
pub fn parse_pkg_info(stdout: &str) -> Option<Receipt> {
    let field = |name: &str| {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(':').map(str::trim))
            .filter(|v| !v.is_empty())
    };
    Some(Receipt {
        id: field("package-id")?.to_string(),
        version: field("version").map(str::to_string),
        installed: field("install-time")
            .and_then(|s| s.parse::<i64>().ok())
            .and_then(|s| Timestamp::from_second(s).ok()),
    })
}

/// The newest XProtect version among its bundles, with one evidence line per bundle.
fn xprotect_version(system: &dyn System) -> (Option<u64>, Vec<String>) {
    let mut newest: Option<u64> = None;
    let mut evidence = Vec::new();
    for plist in XPROTECT_PLISTS {
        let shown = format!("`defaults read {plist} CFBundleShortVersionString`");
        match macos_defaults::read(system, plist, "CFBundleShortVersionString") {
            Defaults::Value(v) => match v.trim().parse::<u64>() {
                Ok(n) => {
                    evidence.push(format!("{shown}: {n}"));
                    newest = newest.max(Some(n));
                }
                Err(_) => evidence.push(format!("{shown}: unexpected value `{}`", v.trim())),
            },
            Defaults::NotSet => evidence.push(format!("{shown}: not there")),
            Defaults::Unexpected(why) => evidence.push(format!("{shown} could not be read: {why}")),
        }
    }
    (newest, evidence)
}

/// The newest XProtect installer receipt, or why there is none.
fn xprotect_receipt(system: &dyn System, evidence: &mut Vec<String>) -> Result<Receipt, String> {
    let list = system.run("pkgutil", &["--pkgs"]);
    if !list.succeeded() {
        return Err(format!(
            "`pkgutil --pkgs` could not list the installer receipts: {}",
            last_error_line(&list)
        ));
    }
    let ids = xprotect_receipt_ids(&list.stdout);
    if ids.is_empty() {
        return Err(format!("`pkgutil --pkgs` lists no {XPROTECT_RECEIPT_PREFIX}… receipt"));
    }
    let mut newest: Option<Receipt> = None;
    for id in ids {
        let out = system.run("pkgutil", &["--pkg-info", &id]);
        match parse_pkg_info(&out.stdout).filter(|_| out.succeeded()) {
            Some(r) if r.installed.is_some() => {
                evidence.push(format!(
                    "`pkgutil --pkg-info {id}`: version {}, install-time {}",
                    r.version.as_deref().unwrap_or("?"),
                    r.installed
                        .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
                        .unwrap_or_default()
                ));
                if newest.as_ref().is_none_or(|n| n.installed < r.installed) {
                    newest = Some(r);
                }
            }
            _ => evidence.push(format!(
                "`pkgutil --pkg-info {id}` gave no install-time: {}",
                last_error_line(&out)
            )),
        }
    }
    newest.ok_or_else(|| "no XProtect receipt says when it was installed".to_string())
}

/// XProtect is part of macOS and cannot be turned off, so only its definitions are in question.
/// Their date is the newest installer receipt's, and only when that receipt installed the
/// version in use: macOS 15 and later also update XProtect over iCloud without a receipt.
fn xprotect(system: &dyn System) -> Product {
    let (version, mut evidence) = xprotect_version(system);
    let definitions = match xprotect_receipt(system, &mut evidence) {
        Err(why) => Definitions::Unknown(why),
        Ok(receipt) => match (version, receipt.xprotect_version(), receipt.installed) {
            (Some(in_use), Some(received), _) if in_use > received => Definitions::Unknown(format!(
                "XProtect {in_use} is newer than the newest installer receipt ({received}); macOS updates it without a receipt, so when it was last updated is not recorded"
            )),
            (_, _, Some(installed)) => definitions_at(system.now(), installed),
            (_, _, None) => Definitions::Unknown("the receipt has no install time".into()),
        },
    };
    let mut product = Product::new("XProtect", true, Protection::On, definitions);
    product.version = version.map(|v| v.to_string());
    product
        .evidence
        .push("XProtect is built into macOS and cannot be turned off".into());
    product.evidence.extend(evidence);
    product
}

fn macos(system: &dyn System) -> Survey {
    let mut survey = Survey::default();
    survey.products.push(xprotect(system));
    let processes = system.processes();
    if processes.is_empty() {
        survey.unreadable.push(
            "the list of running programs could not be read, so other antivirus products could not be seen".into(),
        );
    }
    survey.products.extend(vendor_products(&processes));
    survey
}

// ---------------------------------------------------------------- vendors (macOS and Linux)

/// A third-party product recognised by its running process.
struct Vendor {
    product: &'static str,
    process: &'static str,
    /// For names too generic to trust alone, the folder the executable must be under.
    exe_under: Option<&'static str>,
}

const fn vendor(product: &'static str, process: &'static str) -> Vendor {
    Vendor {
        product,
        process,
        exe_under: None,
    }
}

/// Process names from Lynis's malware test (CISOfy/lynis `include/tests_malware`, MALW-3280),
/// which marks `epagd`, `com.avast.daemon`, `CylanceSvc` and `TmccMac` as macOS ones and
/// trusts `wdserver` and `cma` only with the vendor's folder in place. Wazuh's agent is on
/// Lynis's list although it is not an antivirus scanner.
const VENDORS: [Vendor; 22] = [
    vendor("Avast", "com.avast.daemon"),
    vendor("Avira", "avqmd"),
    vendor("Bitdefender", "bdagentd"),
    vendor("Bitdefender", "epagd"),
    vendor("Bitdefender", "bdsecd"),
    vendor("CrowdStrike Falcon", "falcon-sensor"),
    vendor("CylancePROTECT", "CylanceSvc"),
    vendor("ESET", "esets_daemon"),
    vendor("ESET", "oaeventd"),
    Vendor {
        product: "Kaspersky",
        process: "wdserver",
        exe_under: Some("/opt/kaspersky/"),
    },
    vendor("Kaspersky", "klnagent"),
    Vendor {
        product: "McAfee",
        process: "cma",
        exe_under: Some("/opt/McAfee/"),
    },
    vendor("McAfee", "cmdagent"),
    vendor("SentinelOne", "sentineld"),
    vendor("SentinelOne", "SentinelAgent"),
    vendor("Sophos", "savscand"),
    vendor("Sophos", "SophosScanD"),
    vendor("Symantec", "rtvscand"),
    vendor("Symantec", "smcd"),
    vendor("Trend Micro", "ds_am"),
    vendor("Trend Micro", "TmccMac"),
    vendor("Wazuh agent", "wazuh-agentd"),
];

fn vendor_products(processes: &[ProcessInfo]) -> Vec<Product> {
    let mut products: Vec<Product> = Vec::new();
    for v in &VENDORS {
        for p in process_match::find(processes, &[v.process]) {
            if let Some(dir) = v.exe_under
                && !p.exe.as_deref().is_some_and(|exe| exe.starts_with(dir))
            {
                continue;
            }
            let line = process_match::describe(p);
            match products.iter_mut().find(|x| x.name == v.product) {
                Some(known) => known.evidence.push(line),
                None => {
                    let mut product = Product::new(
                        v.product,
                        false,
                        Protection::On,
                        Definitions::Unknown(format!(
                            "confide cannot read {}'s definitions; check them in its own window",
                            v.product
                        )),
                    );
                    product.evidence.push(line);
                    products.push(product);
                }
            }
        }
    }
    products
}

// ---------------------------------------------------------------- Linux

/// Where Debian, Ubuntu and Fedora keep ClamAV's definitions.
pub const CLAMAV_DB_DIR: &str = "/var/lib/clamav";
/// Overrides [`CLAMAV_DB_DIR`], for tests and for installs that keep the definitions elsewhere
/// (`DatabaseDirectory` in `freshclam.conf`). Read through the System, so a replay sees the
/// value recorded with the snapshot.
pub const CLAMAV_DB_DIR_ENV: &str = "CONFIDE_CLAMAV_DB_DIR";
/// `daily.cld` is what freshclam leaves after applying incremental updates; `daily.cvd` a
/// whole download. The newer of the two counts.
const CLAMAV_DAILY_FILES: [&str; 2] = ["daily.cld", "daily.cvd"];
/// A ClamAV definitions file starts with this many bytes of ASCII header.
const CLAMAV_HEADER_BYTES: usize = 512;

/// The header of a ClamAV definitions file.
#[derive(Debug, Clone, PartialEq)]
pub struct ClamavHeader {
    pub version: Option<u64>,
    pub built: Timestamp,
}

/// Parses the 512-byte header of `daily.cvd` / `daily.cld`: ASCII fields separated by `:`,
/// padded with spaces, the last being the build time in seconds since the epoch:
///
/// ```text
/// ClamAV-VDB:16 Apr 2020 07-58 -0400:25784:2267600:63:92baacd5…:4Jp9JtGJ…:raynman:1587038339
/// ```
///
/// (magic : build time : version : signatures : functionality level : MD5 : digital signature :
/// builder : build epoch). Without the epoch, the written build time is used.
pub fn parse_clamav_header(text: &str) -> Option<ClamavHeader> {
    let header = text.get(..CLAMAV_HEADER_BYTES).unwrap_or(text);
    let fields: Vec<&str> = header.strip_prefix("ClamAV-VDB:")?.split(':').collect();
    let version = fields.get(1).and_then(|v| v.trim().parse().ok());
    let epoch = fields.get(7).and_then(|f| {
        let f = f.trim_start();
        let digits = &f[..f.find(|c: char| !c.is_ascii_digit()).unwrap_or(f.len())];
        digits.parse::<i64>().ok()
    });
    let built = match epoch {
        Some(seconds) => Timestamp::from_second(seconds).ok()?,
        None => jiff::fmt::strtime::parse("%d %b %Y %H-%M %z", fields.first()?.trim())
            .ok()?
            .to_timestamp()
            .ok()?,
    };
    Some(ClamavHeader { version, built })
}

/// What reading one definitions file gave.
enum HeaderRead {
    Text(String),
    Missing,
    Unreadable(String),
}

/// Reads a definitions file's text header. The rest of the file is compressed (not text), so
/// only its first 512 bytes are read.
fn read_header(system: &dyn System, path: &str) -> HeaderRead {
    match system.read_file_head(path, CLAMAV_HEADER_BYTES) {
        FileRead::Contents(text) => HeaderRead::Text(text),
        FileRead::Missing => HeaderRead::Missing,
        FileRead::Directory => HeaderRead::Unreadable("it is a folder".into()),
        FileRead::Unreadable(why) => HeaderRead::Unreadable(why),
    }
}

/// The freshest ClamAV definitions in `dir`, with evidence; `None` when there are no files.
fn clamav_definitions(system: &dyn System, dir: &str, evidence: &mut Vec<String>) -> Option<Definitions> {
    let mut newest: Option<ClamavHeader> = None;
    let mut trouble: Option<String> = None;
    for name in CLAMAV_DAILY_FILES {
        let path = format!("{}/{name}", dir.trim_end_matches('/'));
        match read_header(system, &path) {
            HeaderRead::Missing => {}
            HeaderRead::Unreadable(why) => {
                evidence.push(format!("{path} could not be read: {why}"));
                trouble = Some(format!("{path} could not be read"));
            }
            HeaderRead::Text(text) => match parse_clamav_header(&text) {
                Some(h) => {
                    evidence.push(format!(
                        "{path}: definitions version {}, built {}",
                        h.version.map_or("?".into(), |v| v.to_string()),
                        h.built.strftime("%Y-%m-%d %H:%M UTC")
                    ));
                    if newest.as_ref().is_none_or(|n| n.built < h.built) {
                        newest = Some(h);
                    }
                }
                None => {
                    evidence.push(format!("{path} does not start with a ClamAV definitions header"));
                    trouble = Some(format!("{path} has no readable header"));
                }
            },
        }
    }
    match (newest, trouble) {
        (Some(h), _) => Some(definitions_at(system.now(), h.built)),
        (None, Some(why)) => Some(Definitions::Unknown(why)),
        (None, None) => None,
    }
}

fn clamav(system: &dyn System, processes: &[ProcessInfo]) -> Option<Product> {
    let dir = system
        .env(CLAMAV_DB_DIR_ENV)
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| CLAMAV_DB_DIR.to_string());
    let mut evidence = Vec::new();
    let definitions = clamav_definitions(system, &dir, &mut evidence);
    let running = |name: &str| process_match::find(processes, &[name]).into_iter().next().cloned();
    let (clamd, clamonacc, freshclam) = (running("clamd"), running("clamonacc"), running("freshclam"));
    for p in [&clamd, &clamonacc, &freshclam].into_iter().flatten() {
        evidence.push(process_match::describe(p));
    }
    let clamscan = system.run("clamscan", &["--version"]);
    let version = clamscan
        .succeeded()
        .then(|| clamscan.stdout.trim().strip_prefix("ClamAV ").map(str::to_string))
        .flatten();
    if let Some(v) = &version {
        evidence.push(format!("`clamscan --version`: ClamAV {v}"));
    }
    let installed =
        definitions.is_some() || clamd.is_some() || freshclam.is_some() || clamonacc.is_some() || version.is_some();
    if !installed {
        return None;
    }
    let protection = if processes.is_empty() {
        Protection::Unknown("the list of running programs could not be read".into())
    } else if clamd.is_some() || clamonacc.is_some() {
        Protection::On
    } else if freshclam.is_some() {
        Protection::Off("freshclam keeps the definitions up to date, but no ClamAV scanner (clamd) is running".into())
    } else {
        Protection::Off("no ClamAV scanner (clamd) is running; clamscan only scans when asked".into())
    };
    let definitions = definitions.unwrap_or_else(|| {
        evidence.push(format!("no daily.cld or daily.cvd in {dir}"));
        Definitions::Missing
    });
    let mut product = Product::new("ClamAV", true, protection, definitions);
    product.version = version.map(|v| v.split('/').next().unwrap_or_default().to_string());
    product.evidence = evidence;
    Some(product)
}

/// Parses the plain-text `mdatp health` (no real sample of `--output json` was found), one
/// `key<padding>: value` per line, strings quoted, managed settings suffixed ` [managed]`:
///
/// ```text
/// healthy                                     : true
/// real_time_protection_enabled                : true
/// passive_mode_enabled                        : false
/// definitions_updated                         : Aug 12, 2023 at 03:26:24 AM
/// definitions_updated_minutes_ago             : 159
/// definitions_status                          : "up_to_date"
/// ```
pub fn parse_mdatp_health(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .filter_map(|line| {
            let (key, value) = line.split_once(':')?;
            let key = key.trim();
            if key.is_empty()
                || !key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                return None;
            }
            let value = value.trim();
            let value = value.strip_suffix("[managed]").unwrap_or(value).trim();
            Some((key.to_string(), value.trim_matches('"').to_string()))
        })
        .collect()
}

fn mdatp(system: &dyn System, survey: &mut Survey) {
    let out = system.run("mdatp", &["health"]);
    if matches!(out.outcome(), RunOutcome::Missing) {
        return;
    }
    let fields = parse_mdatp_health(&out.stdout);
    let get = |key: &str| fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    if !out.succeeded() || get("real_time_protection_enabled").is_none() {
        survey.unreadable.push(format!(
            "`mdatp health` (Microsoft Defender for Endpoint) could not be read: {}",
            last_error_line(&out)
        ));
        return;
    }
    let protection = match (get("real_time_protection_enabled"), get("passive_mode_enabled")) {
        (_, Some("true")) => Protection::Off("it is in passive mode (passive_mode_enabled : true)".into()),
        (Some("true"), _) => Protection::On,
        (Some("false"), _) => {
            Protection::Off("real-time protection is off (real_time_protection_enabled : false)".into())
        }
        (other, _) => Protection::Unknown(format!(
            "unexpected real_time_protection_enabled `{}`",
            other.unwrap_or_default()
        )),
    };
    let now = system.now();
    let definitions = match get("definitions_updated_minutes_ago").map(str::parse::<i64>) {
        Some(Ok(minutes)) => definitions_at(
            now,
            Timestamp::from_second(now.as_second() - minutes * 60).unwrap_or(now),
        ),
        _ => match get("definitions_status") {
            Some("up_to_date") => Definitions::CurrentPerProduct,
            other => Definitions::Unknown(format!(
                "definitions_status `{}` and no definitions_updated_minutes_ago",
                other.unwrap_or_default()
            )),
        },
    };
    let mut product = Product::new("Microsoft Defender for Endpoint", false, protection, definitions);
    product.version = get("app_version").map(str::to_string);
    let shown: Vec<String> = [
        "healthy",
        "real_time_protection_enabled",
        "passive_mode_enabled",
        "definitions_updated",
        "definitions_updated_minutes_ago",
        "definitions_status",
    ]
    .iter()
    .filter_map(|k| get(k).map(|v| format!("{k} {v}")))
    .collect();
    product.evidence.push(format!("`mdatp health`: {}", shown.join(", ")));
    survey.products.push(product);
}

fn linux(system: &dyn System) -> Survey {
    let mut survey = Survey::default();
    let processes = system.processes();
    if processes.is_empty() {
        survey
            .unreadable
            .push("the list of running programs could not be read, so antivirus programs could not be seen".into());
    }
    survey.products.extend(clamav(system, &processes));
    mdatp(system, &mut survey);
    survey.products.extend(vendor_products(&processes));
    survey
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(protection: Protection, definitions: Definitions, free: bool) -> Product {
        Product::new("Thing", free, protection, definitions)
    }

    const LIMITS: Limits = Limits {
        max_days: 7.0,
        warn_days: 1.0,
    };

    fn verdict(products: Vec<Product>, unreadable: &[&str]) -> Outcome {
        judge(
            &Survey {
                products,
                unreadable: unreadable.iter().map(|s| s.to_string()).collect(),
            },
            LIMITS,
        )
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
    fn powershell_dates_in_both_forms() {
        let expected: Timestamp = "2024-06-04T15:06:27Z".parse().unwrap();
        assert_eq!(parse_powershell_date("/Date(1717513587000)/"), Some(expected));
        assert_eq!(parse_powershell_date("2024-06-04T08:06:27-07:00"), Some(expected));
        assert!(parse_powershell_date("/Date(-11644473600000)/").is_some());
        assert_eq!(parse_powershell_date("yesterday"), None);
    }

    #[test]
    fn product_states() {
        let s = decode_product_state(397_568);
        assert_eq!((s.on, s.current), (Some(true), Some(true)));
        let s = decode_product_state(393_472);
        assert_eq!((s.on, s.current), (Some(false), Some(true)));
        let s = decode_product_state(266_240);
        assert_eq!((s.on, s.current), (Some(true), Some(true)));
        let s = decode_product_state(0x61110);
        assert_eq!((s.on, s.current), (Some(true), Some(false)));
    }

    #[test]
    fn ages_in_whole_days_and_future_dates() {
        let now: Timestamp = "2026-11-22T12:00:00Z".parse().unwrap();
        let at = |s: &str| s.parse::<Timestamp>().unwrap();
        assert_eq!(age_in_days(now, at("2026-11-22T04:00:00Z")), Ok(0));
        assert_eq!(age_in_days(now, at("2026-11-20T11:00:00Z")), Ok(2));
        assert_eq!(age_in_days(now, at("2026-11-22T18:00:00Z")), Ok(0));
        assert!(age_in_days(now, at("2026-12-01T00:00:00Z")).is_err());
    }
}
