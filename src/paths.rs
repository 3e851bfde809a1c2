//! Where confide keeps its files, following each OS's conventions (XDG on Linux,
//! `~/Library/Application Support` on macOS, `%APPDATA%` on Windows), each overridable by an
//! environment variable so tests and unusual set-ups can point elsewhere.

use std::path::PathBuf;

use etcetera::app_strategy::{AppStrategy, AppStrategyArgs, choose_native_strategy};

use crate::system::live::process_env;

/// Overrides the config directory (policies/, checks/, later profile.toml).
pub const CONFIG_DIR_ENV: &str = "CONFIDE_CONFIG_DIR";

fn strategy() -> Option<impl AppStrategy> {
    choose_native_strategy(AppStrategyArgs {
        top_level_domain: "org".to_string(),
        author: "confide".to_string(),
        app_name: "confide".to_string(),
    })
    .ok()
}

/// The config directory, if the user has a home directory: `~/.config/confide` on Linux,
/// `~/Library/Application Support/org.confide.confide` on macOS (etcetera's config dir there is
/// `~/Library/Preferences`, which Apple reserves for preference plists), and
/// `%APPDATA%\confide\confide\config` on Windows.
pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = process_env(CONFIG_DIR_ENV) {
        return Some(PathBuf::from(dir));
    }
    let s = strategy()?;
    Some(if std::env::consts::OS == "macos" {
        s.data_dir()
    } else {
        s.config_dir()
    })
}

/// Overrides the data directory (history.jsonl, the scheduled run's latest report, the signing key).
pub const DATA_DIR_ENV: &str = "CONFIDE_DATA_DIR";

/// The data directory, if the user has a home directory: `~/.local/share/confide` on Linux,
/// `~/Library/Application Support/org.confide.confide` on macOS and
/// `%APPDATA%\confide\confide\data` on Windows. Kept apart from the config folder because what
/// is here is written by confide itself: the history, the latest report, the signing key.
pub fn data_dir() -> Option<PathBuf> {
    if let Some(dir) = process_env(DATA_DIR_ENV) {
        return Some(PathBuf::from(dir));
    }
    Some(strategy()?.data_dir())
}
