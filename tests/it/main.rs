//! The integration tests, in one binary (one link, one process start per run): a module per area.

mod common;

mod antivirus;
mod antivirus_exclusions;
mod cli;
mod disk_encryption;
mod firewall;
mod fixtures_valid;
mod ico_register;
mod live;
mod machines;
mod mail_encryption;
mod os_support;
mod os_updates;
mod os_updates_waiting;
mod policy_sources;
mod profile;
mod remote_access;
mod screen_lock;
mod user_accounts;
mod voice_assistants;
