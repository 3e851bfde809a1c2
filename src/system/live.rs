//! The real machine.

use std::sync::OnceLock;
use std::time::Duration;

use jiff::Timestamp;
use sysinfo::{ProcessRefreshKind, ProcessesToUpdate, UpdateKind, Users};

use super::exec::{self, ExecLimits};
use super::net::{self, NetworkOptions};
use super::{
    CommandOutput, DiscoveryAnswer, DnsAnswer, DnsType, FileRead, HostInfo, HttpAnswer, OsFamily, OsInfo, ProcessInfo,
    System,
};

/// Answers every question from this machine.
pub struct LiveSystem {
    os: OsInfo,
    host: HostInfo,
    limits: ExecLimits,
    network: NetworkOptions,
    processes: OnceLock<Vec<ProcessInfo>>,
}

impl LiveSystem {
    pub fn new(limits: ExecLimits) -> Self {
        LiveSystem {
            os: detect_os(),
            host: detect_host(),
            limits,
            network: NetworkOptions::default(),
            processes: OnceLock::new(),
        }
    }

    /// Where DNS queries go and which extra certificates HTTPS trusts.
    pub fn with_network(mut self, network: NetworkOptions) -> Self {
        self.network = network;
        self
    }
}

/// Reads one variable of confide's own process environment. For the CLI's own settings (colour,
/// directories); checks read the environment through [`System::env`] instead.
pub fn process_env(name: &str) -> Option<String> {
    #[allow(clippy::disallowed_methods)] // the System's one sanctioned place to read the environment
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn detect_os() -> OsInfo {
    let family = OsFamily::from_rust_os(std::env::consts::OS).unwrap_or(OsFamily::Linux);
    let name = match family {
        // sysinfo names macOS by its kernel ("Darwin").
        OsFamily::Macos => "macOS".to_string(),
        _ => sysinfo::System::name().unwrap_or_else(|_| family.display_name().to_string()),
    };
    OsInfo {
        family,
        name,
        version: sysinfo::System::os_version().unwrap_or_else(|_| "unknown".to_string()),
        arch: sysinfo::System::cpu_arch(),
    }
}

fn detect_host() -> HostInfo {
    HostInfo {
        hostname: sysinfo::System::host_name().ok(),
        user: process_env("USER").or_else(|| process_env("USERNAME")),
    }
}

impl System for LiveSystem {
    fn os(&self) -> &OsInfo {
        &self.os
    }

    fn host(&self) -> &HostInfo {
        &self.host
    }

    fn run(&self, program: &str, args: &[&str]) -> CommandOutput {
        exec::run(program, args, self.limits)
    }

    fn run_slow(&self, program: &str, args: &[&str], at_least: Duration) -> CommandOutput {
        let limits = exec::ExecLimits {
            timeout: self.limits.timeout.max(at_least),
            ..self.limits
        };
        exec::run(program, args, limits)
    }

    fn read_file(&self, path: &str) -> FileRead {
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return FileRead::Missing,
            Err(e) => return FileRead::Unreadable(e.to_string()),
            Ok(m) if m.is_dir() => return FileRead::Directory,
            // A named pipe or a device would block or never end: never a setting to read.
            Ok(m) if !m.is_file() => return FileRead::Unreadable("not a regular file".to_string()),
            Ok(_) => {}
        }
        match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => FileRead::Contents(text),
                Err(_) => FileRead::Unreadable("not a text file (not UTF-8)".to_string()),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => FileRead::Missing,
            Err(e) => FileRead::Unreadable(e.to_string()),
        }
    }

    fn read_file_head(&self, path: &str, max_bytes: usize) -> FileRead {
        use std::io::Read;
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return FileRead::Missing,
            Err(e) => return FileRead::Unreadable(e.to_string()),
            Ok(m) if m.is_dir() => return FileRead::Directory,
            Ok(_) => {}
        }
        let mut head = Vec::with_capacity(max_bytes);
        match std::fs::File::open(path).and_then(|f| f.take(max_bytes as u64).read_to_end(&mut head)) {
            Ok(_) => FileRead::Contents(String::from_utf8_lossy(&head).into_owned()),
            Err(e) => FileRead::Unreadable(e.to_string()),
        }
    }

    fn modified(&self, path: &str) -> Option<Timestamp> {
        let time = std::fs::metadata(path).ok()?.modified().ok()?;
        Timestamp::try_from(time).ok()
    }

    fn processes(&self) -> Vec<ProcessInfo> {
        self.processes.get_or_init(list_processes).clone()
    }

    fn env(&self, name: &str) -> Option<String> {
        process_env(name)
    }

    fn now(&self) -> Timestamp {
        #[allow(clippy::disallowed_methods)] // the System's one sanctioned clock read
        Timestamp::now()
    }

    fn boot_time(&self) -> Option<Timestamp> {
        let secs = sysinfo::System::boot_time().ok()?;
        Timestamp::from_second(i64::try_from(secs).ok()?)
            .ok()
            .filter(|_| secs > 0)
    }

    fn command_timeout(&self) -> Duration {
        self.limits.timeout
    }

    fn dns(&self, name: &str, kind: DnsType) -> DnsAnswer {
        net::dns(&self.network, name, kind)
    }

    fn https_get(&self, url: &str, max_bytes: usize) -> HttpAnswer {
        net::https_get(&self.network, url, max_bytes)
    }

    fn discover(&self, service_types: &[&str], bound: Duration) -> DiscoveryAnswer {
        super::lan::browse(service_types, bound)
    }
}

fn list_processes() -> Vec<ProcessInfo> {
    // An empty list tells checks "could not list processes", never "nothing is running".
    let Ok(mut sys) = sysinfo::System::new() else {
        return Vec::new();
    };
    sys.refresh_processes_specifics(
        ProcessesToUpdate::All,
        true,
        ProcessRefreshKind::nothing()
            .with_exe(UpdateKind::OnlyIfNotSet)
            .with_user(UpdateKind::OnlyIfNotSet),
    );
    let users = Users::new_with_refreshed_list().ok();
    let mut list: Vec<ProcessInfo> = sys
        .processes()
        .values()
        // Threads are listed as processes on Linux; they carry their parent's name.
        .filter(|p| p.thread_kind().is_none())
        .map(|p| ProcessInfo {
            pid: p.pid().as_u32(),
            name: p.name().to_string_lossy().into_owned(),
            exe: p.exe().map(|e| e.to_string_lossy().into_owned()),
            user: p
                .user_id()
                .and_then(|uid| users.as_ref().and_then(|u| u.get_user_by_id(uid)))
                .map(|u| u.name().to_string()),
        })
        .collect();
    list.sort_by_key(|p| p.pid);
    list
}
