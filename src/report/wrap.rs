//! Text wrapped at the reader's width with a hanging indent, breaking lines only between words.
//!
//! A word is never cut, except one that cannot fit on any line at this width (a long path or a
//! settings link): that one is broken after a `/`, `.`, `:`, `?`, `-` or `_` where it has one,
//! so the pieces still read as the same address.

use textwrap::{Options, WordSeparator, WordSplitter, WrapAlgorithm};

/// The narrowest layout the report is laid out for; narrower terminals get this width.
pub const MIN_WIDTH: usize = 40;

/// The characters after which an over-long word may be broken.
pub const BREAK_AFTER: &[char] = &['/', '.', ':', '?', '-', '_', ',', '&', '='];

/// Wraps `text` at `width` columns: the first line starts with `first`, the others with `rest`.
/// Each line is returned without a trailing newline; an empty text gives one line (`first`).
pub fn fill(text: &str, first: &str, rest: &str, width: usize) -> Vec<String> {
    let width = width.max(MIN_WIDTH);
    let room = width.saturating_sub(textwrap::core::display_width(first).max(textwrap::core::display_width(rest)));
    let text = split_overlong(text, room.max(1));
    let options = Options::new(width)
        .initial_indent(first)
        .subsequent_indent(rest)
        .word_separator(WordSeparator::AsciiSpace)
        .word_splitter(WordSplitter::NoHyphenation)
        .wrap_algorithm(WrapAlgorithm::FirstFit)
        .break_words(true);
    let lines = textwrap::wrap(&text, options);
    if lines.is_empty() {
        return vec![first.trim_end().to_string()];
    }
    lines.into_iter().map(|l| l.trim_end().to_string()).collect()
}

/// Wraps every line of a plain-text page (`confide explain`, `policies show`) at `width`,
/// keeping each line's indent and hanging its continuation under the text after a `- ` or
/// `1. ` list marker.
pub fn fill_page(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for line in text.lines() {
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        let marker_len = list_marker(body).map_or(0, textwrap::core::display_width);
        let rest = " ".repeat(indent.len() + marker_len);
        for wrapped in fill(line.trim_end(), "", &rest, width) {
            out.push_str(&wrapped);
            out.push('\n');
        }
    }
    out
}

/// `- `, `— ` or `12. ` at the start of a list item.
fn list_marker(body: &str) -> Option<&str> {
    if body.starts_with("- ") {
        return Some(&body[..2]);
    }
    if body.starts_with("— ") {
        return Some("— ");
    }
    let digits = body.chars().take_while(char::is_ascii_digit).count();
    (digits > 0 && body[digits..].starts_with(". ")).then(|| &body[..digits + 2])
}

/// Puts a space inside every word longer than `room` at the last break point that keeps each
/// piece within `room`, so the wrapper can break it there. Consecutive pieces never fit on one
/// line together (each is as long as it can be), so no space shows in the middle of an address.
fn split_overlong(text: &str, room: usize) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let mut rest = word;
        while textwrap::core::display_width(rest) > room {
            let cut = rest
                .char_indices()
                .map(|(at, c)| (at + c.len_utf8(), c))
                .rev()
                .find(|(end, c)| BREAK_AFTER.contains(c) && textwrap::core::display_width(&rest[..*end]) <= room)
                .map(|(end, _)| end);
            let Some(cut) = cut.filter(|&c| c < rest.len()) else {
                break; // no break point: the wrapper cuts it at the width
            };
            out.push_str(&rest[..cut]);
            out.push(' ');
            rest = &rest[cut..];
        }
        out.push_str(rest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_between_words_with_a_hanging_indent() {
        let lines = fill(
            "Other accounts can sign in to this computer: make sure only you can sign in to it.",
            "WARN    ",
            "        ",
            40,
        );
        assert_eq!(
            lines,
            [
                "WARN    Other accounts can sign in to",
                "        this computer: make sure only",
                "        you can sign in to it."
            ]
        );
    }

    #[test]
    fn a_word_too_long_for_any_line_breaks_after_punctuation() {
        let path = "/Library/Apple/System/Library/CoreServices/XProtect.bundle/Contents/Info.plist";
        let lines = fill(&format!("read {path} now"), "  - ", "    ", 40);
        assert!(
            lines.iter().all(|l| textwrap::core::display_width(l) <= 40),
            "{lines:?}"
        );
        let joined: String = lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join("");
        assert!(joined.contains(path), "{lines:?}");
        for l in &lines[..lines.len() - 1] {
            let last = l.chars().last().unwrap();
            assert!(
                last.is_alphanumeric() && l.ends_with("read") || BREAK_AFTER.contains(&last),
                "{l}"
            );
        }
    }

    #[test]
    fn a_page_keeps_indents_and_hangs_list_items() {
        let page = "## How to fix it\n  1. Open System Settings and choose Lock Screen in the list on the left.\n";
        assert_eq!(
            fill_page(page, 40),
            "## How to fix it\n  1. Open System Settings and choose\n     Lock Screen in the list on the\n     left.\n"
        );
    }

    #[test]
    fn a_word_that_fits_on_a_line_of_its_own_is_not_broken() {
        let lines = fill(
            "aaaa (x-apple.systempreferences:com.apple.Lock-Screen)",
            "1. ",
            "   ",
            56,
        );
        assert_eq!(
            lines,
            ["1. aaaa", "   (x-apple.systempreferences:com.apple.Lock-Screen)"]
        );
    }
}
