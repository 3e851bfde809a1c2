//! macOS: XProtect, built in, dated by its installer receipts; other products by their process.

use jiff::Timestamp;

use super::{Definitions, Product, Protection, Rhythm, Survey, last_error_line, vendors};
use crate::probe::macos_defaults::{self, Defaults};
use crate::system::System;

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
            (_, _, Some(installed)) => Definitions::Dated(installed),
            (_, _, None) => Definitions::Unknown("the receipt has no install time".into()),
        },
    };
    let mut product = Product::new("XProtect", true, Protection::On, definitions);
    product.rhythm = Rhythm::Apple;
    product.version = version.map(|v| v.to_string());
    product
        .evidence
        .push("XProtect is built into macOS and cannot be turned off".into());
    product.evidence.extend(evidence);
    product
}

/// XProtect, Microsoft Defender for Endpoint, then known third-party products by their running
/// processes.
pub(super) fn survey(system: &dyn System) -> Survey {
    let mut survey = Survey::default();
    survey.products.push(xprotect(system));
    super::mdatp::read(system, &mut survey);
    let processes = system.processes();
    if processes.is_empty() {
        survey.unreadable.push(
            "the list of running programs could not be read, so other antivirus products could not be seen".into(),
        );
    }
    survey.products.extend(vendors::products(&processes));
    survey
}
