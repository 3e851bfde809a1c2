//! Fuzzing that stays: property tests over every reader of outside text (command outputs through
//! every check, the policy, profile, checks-folder, snapshot and history readers, the mail
//! records). Small by default so `cargo test` stays quick; `PROPTEST_CASES=100000 cargo test
//! fuzz` runs each property that many times.

use proptest::prelude::*;
use proptest::test_runner::Config;

mod machines;
mod mail;
mod parsers;
mod readers;

/// The proptest set-up of one property: `PROPTEST_CASES` when it is set, otherwise `default`
/// (chosen per property so the whole set adds a few seconds to `cargo test`).
#[allow(clippy::disallowed_methods)] // the test's own setting, read as proptest itself reads it
pub fn cases(default: u32) -> Config {
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = default;
    }
    config
}

/// One change to a real output, as a damaged pipe, a truncated file or another version's
/// format would make it.
#[derive(Debug, Clone)]
pub enum Mutation {
    /// Keep only the first part (a fraction of the length, in thousandths).
    Truncate(u16),
    /// A line of arbitrary text inserted before line n (modulo the line count).
    InsertLine(usize, String),
    /// Drop line n (modulo the line count).
    DeleteLine(usize),
    /// Repeat line n (modulo the line count).
    RepeatLine(usize),
    /// XOR one byte (at a fraction of the length, in thousandths); invalid UTF-8 is read lossily,
    /// as the System reads a program's output.
    FlipByte(u16, u8),
    /// A very long line of one character inserted before line n.
    LongLine(usize, char, usize),
    /// Swap two lines.
    SwapLines(usize, usize),
    /// Newlines as Windows writes them.
    Crlf,
    /// Everything replaced by arbitrary text.
    Replace(String),
}

impl Mutation {
    pub fn apply(&self, text: &str) -> String {
        let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
        let at = |n: usize, len: usize| n % len.max(1);
        match self {
            Mutation::Truncate(k) => {
                let mut end = text.len() * usize::from(*k) / 1000;
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                return text[..end].to_string();
            }
            Mutation::InsertLine(n, line) => {
                let i = at(*n, lines.len() + 1);
                lines.insert(i.min(lines.len()), line.clone());
            }
            Mutation::DeleteLine(n) => {
                if !lines.is_empty() {
                    let i = at(*n, lines.len());
                    lines.remove(i);
                }
            }
            Mutation::RepeatLine(n) => {
                let i = at(*n, lines.len());
                let line = lines[i].clone();
                lines.insert(i, line);
            }
            Mutation::FlipByte(k, x) => {
                let mut bytes = text.as_bytes().to_vec();
                if !bytes.is_empty() {
                    let i = (bytes.len() * usize::from(*k) / 1000).min(bytes.len() - 1);
                    bytes[i] ^= x | 1;
                }
                return String::from_utf8_lossy(&bytes).into_owned();
            }
            Mutation::LongLine(n, c, len) => {
                let i = at(*n, lines.len() + 1).min(lines.len());
                lines.insert(i, std::iter::repeat_n(*c, *len).collect());
            }
            Mutation::SwapLines(a, b) => {
                let (a, b) = (at(*a, lines.len()), at(*b, lines.len()));
                lines.swap(a, b);
            }
            Mutation::Crlf => return text.replace('\n', "\r\n"),
            Mutation::Replace(soup) => return soup.clone(),
        }
        lines.join("\n")
    }
}

/// Arbitrary text: printable characters, control characters and newlines, or lossily read bytes.
pub fn soup() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,200}",
        "(\\PC{0,40}[\n\r\t]){0,12}",
        "[a-zA-Z0-9 :=.;,\"{}\\[\\]<>/_-]{0,120}",
        prop::collection::vec(any::<u8>(), 0..300).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]
}

/// A line a parser might half-recognise: key-value shapes, XML and JSON fragments, numbers.
pub fn tricky_line() -> impl Strategy<Value = String> {
    prop_oneof![
        soup(),
        "[A-Za-z]{1,12} ?[:=] ?(-?[0-9]{1,25}|[a-z]{0,8}|0x[0-9a-fA-F]{0,20}|\"[^\"]{0,10})",
        "<(key|string|integer|true/|false/|dict|array|/dict|/array)>[^<]{0,12}",
        "[\\[\\]{}\",:]{1,20}",
        "-?[0-9]{1,40}(\\.[0-9]{0,20})?",
    ]
}

pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (0u16..1000).prop_map(Mutation::Truncate),
        (any::<usize>(), tricky_line()).prop_map(|(n, l)| Mutation::InsertLine(n, l)),
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::RepeatLine),
        (0u16..1000, any::<u8>()).prop_map(|(k, x)| Mutation::FlipByte(k, x)),
        (
            any::<usize>(),
            prop::sample::select(vec!['a', '0', ' ', '"', '{', '<', '=', 'é']),
            1000usize..70_000
        )
            .prop_map(|(n, c, len)| Mutation::LongLine(n, c, len)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        Just(Mutation::Crlf),
        soup().prop_map(Mutation::Replace),
    ]
}

/// Up to four mutations applied in turn.
pub fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(), 1..4)
}

pub fn mutate(text: &str, mutations: &[Mutation]) -> String {
    mutations.iter().fold(text.to_string(), |t, m| m.apply(&t))
}
