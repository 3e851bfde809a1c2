//! Whether the terminal report is coloured: decided once, from the stream it goes to.

use std::io::IsTerminal;

use clap::ValueEnum;

use crate::system::live::process_env;

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set (CLICOLOR_FORCE forces it).
    Auto,
    /// Always colour, even in a file or a pipe.
    Always,
    /// Never colour.
    Never,
}

/// Whether to colour: `--color` first, then `NO_COLOR` (any value turns colour off), then
/// `CLICOLOR_FORCE` (any value but `0` turns it on), then whether the output is a terminal.
pub fn decide_color(
    choice: ColorChoice,
    is_terminal: bool,
    no_color: Option<String>,
    clicolor_force: Option<String>,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if no_color.is_some() => false,
        ColorChoice::Auto if clicolor_force.is_some_and(|v| v != "0") => true,
        ColorChoice::Auto => is_terminal,
    }
}

/// Decides colour for output going to the screen (`to_screen`) or a file, from `--color` and
/// the environment, and sets it for the whole run.
pub(super) fn choose(choice: ColorChoice, to_screen: bool) -> bool {
    let color = decide_color(
        choice,
        to_screen && std::io::stdout().is_terminal(),
        process_env("NO_COLOR"),
        process_env("CLICOLOR_FORCE"),
    );
    enable_color(color);
    color
}

/// `colored` decides per string unless told once for the whole run; Windows consoles also need
/// escape sequences switched on.
fn enable_color(color: bool) {
    colored::control::set_override(color);
    #[cfg(windows)]
    if color {
        let _ = colored::control::set_virtual_terminal(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_follows_flag_then_no_color_then_force_then_terminal() {
        let s = |v: &str| Some(v.to_string());
        assert!(decide_color(ColorChoice::Always, false, s("1"), None));
        assert!(!decide_color(ColorChoice::Never, true, None, s("1")));
        assert!(!decide_color(ColorChoice::Auto, true, s("1"), s("1")));
        assert!(decide_color(ColorChoice::Auto, false, None, s("1")));
        assert!(!decide_color(ColorChoice::Auto, false, None, s("0")));
        assert!(decide_color(ColorChoice::Auto, true, None, None));
        assert!(!decide_color(ColorChoice::Auto, false, None, None));
    }
}
