//! Readers shared by several checks: the Windows registry, macOS defaults, PowerShell's JSON,
//! gsettings and running programs. Each one asks the [`crate::system::System`] and parses its
//! answer with a pure function that carries a sample of the real output it reads.

pub mod gsettings;
pub mod macos_defaults;
pub mod powershell;
pub mod process_match;
pub mod windows_reg;
