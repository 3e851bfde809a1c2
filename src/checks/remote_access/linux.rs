//! Linux: the listening TCP ports of remote-access services (`ss`), and the processes of
//! remote-desktop and remote-support programs.

use std::net::IpAddr;

use super::{Observation, State, running_programs};
use crate::system::System;

/// The ports of remote-access services, with the name people know each by.
fn remote_port_service(port: u16) -> Option<&'static str> {
    match port {
        22 => Some(SSH_SERVER),
        3389 => Some("Remote Desktop (RDP)"),
        5900..=5909 => Some("VNC screen sharing"),
        _ => None,
    }
}

const SSH_SERVER: &str = "SSH server";

/// Process names on Linux: executable file names from Debian 12 packages (xrdp, x11vnc, vino,
/// gnome-remote-desktop, krfb) and public process listings (TeamViewer, AnyDesk). The kernel cuts
/// a process name to 15 characters (`gnome-remote-de`), and the executable path of another
/// user's process may be unreadable, so the cut name is listed too.
const LINUX_PROGRAMS: [(&str, &[&str]); 8] = [
    (SSH_SERVER, &["sshd"]),
    ("xrdp (Remote Desktop)", &["xrdp", "xrdp-sesman"]),
    ("x11vnc (VNC)", &["x11vnc"]),
    ("Vino (screen sharing)", &["vino-server"]),
    (
        "GNOME Remote Desktop",
        &["gnome-remote-desktop-daemon", "gnome-remote-de"],
    ),
    ("KDE Desktop Sharing (krfb)", &["krfb"]),
    ("TeamViewer", &["teamviewerd"]),
    ("AnyDesk", &["anydesk"]),
];

/// One listening TCP socket.
#[derive(Debug, Clone, PartialEq)]
pub struct Listener {
    /// The local address as printed, e.g. `0.0.0.0:22` or `[::]:22`.
    pub local: String,
    pub port: u16,
    /// Only this computer can connect (127.0.0.0/8 or ::1).
    pub loopback: bool,
}

/// Parses `ss -ltnH` (iproute2 6.1.0, Debian 12, sshd running): one line per listening socket,
/// space-aligned, the local address in the 4th field, IPv6 addresses in brackets:
///
/// ```text
/// LISTEN 0      128    0.0.0.0:2024 0.0.0.0:*
/// LISTEN 0      128    0.0.0.0:22   0.0.0.0:*
/// LISTEN 0      128       [::]:22      [::]:*
/// ```
///
/// `*` as the address means every address; `%iface` after an address binds it to one interface.
/// A line of any other shape makes the whole output unexpected.
pub fn parse_ss_listeners(stdout: &str) -> Result<Vec<Listener>, String> {
    stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| parse_ss_line(line).ok_or_else(|| format!("unexpected line `{}`", line.trim())))
        .collect()
}

fn parse_ss_line(line: &str) -> Option<Listener> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    if fields.len() < 5 || fields[0] != "LISTEN" {
        return None;
    }
    let local = fields[3];
    let (host, port) = local.rsplit_once(':')?;
    let port = port.parse().ok()?;
    let host = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    let host = host.split_once('%').map_or(host, |(address, _interface)| address);
    let loopback = match host {
        "*" => false,
        _ => match host.parse::<IpAddr>().ok()? {
            IpAddr::V4(v4) => v4.is_loopback(),
            IpAddr::V6(v6) => v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
        },
    };
    Some(Listener {
        local: local.to_string(),
        port,
        loopback,
    })
}

fn listening_sockets(system: &dyn System) -> Vec<Observation> {
    let shown = "`ss -ltnH`";
    let out = system.run("ss", &["-ltnH"]);
    if let Some(why) = out.failure("ss") {
        return vec![Observation::new(
            "the listening network ports",
            State::Unreadable,
            format!("{shown} could not be read: {why}"),
        )];
    }
    let listeners = match parse_ss_listeners(&out.stdout) {
        Ok(listeners) => listeners,
        Err(why) => {
            return vec![Observation::new(
                "the listening network ports",
                State::Unreadable,
                format!("{shown} could not be read: {why}"),
            )];
        }
    };
    let mut observations = Vec::new();
    for l in &listeners {
        let Some(service) = remote_port_service(l.port) else {
            continue;
        };
        observations.push(if l.loopback {
            Observation::new(
                service,
                State::NotSet,
                format!("{shown}: {service} listens on {} (this computer only)", l.local),
            )
        } else {
            Observation::new(
                service,
                State::On,
                format!(
                    "{shown}: {service} accepts connections from other computers on {}",
                    l.local
                ),
            )
        });
    }
    if !observations.iter().any(|r| r.state == State::On) {
        observations.push(Observation::new(
            "remote-access ports",
            State::Off,
            format!(
                "{shown}: none of the {} listening ports is open to other computers for SSH (22), RDP (3389) or VNC (5900-5909)",
                listeners.len()
            ),
        ));
    }
    observations
}

pub(super) fn read(system: &dyn System) -> Vec<Observation> {
    let mut observations = listening_sockets(system);
    observations.extend(running_programs(
        &system.processes(),
        &LINUX_PROGRAMS,
        "remote-access or remote-support program",
    ));
    observations
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ss_addresses_are_classified() {
        let one = |line: &str| parse_ss_listeners(line).map(|v| (v[0].port, v[0].loopback));
        assert_eq!(one("LISTEN 0 128 0.0.0.0:22 0.0.0.0:*"), Ok((22, false)));
        assert_eq!(one("LISTEN 0 128 [::]:22 [::]:*"), Ok((22, false)));
        assert_eq!(one("LISTEN 0 128 *:3389 *:*"), Ok((3389, false)));
        assert_eq!(one("LISTEN 0 5 127.0.0.1:5900 0.0.0.0:*"), Ok((5900, true)));
        assert_eq!(one("LISTEN 0 5 [::1]:5901 [::]:*"), Ok((5901, true)));
        assert_eq!(one("LISTEN 0 4096 127.0.0.53%lo:53 0.0.0.0:*"), Ok((53, true)));
        assert_eq!(one("LISTEN 0 128 192.168.1.20:22 0.0.0.0:*"), Ok((22, false)));
        assert!(parse_ss_listeners("State Recv-Q Send-Q Local Address:Port Peer Address:Port").is_err());
        assert_eq!(parse_ss_listeners(""), Ok(vec![]));
    }
}
