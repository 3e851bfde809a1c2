//! Windows: Microsoft Defender's own status, and the products registered with Windows Security.

use jiff::Timestamp;

use super::exclusions::{HIDDEN_PLACEHOLDER, PROCESS_PREFIX};
use super::{Definitions, Exclusions, Product, Protection, Survey, last_error_line};
use crate::probe::powershell;
use crate::system::{RunOutcome, System};

/// The fields of `Get-MpComputerStatus` the verdict needs, selected because a bare
/// `ConvertTo-Json` also serialises the CIM plumbing.
pub const DEFENDER_COMMAND: &str = "Get-MpComputerStatus | Select-Object AMRunningMode,AMServiceEnabled,AntivirusEnabled,RealTimeProtectionEnabled,AntivirusSignatureAge,AntivirusSignatureLastUpdated,IsTamperProtected | ConvertTo-Json";
/// Every antivirus product registered with Windows Security (absent on Windows Server).
pub const SECURITY_CENTER_COMMAND: &str = "Get-CimInstance -Namespace root/SecurityCenter2 -ClassName AntiVirusProduct | Select-Object displayName,productState,pathToSignedProductExe,timestamp | ConvertTo-Json";

/// The folders and files Defender has been told not to scan. Readable without administrator
/// rights on older Windows; recent Windows prints a placeholder instead ([`HIDDEN_PLACEHOLDER`]).
pub const DEFENDER_EXCLUSIONS_COMMAND: &str =
    "Get-MpPreference | Select-Object ExclusionPath, ExclusionExtension, ExclusionProcess | ConvertTo-Json";

/// What to do when Windows hides the exclusions, in the words the BitLocker finding uses.
const ELEVATE: &str = "Windows shows Microsoft Defender's exclusions only to an administrator. Run `confide scan` from an elevated terminal (right-click Start, choose Terminal (Admin)) to check them.";

const DEFENDER: &str = "Microsoft Defender Antivirus";
/// `AntivirusSignatureAge` when there are no signatures at all (uint32 -1).
const NO_SIGNATURES: u64 = 4_294_967_295;

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
    let [object] = <[serde_json::Value; 1]>::try_from(powershell::objects(stdout).ok()?).ok()?;
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
fn defender_product(status: &MpStatus) -> Product {
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
        (None, Some(updated)) => Definitions::Dated(updated),
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

/// Parses [`DEFENDER_EXCLUSIONS_COMMAND`]: the folders and files (`ExclusionPath`), the file
/// types (`ExclusionExtension`, listed as `*.ext`) and the programs whose files are not scanned
/// (`ExclusionProcess`, listed after [`PROCESS_PREFIX`]). Each is a list of strings, `null` when
/// nothing is excluded, and holds only the placeholder when the user may not see it. The real
/// listings this reads (as `Format-List` shows them; see the fixture notes):
///
/// ```text
/// ExclusionExtension                            : {.dat, .ind}
/// ExclusionPath                                 : {C:\}
/// ExclusionProcess                              : {Z:\Apps\Ha19.exe, ...}
/// ```
///
/// and, unelevated on recent Windows, `N/A: Must be an administrator to view exclusions`.
/// `ExclusionPath` must be there; the other two, absent, list nothing.
pub fn parse_exclusion_paths(stdout: &str) -> Option<Exclusions> {
    let [object] = <[serde_json::Value; 1]>::try_from(powershell::objects(stdout).ok()?).ok()?;
    let object = object.as_object()?;
    let list = |name: &str| -> Option<Vec<String>> {
        match object.get(name) {
            None | Some(serde_json::Value::Null) => Some(Vec::new()),
            Some(serde_json::Value::String(one)) => Some(vec![one.clone()]),
            Some(serde_json::Value::Array(items)) => items.iter().map(|v| v.as_str().map(str::to_string)).collect(),
            _ => None,
        }
    };
    object.get("ExclusionPath")?;
    let (paths, extensions, processes) = (list("ExclusionPath")?, list("ExclusionExtension")?, list("ExclusionProcess")?);
    // Other languages' placeholders are not known; any "N/A: …" is a placeholder, not a path.
    let hidden = |p: &String| p == HIDDEN_PLACEHOLDER || p.starts_with("N/A");
    if paths.iter().chain(&extensions).chain(&processes).any(hidden) {
        return Some(Exclusions::Hidden(ELEVATE.into()));
    }
    let extensions = extensions.iter().map(|e| match e.trim().trim_start_matches('*').trim_start_matches('.') {
        "" | "*" => "*".to_string(),
        ext => format!("*.{ext}"),
    });
    let processes = processes.iter().map(|p| format!("{PROCESS_PREFIX}{}", p.trim()));
    Some(Exclusions::Listed(paths.into_iter().chain(extensions).chain(processes).collect()))
}

/// Defender's exclusions, or why they could not be seen.
fn defender_exclusions(system: &dyn System) -> Exclusions {
    let out = powershell::run(system, DEFENDER_EXCLUSIONS_COMMAND);
    match parse_exclusion_paths(&out.stdout) {
        Some(found) if out.succeeded() => found,
        _ => Exclusions::Unreadable(format!("`Get-MpPreference` could not be read: {}", last_error_line(&out))),
    }
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
    powershell::objects(stdout)
        .ok()?
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

/// Microsoft Defender from its own status, then every product Windows Security lists.
pub(super) fn survey(system: &dyn System) -> Survey {
    let mut survey = Survey::default();
    let mp = powershell::run(system, DEFENDER_COMMAND);
    let mut defender = match parse_mp_status(&mp.stdout) {
        Some(status) if mp.succeeded() => {
            let mut product = defender_product(&status);
            product.exclusions = defender_exclusions(system);
            Some(product)
        }
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

    let sc = powershell::run(system, SECURITY_CENTER_COMMAND);
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
                    // Seen only through Windows Security: its exclusions still decide a pass.
                    (true, None) => {
                        let mut product = security_center_product(p, true);
                        product.exclusions = defender_exclusions(system);
                        survey.products.push(product);
                    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// No real capture of the empty form exists (see the fixture note of
    /// `defender-exclusions-none.toml`), so this asserts only how the parser reads PowerShell's
    /// documented serialisation of an empty list; no test may rest a pass on it.
    #[test]
    fn an_empty_exclusion_list_reads_as_nothing_excluded() {
        let none = "{\r\n    \"ExclusionPath\":  null\r\n}";
        assert_eq!(parse_exclusion_paths(none), Some(Exclusions::Listed(Vec::new())));
        let one = "{\r\n    \"ExclusionPath\":  \"C:\\\\Lab\"\r\n}";
        assert_eq!(parse_exclusion_paths(one), Some(Exclusions::Listed(vec!["C:\\Lab".into()])));
        assert_eq!(parse_exclusion_paths("not json"), None);
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
}
