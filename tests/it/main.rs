//! The integration tests, in one binary (one link, one process start per run): a module per area.

// The live tests run Unix tools and are compiled for Unix only; on Windows (CI's windows-latest
// runner) the helpers they share are unused, which is expected there and nowhere else.
#![cfg_attr(windows, allow(dead_code, unused_imports))]

mod common;

mod antivirus;
mod antivirus_exclusions;
mod antivirus_mdatp;
mod backup_encryption;
mod cli;
mod cron_concurrent;
mod disk_encryption;
mod documents;
mod fifo_inputs;
mod files;
mod firewall;
mod fixtures_valid;
mod fuzz;
mod ico_register;
mod listening_devices;
mod listening_devices_sonos;
mod live;
mod machines;
mod mail_encryption;
mod no_profile_notice;
mod os_support;
mod os_updates;
mod os_updates_fedora;
mod os_updates_waiting;
mod os_updates_windows;
mod papercuts;
mod policy_sources;
mod profile;
mod provenance_rule;
mod redaction;
mod remote_access;
mod report_layout;
mod screen_lock;
mod task_scheduler_schema;
mod user_accounts;
mod video_apps;
mod voice_assistants;
mod weekly;
mod weekly_schedule;
mod wifi_security;
