//! `--redact`: the names that say whose computer this is, replaced everywhere by stable
//! placeholders, so a snapshot or report can be shared without them and still judged the same.
//! The names of Wi-Fi networks (`wifi-network-1`, …) go too: a home network is often named after
//! the family.
//!
//! Removed: the signed-in user's name (`user-1`), every other person's account name (`user-2`,
//! …), their full names from `/etc/passwd`'s GECOS field (replaced by their account's
//! placeholder) and the computer's name (`host`), in command outputs and arguments, file paths
//! and contents, environment values, process names (their owners are dropped), and a report's
//! words; and the names people give the devices on their network ("Jane's Kitchen speaker",
//! `device-1`, …) in the recorded discovery answers (instance and host names, TXT values other
//! than the model) and a report's words. The same
//! name always becomes the same placeholder, so the checks reach the same verdicts on a redacted
//! snapshot as on the original.
//!
//! Names are matched whole (not inside a longer word) and without regard to ASCII case.
//! Accounts that name no person (`root`, `Administrator`, service accounts) are kept.

use std::collections::BTreeSet;

use crate::checks::user_accounts::{parse_dscl_users, parse_local_users};
use crate::report::Report;
use crate::system::DiscoveryAnswer;
use crate::system::snapshot::Snapshot;

/// The placeholder for the computer's name.
pub const HOST_PLACEHOLDER: &str = "host";

/// The checks whose findings name devices on the network or Wi-Fi networks.
const NAMES_DEVICES: [&str; 2] = ["listening-devices", "wifi-security"];

/// TXT keys that carry a model or maker, which the listening-devices check judges by: kept, so
/// a redacted snapshot reaches the same verdict. (A device's given name is never in them.)
const MODEL_KEYS: [&str; 4] = ["md", "model", "am", "manufacturer"];

/// Account names that identify no person: never replaced.
const NOT_PERSONAL: [&str; 8] = [
    "root",
    "administrator",
    "admin",
    "system",
    "nobody",
    "guest",
    "defaultaccount",
    "wdagutilityaccount",
];

/// The names to replace, each with its placeholder, longest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Redactor {
    pairs: Vec<(String, String)>,
    /// Device names, kept apart: they are common words ("Kitchen", "Office"), so they are
    /// replaced only where devices are named (discovery answers and the report), never in the
    /// command outputs and files other checks judge.
    devices: Vec<(String, String)>,
    /// Wi-Fi network names, kept apart for the same reason (a network may be called `home`):
    /// replaced in the Wi-Fi readings that list them and in the report, nowhere else.
    networks: Vec<(String, String)>,
}

/// A person's account: the name, and the full name when the system records one.
struct Account {
    name: String,
    full_name: Option<String>,
}

impl Redactor {
    /// Learns the names from what a snapshot holds: its host, the user's environment, and the
    /// account lists the user-accounts check read (`/etc/passwd`, `dscl`, `Get-LocalUser`).
    pub fn from_snapshot(snapshot: &Snapshot) -> Redactor {
        let me = snapshot.host.user.clone().or_else(|| {
            ["USER", "USERNAME", "LOGNAME"]
                .iter()
                .find_map(|v| snapshot.env.get(*v).cloned())
        });
        let mut accounts = Vec::new();
        for file in &snapshot.files {
            if file.path == "/etc/passwd"
                && let Some(text) = &file.contents
            {
                accounts.extend(passwd_people(text));
            }
        }
        for command in &snapshot.commands {
            let out = &command.output.stdout;
            if command.program == "dscl" && command.args.iter().any(|a| a == "/Users") {
                for (name, uid) in parse_dscl_users(out).unwrap_or_default() {
                    if uid >= 501 && !name.starts_with('_') {
                        accounts.push(Account { name, full_name: None });
                    }
                }
            }
            if command.args.iter().any(|a| a.contains("Get-LocalUser")) {
                for user in parse_local_users(out).unwrap_or_default() {
                    accounts.push(Account {
                        name: user.name,
                        full_name: None,
                    });
                }
            }
        }
        let mut redactor = Redactor::new(me.as_deref(), snapshot.host.hostname.as_deref(), accounts);
        redactor.add_devices(snapshot);
        let networks = snapshot
            .commands
            .iter()
            .flat_map(|c| crate::checks::wifi_security::network_names(&c.program, &c.args, &c.output.stdout));
        redactor.add_wifi_networks(networks);
        redactor
    }

    /// Learns the names devices announced (as the listening-devices check shows them): each
    /// distinct name, in name order, becomes `device-1`, `device-2`, … Its hyphenated form is
    /// replaced too, as devices build host names from it (`Living-Room.local.`).
    fn add_devices(&mut self, snapshot: &Snapshot) {
        let mut names: Vec<String> = Vec::new();
        let mut seen = BTreeSet::new();
        for recorded in &snapshot.discovery {
            if let DiscoveryAnswer::Services { services } = &recorded.answer {
                for service in services {
                    let name = crate::checks::listening_devices::display_name(service);
                    if name.chars().count() >= 2 && seen.insert(name.to_lowercase()) {
                        names.push(name);
                    }
                }
            }
        }
        names.sort_by_key(|n| n.to_lowercase());
        for (i, name) in names.iter().enumerate() {
            let placeholder = format!("device-{}", i + 1);
            let hyphenated = name.split_whitespace().collect::<Vec<_>>().join("-");
            if hyphenated != *name {
                self.devices.push((hyphenated, placeholder.clone()));
            }
            self.devices.push((name.clone(), placeholder));
        }
        self.devices.sort_by_key(|(needle, _)| std::cmp::Reverse(needle.len()));
    }

    /// Adds Wi-Fi network names (SSIDs), which may name a family or a practice, as
    /// `wifi-network-1`, … in the order first seen; nmcli's terse form (`\:` for `:`) too.
    fn add_wifi_networks(&mut self, names: impl IntoIterator<Item = String>) {
        let mut seen: Vec<String> = self.networks.iter().map(|(name, _)| name.clone()).collect();
        let mut count = self.networks.iter().map(|(_, p)| p).collect::<BTreeSet<_>>().len();
        for name in names {
            if name.trim().is_empty() || seen.iter().any(|s| s.eq_ignore_ascii_case(&name)) {
                continue;
            }
            seen.push(name.clone());
            count += 1;
            let placeholder = format!("wifi-network-{count}");
            let terse = name.replace('\\', "\\\\").replace(':', "\\:");
            if terse != name {
                self.networks.push((terse, placeholder.clone()));
            }
            self.networks.push((name, placeholder));
        }
        self.networks.sort_by_key(|(needle, _)| std::cmp::Reverse(needle.len()));
    }

    fn new(me: Option<&str>, hostname: Option<&str>, mut accounts: Vec<Account>) -> Redactor {
        let personal = |n: &str| !n.trim().is_empty() && !NOT_PERSONAL.contains(&n.to_ascii_lowercase().as_str());
        accounts.retain(|a| personal(&a.name));
        accounts.sort_by(|a, b| a.name.cmp(&b.name));
        // The user first, so they are always `user-1`; then the others in name order.
        let mut names: Vec<String> = me.filter(|m| personal(m)).map(str::to_string).into_iter().collect();
        let mut seen: BTreeSet<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
        for a in &accounts {
            if seen.insert(a.name.to_ascii_lowercase()) {
                names.push(a.name.clone());
            }
        }
        let mut pairs = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let placeholder = format!("user-{}", i + 1);
            for a in accounts.iter().filter(|a| a.name.eq_ignore_ascii_case(name)) {
                if let Some(full) = a.full_name.as_ref().filter(|f| personal(f)) {
                    pairs.push((full.clone(), placeholder.clone()));
                }
            }
            pairs.push((name.clone(), placeholder));
        }
        if let Some(host) = hostname.filter(|h| !h.trim().is_empty()) {
            pairs.push((host.to_string(), HOST_PLACEHOLDER.to_string()));
            // The short name, as `hostname` prints it when the full name has a domain.
            if let Some((short, _)) = host.split_once('.') {
                pairs.push((short.to_string(), HOST_PLACEHOLDER.to_string()));
            }
        }
        pairs.sort_by_key(|(needle, _)| std::cmp::Reverse(needle.len()));
        Redactor {
            pairs,
            devices: Vec::new(),
            networks: Vec::new(),
        }
    }

    /// `text` with every person's and the computer's name replaced.
    pub fn text(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (needle, placeholder) in &self.pairs {
            out = replace_word(&out, needle, placeholder);
        }
        out
    }

    /// `text` with device and Wi-Fi network names replaced first (a device may be named after
    /// a person: "Jane's HomePod" is one device name), then every other name.
    pub fn text_with_devices(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (needle, placeholder) in self.devices.iter().chain(&self.networks) {
            out = replace_word(&out, needle, placeholder);
        }
        self.text(&out)
    }

    /// Wi-Fi network names only, for the Wi-Fi readings that list them.
    fn apply_networks(&self, s: &mut String) {
        for (needle, placeholder) in &self.networks {
            *s = replace_word(s, needle, placeholder);
        }
    }

    fn apply(&self, s: &mut String) {
        if !self.pairs.is_empty() {
            *s = self.text(s);
        }
    }

    fn apply_with_devices(&self, s: &mut String) {
        if !self.pairs.is_empty() || !self.devices.is_empty() || !self.networks.is_empty() {
            *s = self.text_with_devices(s);
        }
    }

    /// Redacts a snapshot in place. The host section and the processes' owners are dropped (the
    /// snapshot contract); the checks learn who is signed in from the environment, which keeps
    /// the placeholders.
    pub fn snapshot(&self, s: &mut Snapshot) {
        s.host.hostname = None;
        s.host.user = None;
        for v in s.env.values_mut() {
            self.apply(v);
        }
        for f in &mut s.files {
            self.apply(&mut f.path);
            for text in [&mut f.contents, &mut f.head, &mut f.error].into_iter().flatten() {
                self.apply(text);
            }
        }
        for c in &mut s.commands {
            if !crate::checks::wifi_security::network_names(&c.program, &c.args, &c.output.stdout).is_empty() {
                self.apply_networks(&mut c.output.stdout);
                self.apply_networks(&mut c.output.stderr);
            }
            c.args.iter_mut().for_each(|a| self.apply(a));
            self.apply(&mut c.output.stdout);
            self.apply(&mut c.output.stderr);
            if let Some(e) = &mut c.output.error {
                self.apply(e);
            }
        }
        for p in &mut s.processes {
            p.user = None;
            self.apply(&mut p.name);
            if let Some(exe) = &mut p.exe {
                self.apply(exe);
            }
        }
        for recorded in &mut s.discovery {
            match &mut recorded.answer {
                DiscoveryAnswer::Services { services } => {
                    for service in services {
                        self.apply_with_devices(&mut service.instance);
                        self.apply_with_devices(&mut service.host);
                        for entry in &mut service.txt {
                            let key = entry.split_once('=').map_or(entry.as_str(), |(k, _)| k);
                            if !MODEL_KEYS.iter().any(|m| m.eq_ignore_ascii_case(key)) {
                                self.apply_with_devices(entry);
                            }
                        }
                    }
                }
                DiscoveryAnswer::Failed { error } => self.apply(error),
            }
        }
    }

    /// Redacts a report's words in place (its host name is left out by the runner already).
    pub fn report(&self, r: &mut Report) {
        r.host.hostname = None;
        if let Some(path) = r.no_profile.as_mut().and_then(|n| n.looked_at.as_mut()) {
            self.apply(path);
        }
        for f in &mut r.findings {
            // Device and network names are ordinary words ("Office", "home"): replaced only in
            // the words of the checks that name devices and networks, never in other checks'
            // words or in fix steps, which come from confide's own text.
            let names_devices = NAMES_DEVICES.contains(&f.check.as_str());
            for text in std::iter::once(&mut f.summary).chain(f.evidence.iter_mut()) {
                if names_devices {
                    self.apply_with_devices(text);
                } else {
                    self.apply(text);
                }
            }
            self.apply(&mut f.remediation);
            f.fix_steps.iter_mut().for_each(|s| self.apply(s));
        }
    }
}

/// People's accounts in `/etc/passwd` (uid 1000 to 60000, as `useradd` gives people, and a shell
/// to log in with: `www` with `/sbin/nologin` is a service), with the
/// full name from the GECOS field (`Jane Smith,Room 1,,` → `Jane Smith`).
fn passwd_people(text: &str) -> Vec<Account> {
    text.lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            let uid: u32 = fields.get(2)?.parse().ok()?;
            let shell = fields.get(6)?.rsplit('/').next().unwrap_or_default();
            if fields.len() != 7 || !(1000..=60000).contains(&uid) || matches!(shell, "nologin" | "false") {
                return None;
            }
            let full = fields[4].split(',').next().unwrap_or_default().trim();
            Some(Account {
                name: fields[0].to_string(),
                full_name: (!full.is_empty()).then(|| full.to_string()),
            })
        })
        .collect()
}

/// Replaces whole-word, ASCII-case-insensitive occurrences of `needle` in `text`.
fn replace_word(text: &str, needle: &str, placeholder: &str) -> String {
    if needle.is_empty() {
        return text.to_string();
    }
    let lower_text = text.to_ascii_lowercase();
    let lower_needle = needle.to_ascii_lowercase();
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-');
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = lower_text[from..].find(&lower_needle) {
        let start = from + found;
        let end = start + lower_needle.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        if !is_word(before) && !is_word(after) {
            out.push_str(&text[copied..start]);
            out.push_str(placeholder);
            copied = end;
            from = end;
        } else {
            from = start + lower_text[start..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_names_are_replaced_in_any_case_and_longer_words_are_kept() {
        assert_eq!(
            replace_word("jo: /home/jo JO json jo_x", "jo", "user-1"),
            "user-1: /home/user-1 user-1 json jo_x"
        );
        assert_eq!(replace_word("JANES-LAPTOP.local", "janes-laptop", "host"), "host.local");
        assert_eq!(replace_word("www-data www", "www", "user-3"), "www-data user-3");
        assert_eq!(replace_word("é jo", "jo", "u"), "é u");
    }

    #[test]
    fn the_user_is_user_1_and_full_names_take_their_accounts_placeholder() {
        let passwd = "root:x:0:0:root:/root:/bin/bash\njanedoe:x:1000:1000:Jane Smith,,,:/home/janedoe:/bin/bash\nbob:x:1001:1001:Bob Jones:/home/bob:/bin/sh\n";
        let r = Redactor::new(Some("janedoe"), Some("janes-pc.lan"), passwd_people(passwd));
        let out = r.text(&format!("{passwd}signed in as janedoe on janes-pc; Bob Jones too"));
        assert!(out.contains("root:x:0:0:root:/root"), "{out}");
        assert!(out.contains("user-1:x:1000:1000:user-1,,,:/home/user-1"), "{out}");
        assert!(out.contains("user-2:x:1001:1001:user-2:/home/user-2"), "{out}");
        assert!(out.ends_with("signed in as user-1 on host; user-2 too"), "{out}");
    }

    #[test]
    fn device_names_become_device_placeholders_only_where_devices_are_named() {
        use crate::system::DiscoveredService;
        use crate::system::snapshot::{RecordedCommand, RecordedDiscovery};
        let service = |ty: &str, instance: &str, host: &str, txt: &[&str]| DiscoveredService {
            service_type: ty.into(),
            instance: instance.into(),
            host: host.into(),
            txt: txt.iter().map(|t| t.to_string()).collect(),
        };
        let os = crate::system::OsInfo {
            family: crate::system::OsFamily::Linux,
            name: "Ubuntu".into(),
            version: "24.04".into(),
            arch: "x86_64".into(),
        };
        let mut snap = Snapshot::new(jiff::Timestamp::UNIX_EPOCH, os, Default::default());
        snap.discovery.push(RecordedDiscovery {
            service_types: vec!["_airplay._tcp".into(), "_googlecast._tcp".into()],
            answer: DiscoveryAnswer::Services {
                services: vec![
                    service(
                        "_googlecast._tcp",
                        "Google-Nest-Mini-e8b5",
                        "e8b5.local.",
                        &["md=Google Nest Mini", "fn=Office"],
                    ),
                    service(
                        "_airplay._tcp",
                        "Living Room",
                        "Living-Room.local.",
                        &["model=AudioAccessory5,1"],
                    ),
                ],
            },
        });
        snap.commands.push(RecordedCommand {
            program: "dpkg-query".into(),
            args: Vec::new(),
            output: crate::system::CommandOutput {
                stdout: "Microsoft Office".into(),
                ..Default::default()
            },
        });
        let r = Redactor::from_snapshot(&snap);
        r.snapshot(&mut snap);
        let DiscoveryAnswer::Services { services } = &snap.discovery[0].answer else {
            panic!()
        };
        // Names in order: "Living Room" is device-1, "Office" device-2.
        assert_eq!(services[0].txt, ["md=Google Nest Mini", "fn=device-2"]);
        assert_eq!(services[0].instance, "Google-Nest-Mini-e8b5");
        assert_eq!(
            (services[1].instance.as_str(), services[1].host.as_str()),
            ("device-1", "device-1.local.")
        );
        assert_eq!(services[1].txt, ["model=AudioAccessory5,1"]);
        // A device named like a common word leaves other outputs alone.
        assert_eq!(snap.commands[0].output.stdout, "Microsoft Office");
        assert_eq!(
            r.text_with_devices("\"Office\" (Google Nest Mini)"),
            "\"device-2\" (Google Nest Mini)"
        );
    }

    #[test]
    fn wifi_network_names_are_replaced_in_plain_and_nmcli_escaped_form() {
        let mut r = Redactor::default();
        r.add_wifi_networks([
            "Smith Family: Home".to_string(),
            "smith family: home".to_string(),
            "Cafe".to_string(),
        ]);
        let out = r.text_with_devices("*:Smith Family\\: Home:WPA2\n :Cafe:\nSSID : Smith Family: Home\nCafeteria");
        assert_eq!(
            out,
            "*:wifi-network-1:WPA2\n :wifi-network-2:\nSSID : wifi-network-1\nCafeteria"
        );
        // A network named like an ordinary word leaves the outputs other checks judge alone.
        r.add_wifi_networks(["home".to_string()]);
        assert_eq!(r.text("/home/jane"), "/home/jane");
        assert_eq!(r.text_with_devices("on home"), "on wifi-network-3");
    }

    #[test]
    fn in_a_report_network_and_device_names_go_only_from_the_checks_that_name_them() {
        use crate::checks::Basis;
        use crate::report::Finding;
        use crate::status::Status;
        let mut r = Redactor::default();
        r.add_wifi_networks(["home".to_string()]);
        let mut wifi = Finding::bare(Status::Pass, Basis::Computer, None);
        wifi.check = "wifi-security".into();
        wifi.evidence = vec!["connected to the network \"home\" (WPA3)".into()];
        let mut disk = Finding::bare(Status::Fail, Basis::Computer, None);
        disk.check = "disk-encryption".into();
        disk.summary = "a separate /home is not encrypted".into();
        disk.fix_steps = vec!["Move /home onto the encrypted disk.".into()];
        let mut report = Report::bare(vec![wifi, disk]);
        r.report(&mut report);
        assert_eq!(
            report.findings[0].evidence,
            ["connected to the network \"wifi-network-1\" (WPA3)"]
        );
        assert_eq!(report.findings[1].summary, "a separate /home is not encrypted");
        assert_eq!(report.findings[1].fix_steps, ["Move /home onto the encrypted disk."]);
    }
}
