//! Linux: a LUKS/dm-crypt layer under `/`, a separate `/home` and swap, from `findmnt`,
//! `lsblk`, `/proc/swaps` and `/proc/mounts`; eCryptfs home folders when the system disk is not
//! encrypted.

use serde::Deserialize;

use super::{Reading, Reason, Unreadable, first_line, ran, shown};
use crate::checks::kit::Verdict;
use crate::system::{FileRead, System};

const FINDMNT_ROOT: [&str; 3] = ["-no", "SOURCE", "/"];
const LSBLK: [&str; 3] = ["--json", "-o", "NAME,TYPE,FSTYPE,MOUNTPOINTS,PKNAME"];
/// For util-linux before 2.37, which has no MOUNTPOINTS column.
const LSBLK_OLD: [&str; 3] = ["--json", "-o", "NAME,TYPE,FSTYPE,MOUNTPOINT,PKNAME"];

/// One block device from `lsblk --json`, with the devices stacked on it.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockDevice {
    pub name: String,
    /// lsblk's TYPE: `disk`, `part`, `crypt`, `lvm`, `loop`, `raid1`…
    pub kind: String,
    /// Mount points; `[SWAP]` for active swap.
    pub mountpoints: Vec<String>,
    pub children: Vec<BlockDevice>,
}

#[derive(Deserialize)]
struct LsblkJson {
    blockdevices: Vec<LsblkDevice>,
}

#[derive(Deserialize)]
struct LsblkDevice {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    mountpoints: Vec<Option<String>>,
    #[serde(default)]
    mountpoint: Option<String>,
    #[serde(default)]
    children: Vec<LsblkDevice>,
}

impl From<LsblkDevice> for BlockDevice {
    fn from(d: LsblkDevice) -> Self {
        BlockDevice {
            name: d.name,
            kind: d.kind,
            mountpoints: d.mountpoints.into_iter().chain([d.mountpoint]).flatten().collect(),
            children: d.children.into_iter().map(BlockDevice::from).collect(),
        }
    }
}

/// Parses `lsblk --json -o NAME,TYPE,FSTYPE,MOUNTPOINTS,PKNAME` (util-linux 2.38, captured):
///
/// ```text
/// {
///    "blockdevices": [
///       {
///          "name": "nvme0n1p3",
///          "type": "part",
///          "fstype": "crypto_LUKS",
///          "mountpoints": [
///              null
///          ],
///          "pkname": "nvme0n1",
///          "children": [
///             {
///                "name": "dm_crypt-0",
///                "type": "crypt",
/// ```
///
/// `mountpoints` is an array (`[null]` when nothing is mounted); util-linux before 2.37 prints
/// `"mountpoint": "/"` (a string or null) instead; both are read. FSTYPE is not used: lsblk reads
/// it from udev and prints null without udev, while TYPE `crypt` comes from the kernel.
pub fn parse_lsblk(stdout: &str) -> Result<Vec<BlockDevice>, String> {
    serde_json::from_str::<LsblkJson>(stdout)
        .map(|j| j.blockdevices.into_iter().map(BlockDevice::from).collect())
        .map_err(|e| format!("not the JSON lsblk prints ({e})"))
}

/// Parses `findmnt -no SOURCE /` into the device path, without the btrfs subvolume suffix:
/// `/dev/vda` → `/dev/vda`; `/dev/loop4[/@]` → `/dev/loop4` (both captured);
/// `/dev/mapper/luks-…[/root]` → `/dev/mapper/luks-…`.
pub fn parse_findmnt_source(stdout: &str) -> Option<String> {
    let line = stdout.lines().map(str::trim).find(|l| !l.is_empty())?;
    let device = match line.find('[') {
        Some(i) if line.ends_with(']') => &line[..i],
        _ => line,
    };
    (!device.is_empty()).then(|| device.to_string())
}

/// The chains from a top-level device down to every appearance of `name` (a device stacked on
/// several, such as an LV spanning two disks, appears under each), each listed from `name` up.
pub fn chains_to<'a>(devices: &'a [BlockDevice], name: &str) -> Vec<Vec<&'a BlockDevice>> {
    fn walk<'a>(
        d: &'a BlockDevice,
        name: &str,
        path: &mut Vec<&'a BlockDevice>,
        found: &mut Vec<Vec<&'a BlockDevice>>,
    ) {
        path.push(d);
        if d.name == name {
            found.push(path.iter().rev().copied().collect());
        }
        for c in &d.children {
            walk(c, name, path, found);
        }
        path.pop();
    }
    let mut found = Vec::new();
    for d in devices {
        walk(d, name, &mut Vec::new(), &mut found);
    }
    found
}

/// Whether `name` sits on a `crypt` device along every chain; `None` when lsblk does not list it.
pub fn is_encrypted(devices: &[BlockDevice], name: &str) -> Option<bool> {
    let chains = chains_to(devices, name);
    (!chains.is_empty()).then(|| chains.iter().all(|c| c.iter().any(|d| d.kind == "crypt")))
}

/// `vgubuntu-root (lvm) on nvme0n1p3_crypt (crypt) on nvme0n1p3 (part) on nvme0n1 (disk)`.
fn describe_chain(devices: &[BlockDevice], name: &str) -> String {
    chains_to(devices, name)
        .first()
        .map(|c| {
            c.iter()
                .map(|d| format!("{} ({})", d.name, d.kind))
                .collect::<Vec<_>>()
                .join(" on ")
        })
        .unwrap_or_else(|| name.to_string())
}

/// Every device with its mountpoints, flattened.
fn all_devices(devices: &[BlockDevice]) -> Vec<&BlockDevice> {
    let mut out = Vec::new();
    let mut stack: Vec<&BlockDevice> = devices.iter().collect();
    while let Some(d) = stack.pop() {
        out.push(d);
        stack.extend(d.children.iter());
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out.dedup_by(|a, b| a.name == b.name);
    out
}

/// One line of `/proc/swaps`.
#[derive(Debug, Clone, PartialEq)]
pub struct SwapArea {
    pub name: String,
    /// `file` or `partition`.
    pub kind: String,
}

/// Parses `/proc/swaps` (captured; the name is padded with spaces to 40 columns, then the fields
/// are separated by tabs, shown here as spaces):
///
/// ```text
/// Filename                                Type            Size            Used            Priority
/// /tmp/swapfile                           file            32764           0               -2
/// /dev/loop2                              partition       32764           0               -3
/// ```
///
/// Names with spaces are escaped by the kernel (`\040`) and so never split.
pub fn parse_swaps(text: &str) -> Vec<SwapArea> {
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let mut fields = l.split_whitespace();
            Some(SwapArea {
                name: unescape_mount(fields.next()?),
                kind: fields.next()?.to_string(),
            })
        })
        .collect()
}

/// The targets of eCryptfs mounts in `/proc/mounts` (a real Ubuntu line):
///
/// ```text
/// /home/fme/.Private /home/fme ecryptfs rw,nosuid,nodev,relatime,ecryptfs_fnek_sig=…,ecryptfs_cipher=aes,… 0 0
/// ```
pub fn ecryptfs_mounts(proc_mounts: &str) -> Vec<String> {
    proc_mounts
        .lines()
        .filter_map(|l| {
            let fields: Vec<&str> = l.split_whitespace().collect();
            (fields.get(2) == Some(&"ecryptfs")).then(|| unescape_mount(fields[1]))
        })
        .collect()
}

/// The kernel writes a space in a mount or swap path as `\040` (and tab, newline, backslash
/// likewise in octal).
fn unescape_mount(field: &str) -> String {
    field
        .replace("\\040", " ")
        .replace("\\011", "\t")
        .replace("\\012", "\n")
        .replace("\\134", "\\")
}

/// The device holding `path`: the one with the longest mountpoint that contains it.
fn device_holding<'a>(devices: &[&'a BlockDevice], path: &str) -> Option<&'a BlockDevice> {
    let contains = |m: &str| m == "/" || path == m || path.strip_prefix(m).is_some_and(|r| r.starts_with('/'));
    devices
        .iter()
        .flat_map(|d| d.mountpoints.iter().map(move |m| (m, *d)))
        .filter(|(m, _)| m.starts_with('/') && contains(m))
        .max_by_key(|(m, _)| m.len())
        .map(|(_, d)| d)
}

/// Runs lsblk, falling back to the singular MOUNTPOINT column on util-linux before 2.37, which
/// exits 1 with `lsblk: unknown column: MOUNTPOINTS,PKNAME`.
fn read_lsblk(system: &dyn System, evidence: &mut Vec<String>) -> Result<Vec<BlockDevice>, Unreadable> {
    let mut args = LSBLK;
    let mut out = system.run("lsblk", &args);
    if !out.succeeded() && out.stderr.contains("unknown column") {
        evidence.push(format!(
            "`lsblk` is older than 2.37 ({}), so MOUNTPOINT was used",
            out.stderr.trim()
        ));
        args = LSBLK_OLD;
        out = system.run("lsblk", &args);
    }
    let out = ran(&out, "lsblk", &args)?;
    let cmd = shown("lsblk", &args);
    if !out.succeeded() {
        return Err(Unreadable::new(
            Reason::UnexpectedOutput,
            "`lsblk` could not list the disks.",
            vec![format!("`{cmd}` failed: {}", first_line(out))],
        ));
    }
    parse_lsblk(&out.stdout).map_err(|why| {
        Unreadable::new(
            Reason::UnexpectedOutput,
            "`lsblk` said something confide does not recognise.",
            vec![format!("`{cmd}`: {why}")],
        )
    })
}

/// The device `/` is mounted from, as an lsblk name (`/dev/mapper/X` and `/dev/X` → `X`).
fn root_device(system: &dyn System, evidence: &mut Vec<String>) -> Result<String, Unreadable> {
    let out = system.run("findmnt", &FINDMNT_ROOT);
    let out = ran(&out, "findmnt", &FINDMNT_ROOT)?;
    let cmd = "`findmnt -no SOURCE /`";
    let source = out.succeeded().then(|| parse_findmnt_source(&out.stdout)).flatten();
    let Some(source) = source else {
        return Err(Unreadable::new(
            Reason::RootDeviceNotFound,
            "the device the system runs from could not be found.",
            vec![format!("{cmd} gave no device: {}", first_line(out))],
        ));
    };
    match source.strip_prefix("/dev/") {
        Some(path) => {
            evidence.push(format!("{cmd}: {source}"));
            Ok(path.rsplit('/').next().unwrap_or(path).to_string())
        }
        None => Err(Unreadable::new(
            Reason::RootDeviceNotFound,
            format!("the system runs from `{source}`, which is not a disk confide can inspect."),
            vec![format!("{cmd}: {source}")],
        )),
    }
}

/// The swap areas on disk that are not encrypted, and those whose disk could not be found.
/// Swap devices are the ones lsblk marks `[SWAP]`: `/proc/swaps` names a device-mapper swap
/// `/dev/dm-N`, a name lsblk does not print. zram swap is compressed memory and never reaches a
/// disk. A swap file is on the disk with the longest mountpoint that holds its path. Without
/// `/proc/swaps`, swap files cannot be ruled out.
fn judge_swap(
    devices: &[BlockDevice],
    swaps: Option<&[SwapArea]>,
    evidence: &mut Vec<String>,
) -> (Vec<String>, Vec<String>) {
    let flat = all_devices(devices);
    let (mut plain, mut unknown) = (Vec::new(), Vec::new());
    let mut judge_device = |name: &str, shown: &str, evidence: &mut Vec<String>| {
        evidence.push(format!("swap {shown} is on {}", describe_chain(devices, name)));
        if is_encrypted(devices, name) != Some(true) {
            plain.push(shown.to_string());
        }
    };
    for d in flat.iter().filter(|d| d.mountpoints.iter().any(|m| m == "[SWAP]")) {
        if d.name.starts_with("zram") {
            evidence.push(format!("swap on {} is compressed memory, not disk", d.name));
        } else {
            judge_device(&d.name, &d.name, evidence);
        }
    }
    let Some(swaps) = swaps else {
        unknown.push("swap files".to_string());
        return (plain, unknown);
    };
    for area in swaps {
        let device = area
            .name
            .strip_prefix("/dev/")
            .map(|p| p.rsplit('/').next().unwrap_or(p));
        match (area.kind.as_str(), device) {
            ("file", _) => match device_holding(&flat, &area.name) {
                Some(d) => judge_device(&d.name, &area.name, evidence),
                None => unknown.push(area.name.clone()),
            },
            // Already judged from lsblk's [SWAP] mark, or RAM.
            (_, Some(name))
                if name.starts_with("dm-")
                    || name.starts_with("zram")
                    || flat
                        .iter()
                        .any(|d| d.name == name && d.mountpoints.iter().any(|m| m == "[SWAP]")) => {}
            (_, Some(name)) if flat.iter().any(|d| d.name == name) => judge_device(name, &area.name, evidence),
            _ => unknown.push(area.name.clone()),
        }
    }
    (plain, unknown)
}

/// What was found about the disks that hold data, for [`verdict`].
#[derive(Debug, Clone, PartialEq)]
pub struct Disks {
    root: String,
    root_encrypted: bool,
    /// A separate `/home` device and whether it is encrypted.
    home: Option<(String, bool)>,
    /// Swap areas on disk not encrypted.
    swap_plain: Vec<String>,
    /// Swap areas whose disk could not be found.
    swap_unknown: Vec<String>,
    ecryptfs: Vec<String>,
}

/// Finds the device under `/` and the crypt layers under it, `/home` and swap.
pub(super) fn read(system: &dyn System) -> Reading {
    let mut evidence = Vec::new();
    let root = match root_device(system, &mut evidence) {
        Ok(root) => root,
        Err(why) => return Reading::Unreadable(why),
    };
    let devices = match read_lsblk(system, &mut evidence) {
        Ok(devices) => devices,
        Err(mut why) => {
            evidence.append(&mut why.evidence);
            why.evidence = evidence;
            return Reading::Unreadable(why);
        }
    };
    let Some(root_encrypted) = is_encrypted(&devices, &root) else {
        evidence.push(format!("`lsblk` does not list {root}"));
        return Reading::Unreadable(Unreadable::new(
            Reason::RootDeviceNotFound,
            format!("the device the system runs from ({root}) is not in the list of disks."),
            evidence,
        ));
    };
    evidence.push(format!(
        "`lsblk`: / is on {}{}",
        describe_chain(&devices, &root),
        if root_encrypted {
            ""
        } else {
            ", with no crypt (LUKS) layer"
        }
    ));
    let flat = all_devices(&devices);

    let home = flat
        .iter()
        .find(|d| d.mountpoints.iter().any(|m| m == "/home"))
        .filter(|d| d.name != root)
        .map(|d| (d.name.clone(), is_encrypted(&devices, &d.name).unwrap_or(false)));
    if let Some((name, _)) = &home {
        evidence.push(format!("/home is on {}", describe_chain(&devices, name)));
    }

    let swaps = match system.read_file("/proc/swaps") {
        FileRead::Contents(text) => Some(parse_swaps(&text)),
        other => {
            evidence.push(format!("/proc/swaps could not be read ({other:?})"));
            None
        }
    };
    let (swap_plain, swap_unknown) = judge_swap(&devices, swaps.as_deref(), &mut evidence);

    // Home-folder encryption only matters when the system disk is not encrypted.
    let ecryptfs = if root_encrypted {
        Vec::new()
    } else {
        match system.read_file("/proc/mounts") {
            FileRead::Contents(text) => ecryptfs_mounts(&text),
            other => {
                evidence.push(format!(
                    "/proc/mounts could not be read ({other:?}): home-folder encryption not looked for"
                ));
                Vec::new()
            }
        }
    };
    for target in &ecryptfs {
        evidence.push(format!("/proc/mounts: {target} is an eCryptfs (encrypted) folder"));
    }

    let disks = Disks {
        root,
        root_encrypted,
        home,
        swap_plain,
        swap_unknown,
        ecryptfs,
    };
    Reading::Linux { disks, evidence }
}

/// The Linux verdict: the system disk decides; a separate `/home` or swap can only lower a pass,
/// and home-folder encryption can only raise a fail to a warning.
pub(super) fn verdict(d: &Disks) -> Verdict<Reason> {
    if d.root_encrypted {
        if let Some((home, false)) = &d.home {
            return Verdict::new(
                Reason::HomeNotEncrypted,
                format!(
                    "The system disk is encrypted, but /home, where your files are kept, is on {home}, which is not."
                ),
            );
        }
        if !d.swap_plain.is_empty() {
            return Verdict::new(
                Reason::SwapNotEncrypted,
                format!(
                    "The system disk is encrypted, but the swap area ({}) is not: parts of memory, such as open notes, can be written there unencrypted.",
                    d.swap_plain.join(", ")
                ),
            );
        }
        if !d.swap_unknown.is_empty() {
            return Verdict::new(
                Reason::UnexpectedOutput,
                format!(
                    "Could not tell whether this computer's disk is fully encrypted: the system disk is, but not every swap area could be checked ({}).",
                    d.swap_unknown.join(", ")
                ),
            );
        }
        return Verdict::new(
            Reason::Encrypted,
            "The system disk is encrypted (LUKS), so your files cannot be read without your passphrase.".to_string(),
        );
    }
    let mut encrypted_homes = d.ecryptfs.clone();
    if let Some((home, true)) = &d.home {
        encrypted_homes.push(format!("/home on {home}"));
    }
    if !encrypted_homes.is_empty() {
        return Verdict::new(
            Reason::HomeOnly,
            format!(
                "Only your home folder is encrypted ({}); the system disk ({}) is not, and it can hold copies of your notes (temporary files, swap, other accounts).",
                encrypted_homes.join(", "),
                d.root
            ),
        );
    }
    Verdict::new(
        Reason::NotEncrypted,
        format!(
            "The system disk ({}) is not encrypted: anyone who takes this computer can read your clients' notes from it.",
            d.root
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findmnt_sources_lose_their_subvolume() {
        assert_eq!(parse_findmnt_source("/dev/vda\n").as_deref(), Some("/dev/vda"));
        assert_eq!(parse_findmnt_source("/dev/loop4[/@]\n").as_deref(), Some("/dev/loop4"));
        assert_eq!(parse_findmnt_source("\n"), None);
    }

    #[test]
    fn linux_home_and_swap_only_lower_a_pass_and_home_encryption_only_softens_a_fail() {
        let disks = |root_encrypted, home: Option<bool>, plain: &[&str], unknown: &[&str], ecryptfs: &[&str]| {
            let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
            Disks {
                root: "vda".into(),
                root_encrypted,
                home: home.map(|e| ("sdb1".to_string(), e)),
                swap_plain: v(plain),
                swap_unknown: v(unknown),
                ecryptfs: v(ecryptfs),
            }
        };
        let state = |d: Disks| verdict(&d).reason;
        assert_eq!(state(disks(true, None, &[], &[], &[])), Reason::Encrypted);
        assert_eq!(state(disks(true, Some(true), &[], &[], &[])), Reason::Encrypted);
        assert_eq!(state(disks(true, Some(false), &[], &[], &[])), Reason::HomeNotEncrypted);
        assert_eq!(state(disks(true, None, &["sda2"], &[], &[])), Reason::SwapNotEncrypted);
        assert_eq!(
            state(disks(true, None, &[], &["swap files"], &[])),
            Reason::UnexpectedOutput
        );
        assert_eq!(state(disks(false, None, &[], &["x"], &[])), Reason::NotEncrypted);
        assert_eq!(state(disks(false, Some(true), &[], &[], &[])), Reason::HomeOnly);
        assert_eq!(state(disks(false, None, &[], &[], &["/home/fme"])), Reason::HomeOnly);
    }

    #[test]
    fn swap_files_belong_to_the_longest_mountpoint() {
        let dev = |name: &str, m: &[&str]| BlockDevice {
            name: name.into(),
            kind: "part".into(),
            mountpoints: m.iter().map(|s| s.to_string()).collect(),
            children: vec![],
        };
        let (root, data) = (dev("sda1", &["/"]), dev("sdb1", &["/mnt/data"]));
        let all = vec![&root, &data];
        assert_eq!(device_holding(&all, "/swapfile").map(|d| d.name.as_str()), Some("sda1"));
        assert_eq!(
            device_holding(&all, "/mnt/data/swap").map(|d| d.name.as_str()),
            Some("sdb1")
        );
        assert_eq!(
            device_holding(&all, "/mnt/database/swap").map(|d| d.name.as_str()),
            Some("sda1")
        );
    }
}
