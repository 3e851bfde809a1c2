//! Windows: the updates Windows Update has found and not installed, from its own cache. The
//! Windows Update Agent answers an offline search (`Online = $false`: no network, from the last
//! scan's results) without administrator rights. Each update carries the day Microsoft last
//! published it (`LastDeploymentChangeTime`), not the day this computer found it, so the age is
//! counted from publication: the clock Cyber Essentials' 14 days run on.

use std::time::Duration;

use jiff::civil::Date;
use serde::Deserialize;
use serde_json::Value;

use super::pending::PendingUpdate;
use crate::probe::powershell;
use crate::system::{RunOutcome, System};

/// The offline search, one object per update Windows would install by itself
/// (`AutoSelectOnWebSites=1`: not optional previews or drivers; hidden ones too, since a hidden
/// security fix is still missing), its date written by the script itself as `yyyy-MM-dd` in the
/// invariant culture so that neither the display language, its calendar, nor PowerShell's own date
/// serialisation shapes it. Only a search that fully succeeded (result code 2) is read: "succeeded
/// with errors" may have left updates out (no double quotes: they would need escaping on the command line). A failed search is a terminating error (exit 1, the HRESULT on stderr).
pub const WUA_SEARCH: &str = "$ErrorActionPreference='Stop'; $ProgressPreference='SilentlyContinue'; \
$searcher = (New-Object -ComObject Microsoft.Update.Session).CreateUpdateSearcher(); \
$searcher.Online = $false; \
$result = $searcher.Search('IsInstalled=0 and Type=''Software'' and AutoSelectOnWebSites=1'); \
if ($result.ResultCode -ne 2) { throw ('the search ended with result code ' + $result.ResultCode) }; \
@($result.Updates | ForEach-Object { [pscustomobject]@{ \
Title = $_.Title; KBArticleIDs = @($_.KBArticleIDs); MsrcSeverity = $_.MsrcSeverity; \
CategoryIDs = @($_.Categories | ForEach-Object { $_.CategoryID }); \
LastDeploymentChangeTime = $(if ($_.LastDeploymentChangeTime) { $_.LastDeploymentChangeTime.ToString('yyyy-MM-dd', [Globalization.CultureInfo]::InvariantCulture) } else { $null }) } }) \
| ConvertTo-Json";

/// How long the search may take: a public report measured about 4 s offline and 9 s online
/// (bklockwood/PSWU issue 20), more than the usual 5 s a command is given.
/// 15 s leaves the other Windows readings room within a check's 30 s.
const SLOW: Duration = Duration::from_secs(15);

/// Windows Update's category of security fixes ("Security Updates"), the same on every display
/// language, unlike the category's name.
const SECURITY_UPDATES: &str = "0fa1201d-4330-4fa8-8ae9-b877473b6441";

/// One update found and not installed.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitingUpdate {
    pub update: PendingUpdate,
    /// When Microsoft last published it; `None` where Windows gave no date.
    pub published: Option<Date>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Raw {
    title: String,
    #[serde(default)]
    msrc_severity: Option<String>,
    #[serde(default, rename = "CategoryIDs")]
    category_ids: Vec<String>,
    #[serde(default)]
    last_deployment_change_time: Option<String>,
}

/// Parses the search's `ConvertTo-Json` (Windows PowerShell 5.1: two spaces after each colon,
/// one update printed bare, none printed as nothing). The layout and every field but the date
/// are from a real run of a search like it (cnquery's test data, Windows Server 2019):
///
/// ```text
/// [
///     {
///         "Title":  "2020-02 Security Update for Adobe Flash Player for Windows Server 2019 for x64-based Systems (KB4537759)",
///         "KBArticleIDs":  [
///                              "4537759"
///                          ],
///         "MsrcSeverity":  "Critical",
///         "CategoryIDs":  [
///                             "0fa1201d-4330-4fa8-8ae9-b877473b6441",
///                             "f702a48c-919b-45d6-9aef-ca4248d50397"
///                         ],
///         "LastDeploymentChangeTime":  "2020-02-11"
///     }
/// ]
/// ```
///
/// A security fix is in the Security Updates category or has a Microsoft severity rating (the
/// real sample has a security cumulative update with no rating, so the category decides first).
/// `Err` for anything else, with why: a date that is not `yyyy-MM-dd` is not guessed at.
pub fn parse_wua_search(stdout: &str) -> Result<Vec<WaitingUpdate>, String> {
    powershell::objects(stdout)?
        .into_iter()
        .map(|object: Value| {
            let raw: Raw = serde_json::from_value(object).map_err(|e| format!("an update it listed could not be read ({e})"))?;
            let published = match raw.last_deployment_change_time.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(text) => Some(
                    text.parse::<Date>()
                        .map_err(|_| format!("the date {} of \"{}\" is not a day", crate::words::excerpt(text, 40), raw.title))?,
                ),
            }
            // An empty COM date reads as 1899-12-30: no date, not an ancient one.
            .filter(|d| d.year() >= 2000);
            let security = raw.category_ids.iter().any(|c| c.eq_ignore_ascii_case(SECURITY_UPDATES))
                || raw.msrc_severity.as_deref().is_some_and(|s| !s.trim().is_empty());
            Ok(WaitingUpdate {
                update: PendingUpdate {
                    name: raw.title.trim().to_string(),
                    security,
                },
                published,
            })
        })
        .collect()
}

/// What the offline search answered.
pub enum Searched {
    /// PowerShell is not there to ask (not Windows as confide knows it): nothing is claimed.
    NotAsked,
    Found(Vec<WaitingUpdate>),
    /// The search failed or its answer could not be read: why.
    Failed(String),
}

/// Runs the offline search.
pub fn search(system: &dyn System) -> Searched {
    let out = system.run_slow("powershell", &["-NoProfile", "-NonInteractive", "-Command", WUA_SEARCH], SLOW);
    if matches!(out.outcome(), RunOutcome::Missing) {
        return Searched::NotAsked;
    }
    if let RunOutcome::Exited { status: Some(status) } = out.outcome()
        && status != 0
    {
        // PowerShell writes the error's message first and its position and category after.
        let message = out.stderr.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("no message");
        return Searched::Failed(format!(
            "the search failed (PowerShell exited with {status}: {})",
            crate::words::excerpt(message, 120)
        ));
    }
    if let Some(why) = out.failure("PowerShell") {
        return Searched::Failed(why);
    }
    match parse_wua_search(&out.stdout) {
        Ok(found) => Searched::Found(found),
        Err(why) => Searched::Failed(why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn security_is_the_category_or_a_rating_and_dates_are_days_or_nothing() {
        let one = "{\n    \"Title\":  \"2020-03 Cumulative Update (KB4538461)\",\n    \"MsrcSeverity\":  null,\n    \"CategoryIDs\":  [\n \"0FA1201D-4330-4FA8-8AE9-B877473B6441\"\n ],\n    \"LastDeploymentChangeTime\":  \"2020-03-10\"\n}";
        let found = parse_wua_search(one).unwrap();
        assert!(found[0].update.security);
        assert_eq!(found[0].published, Some(jiff::civil::date(2020, 3, 10)));
        let rated = "[{\"Title\": \"Flash (KB4537759)\", \"MsrcSeverity\": \"Critical\", \"CategoryIDs\": [], \"LastDeploymentChangeTime\": null}]";
        let found = parse_wua_search(rated).unwrap();
        assert!(found[0].update.security);
        assert_eq!(found[0].published, None);
        let plain = "[{\"Title\": \"MSRT (KB890830)\", \"MsrcSeverity\": null, \"CategoryIDs\": [\"28bc880e-0592-4cbf-8f95-c79b17911d5f\"]}]";
        assert!(!parse_wua_search(plain).unwrap()[0].update.security);
        assert!(parse_wua_search("").unwrap().is_empty());
        assert!(parse_wua_search("[{\"Title\": \"x\", \"LastDeploymentChangeTime\": \"10.03.2020\"}]").is_err());
        assert!(parse_wua_search("[{\"KB\": \"x\"}]").is_err());
        let zero = "[{\"Title\": \"x\", \"LastDeploymentChangeTime\": \"1899-12-30\"}]";
        assert_eq!(parse_wua_search(zero).unwrap()[0].published, None);
        assert!(parse_wua_search("Exception from HRESULT: 0x8024401C").is_err());
    }
}
