//! The shape every built-in check shares, written once.
//!
//! A built-in check declares its id and the systems it reads ([`BuiltinCheck`]), its typed
//! thresholds ([`limits!`]), and every reason it can give ([`reasons!`]): each reason has a
//! stable code, the status it implies and a line in plain words for `confide explain`. It then
//! does two things: **read** what the machine says (per OS, through the
//! [`crate::system::System`]) and **judge** that reading, purely, against its limits as of the
//! scan's day. One blanket implementation turns that into the `dyn Check` the runner, the catalog
//! and the declarative checks share, so the repeated header lives here and nowhere else.

use std::collections::BTreeMap;
use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;

use super::{Basis, Check, CheckContext, Outcome};
use crate::status::Status;
use crate::system::{OsFamily, System};

/// One reason a check gives for its verdict. Declared with [`reasons!`]; the code is a contract
/// (`<check>.<code>` in reports, scripts and the history), listed by `confide explain`.
pub trait Reason: Copy + Eq + fmt::Debug + Send + Sync + 'static {
    /// Every reason, in declaration order.
    const ALL: &'static [Self];
    /// The part after `<check-id>.`, kebab-case.
    fn code(self) -> &'static str;
    /// The status a finding with this reason has.
    fn status(self) -> Status;
    /// What it means, in plain words, for `confide explain`.
    fn meaning(self) -> &'static str;
}

/// Declares a check's reasons as an enum implementing [`Reason`]:
///
/// ```ignore
/// reasons! {
///     pub enum UptimeReason {
///         Recent: Pass "recent" => "The computer was started again recently enough.",
///         Long: Warn "long" => "The computer has run longer than the policy allows without a shutdown.",
///     }
/// }
/// ```
#[macro_export]
macro_rules! reasons {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident : $status:ident $code:literal => $meaning:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $crate::checks::kit::Reason for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            fn status(self) -> $crate::status::Status {
                match self { $($name::$variant => $crate::status::Status::$status),+ }
            }
            fn meaning(self) -> &'static str {
                match self { $($name::$variant => $meaning),+ }
            }
        }
    };
}

/// The kind of a threshold, which decides what a policy may write for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThresholdKind {
    Days,
    Minutes,
    Seconds,
    /// On or off (`true`/`false`).
    Switch,
}

impl ThresholdKind {
    /// How a value of this kind is written in a policy, for error messages.
    pub fn expected(self) -> &'static str {
        match self {
            ThresholdKind::Days => "a whole number of days (0 or more)",
            ThresholdKind::Minutes => "a whole number of minutes (0 or more)",
            ThresholdKind::Seconds => "a whole number of seconds (0 or more)",
            ThresholdKind::Switch => "`true` or `false`",
        }
    }
}

/// A threshold's value after validation: a count in the threshold's unit, or a switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThresholdValue {
    Count(u32),
    Switch(bool),
}

impl ThresholdValue {
    /// Validates a policy's TOML value for a threshold of `kind`; the error says what is wanted.
    pub fn from_toml(kind: ThresholdKind, value: &toml::Value) -> Result<ThresholdValue, String> {
        let wanted = || format!("must be {}", kind.expected());
        match (kind, value) {
            (ThresholdKind::Switch, toml::Value::Boolean(b)) => Ok(ThresholdValue::Switch(*b)),
            // Earlier policies wrote switches as 0 and 1.
            (ThresholdKind::Switch, toml::Value::Integer(0)) => Ok(ThresholdValue::Switch(false)),
            (ThresholdKind::Switch, toml::Value::Integer(1)) => Ok(ThresholdValue::Switch(true)),
            (ThresholdKind::Switch, _) => Err(wanted()),
            (_, toml::Value::Integer(n)) => u32::try_from(*n).map(ThresholdValue::Count).map_err(|_| wanted()),
            (_, toml::Value::Float(f)) if f.fract() == 0.0 && *f >= 0.0 && *f <= f64::from(u32::MAX) => {
                Ok(ThresholdValue::Count(*f as u32))
            }
            _ => Err(wanted()),
        }
    }
}

impl fmt::Display for ThresholdValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ThresholdValue::Count(n) => write!(f, "{n}"),
            ThresholdValue::Switch(b) => write!(f, "{b}"),
        }
    }
}

/// A tunable value a check reads from the policy (`<check-id>.<name>` in the policy file).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThresholdSpec {
    pub name: &'static str,
    pub kind: ThresholdKind,
    pub default: ThresholdValue,
    pub meaning: &'static str,
}

impl ThresholdSpec {
    /// The value in words with its unit (`7 days`, `on`), for `explain` and reports.
    pub fn words(&self, value: ThresholdValue) -> String {
        match (self.kind, value) {
            (ThresholdKind::Days, ThresholdValue::Count(n)) => crate::words::days(n.into()),
            (ThresholdKind::Minutes, ThresholdValue::Count(n)) => crate::words::minutes(n.into()),
            (ThresholdKind::Seconds, ThresholdValue::Count(n)) => crate::words::count(n.into(), "second"),
            (_, ThresholdValue::Switch(true)) => "on".into(),
            (_, ThresholdValue::Switch(false)) => "off".into(),
            (_, ThresholdValue::Count(n)) => n.to_string(),
        }
    }
}

macro_rules! count_kind {
    ($(#[$meta:meta])* $name:ident, $kind:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub struct $name(pub u32);

        impl $name {
            pub const KIND: ThresholdKind = ThresholdKind::$kind;
            pub const fn value(self) -> ThresholdValue {
                ThresholdValue::Count(self.0)
            }
            pub fn from_value(v: ThresholdValue) -> Option<Self> {
                match v {
                    ThresholdValue::Count(n) => Some($name(n)),
                    ThresholdValue::Switch(_) => None,
                }
            }
            pub fn get(self) -> u32 {
                self.0
            }
        }
    };
}

count_kind!(
    /// A number of whole days.
    Days,
    Days
);
count_kind!(
    /// A number of whole minutes.
    Minutes,
    Minutes
);
count_kind!(
    /// A number of whole seconds.
    Seconds,
    Seconds
);

/// On or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Switch(pub bool);

impl Switch {
    pub const KIND: ThresholdKind = ThresholdKind::Switch;
    pub const fn value(self) -> ThresholdValue {
        ThresholdValue::Switch(self.0)
    }
    pub fn from_value(v: ThresholdValue) -> Option<Self> {
        match v {
            ThresholdValue::Switch(b) => Some(Switch(b)),
            ThresholdValue::Count(_) => None,
        }
    }
    pub fn get(self) -> bool {
        self.0
    }
}

/// A check's thresholds as a typed struct, declared with [`limits!`].
pub trait Limits: Sized + Send + Sync + 'static {
    /// Name, kind, default and meaning of each field, as a policy sets them.
    const SPECS: &'static [ThresholdSpec];
    /// The values after the policy's are applied (a value the policy does not set keeps its
    /// default; the policy was validated against [`Limits::SPECS`] when it was read).
    fn from_policy(values: &BTreeMap<String, ThresholdValue>) -> Self;
}

/// A check without thresholds.
impl Limits for () {
    const SPECS: &'static [ThresholdSpec] = &[];
    fn from_policy(_: &BTreeMap<String, ThresholdValue>) -> Self {}
}

/// Declares a check's thresholds as a struct implementing [`Limits`] and `Default`:
///
/// ```ignore
/// limits! {
///     pub struct UptimeLimits {
///         /// Tool choice: a working week with a weekend off.
///         max_days: Days = 7, "warn when the computer has run longer than this many days";
///     }
/// }
/// ```
#[macro_export]
macro_rules! limits {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $( $(#[$fmeta:meta])* $field:ident : $kind:ident = $default:literal, $meaning:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq)]
        $vis struct $name {
            $( $(#[$fmeta])* pub $field: $crate::checks::kit::$kind ),+
        }

        impl $crate::checks::kit::Limits for $name {
            const SPECS: &'static [$crate::checks::kit::ThresholdSpec] = &[$(
                $crate::checks::kit::ThresholdSpec {
                    name: stringify!($field),
                    kind: $crate::checks::kit::$kind::KIND,
                    default: $crate::checks::kit::$kind($default).value(),
                    meaning: $meaning,
                }
            ),+];

            fn from_policy(
                values: &::std::collections::BTreeMap<String, $crate::checks::kit::ThresholdValue>,
            ) -> Self {
                $name {
                    $( $field: values
                        .get(stringify!($field))
                        .and_then(|v| $crate::checks::kit::$kind::from_value(*v))
                        .unwrap_or($crate::checks::kit::$kind($default)) ),+
                }
            }
        }

        impl Default for $name {
            fn default() -> Self {
                <$name as $crate::checks::kit::Limits>::from_policy(&::std::collections::BTreeMap::new())
            }
        }
    };
}

/// When the scan happens: the System's clock (so replays judge as of the snapshot) and the
/// practitioner's local date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScanTime {
    pub now: Timestamp,
    pub today: Date,
}

/// What a built-in check concluded: a reason (which fixes the status), a sentence for the
/// practitioner, and what was observed.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict<R> {
    pub reason: R,
    pub summary: String,
    pub evidence: Vec<String>,
    /// For what the practitioner confirmed: the date they confirmed it.
    pub confirmed_on: Option<Date>,
}

impl<R: Reason> Verdict<R> {
    pub fn new(reason: R, summary: impl Into<String>) -> Self {
        Verdict {
            reason,
            summary: summary.into(),
            evidence: Vec::new(),
            confirmed_on: None,
        }
    }

    pub fn with_evidence(mut self, evidence: impl IntoIterator<Item = String>) -> Self {
        self.evidence.extend(evidence);
        self
    }

    pub fn status(&self) -> Status {
        self.reason.status()
    }

    /// The report's form: the reason becomes `<check-id>.<code>`.
    pub fn into_outcome(self, check_id: &str) -> Outcome {
        Outcome {
            status: self.reason.status(),
            reason: format!("{check_id}.{}", self.reason.code()),
            summary: self.summary,
            evidence: self.evidence,
            confirmed_on: self.confirmed_on,
        }
    }
}

/// A built-in check: what it reads and how it judges; every one is also a [`Check`].
pub trait BuiltinCheck: Send + Sync + 'static {
    /// Stable kebab-case id (a contract: reports, policies and `--only` use it).
    const ID: &'static str;
    /// The systems it knows how to read; elsewhere it is `skipped`.
    const OS: &'static [OsFamily] = &OsFamily::ALL;
    /// Whether the finding rests on this computer or on what the practitioner recorded.
    const BASIS: Basis = Basis::Computer;
    type Limits: Limits;
    type Reason: Reason;
    /// What the machine said, before any verdict.
    type Reading;

    /// Asks the System (per OS, `ctx.system.os().family`) and parses its answers.
    fn read(&self, ctx: &CheckContext<'_>) -> Self::Reading;

    /// The verdict on a reading: pure, so tests feed it recorded readings and any date.
    fn judge(&self, reading: Self::Reading, limits: &Self::Limits, at: ScanTime) -> Verdict<Self::Reason>;
}

/// The reading of the reader for this machine's OS: the one dispatch every per-OS check shares.
pub fn per_os<T>(
    system: &dyn System,
    macos: impl FnOnce(&dyn System) -> T,
    windows: impl FnOnce(&dyn System) -> T,
    linux: impl FnOnce(&dyn System) -> T,
) -> T {
    match system.os().family {
        OsFamily::Macos => macos(system),
        OsFamily::Windows => windows(system),
        OsFamily::Linux => linux(system),
    }
}

/// One reason a check can give, for listings (`confide explain`, the reason-code snapshot).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReasonInfo {
    pub code: &'static str,
    pub status: Status,
    pub meaning: &'static str,
}

crate::reasons! {
    /// Reasons the runner itself gives for any check (`<check-id>.<code>`).
    pub enum RunnerReason {
        TurnedOff: Skipped "turned-off" => "You turned this check off with --skip.",
        NotApplicable: Skipped "not-applicable" => "The check does not apply to this computer's operating system.",
        TimedOut: Unknown "timed-out" => "The check did not finish within its time (--check-timeout).",
        InternalError: Unknown "internal-error" => "confide hit an internal error in this check.",
    }
}

/// Every reason of `R`, for [`Check::reasons`].
pub fn reason_list<R: Reason>() -> Vec<ReasonInfo> {
    R::ALL
        .iter()
        .map(|r| ReasonInfo {
            code: r.code(),
            status: r.status(),
            meaning: r.meaning(),
        })
        .collect()
}

/// Every built-in check is a `dyn Check`: the repeated header (id, systems, thresholds,
/// reasons, read then judge) is this one implementation.
impl<K: BuiltinCheck> Check for K {
    fn id(&self) -> &str {
        K::ID
    }

    fn supported_os(&self) -> &[OsFamily] {
        K::OS
    }

    fn thresholds(&self) -> &[ThresholdSpec] {
        K::Limits::SPECS
    }

    fn reasons(&self) -> Vec<ReasonInfo> {
        reason_list::<K::Reason>()
    }

    fn basis(&self) -> Basis {
        K::BASIS
    }

    fn run(&self, ctx: &CheckContext<'_>) -> Outcome {
        let limits = K::Limits::from_policy(ctx.thresholds);
        let at = ScanTime {
            now: ctx.system.now(),
            today: crate::dates::today(ctx.system),
        };
        let reading = self.read(ctx);
        self.judge(reading, &limits, at).into_outcome(K::ID)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::reasons! {
        enum Sample {
            Good: Pass "good" => "all is well",
            Bad: Fail "bad" => "something is wrong",
        }
    }

    crate::limits! {
        struct SampleLimits {
            max_days: Days = 7, "days";
            strict: Switch = false, "strict";
        }
    }

    #[test]
    fn reasons_carry_code_status_and_meaning() {
        assert_eq!(Sample::ALL, &[Sample::Good, Sample::Bad]);
        assert_eq!((Sample::Bad.code(), Sample::Bad.status()), ("bad", Status::Fail));
        let out = Verdict::new(Sample::Bad, "no").into_outcome("sample");
        assert_eq!((out.reason.as_str(), out.status), ("sample.bad", Status::Fail));
    }

    #[test]
    fn limits_take_the_policy_values_and_keep_defaults_otherwise() {
        assert_eq!(SampleLimits::default().max_days, Days(7));
        let mut values = BTreeMap::new();
        values.insert("strict".to_string(), ThresholdValue::Switch(true));
        let l = SampleLimits::from_policy(&values);
        assert_eq!((l.max_days, l.strict), (Days(7), Switch(true)));
        assert_eq!(SampleLimits::SPECS[1].default, ThresholdValue::Switch(false));
    }

    #[test]
    fn policy_values_must_fit_the_kind() {
        let v = |s: &str| toml::from_str::<toml::Table>(&format!("v = {s}")).unwrap()["v"].clone();
        assert_eq!(
            ThresholdValue::from_toml(ThresholdKind::Days, &v("14")),
            Ok(ThresholdValue::Count(14))
        );
        assert!(ThresholdValue::from_toml(ThresholdKind::Days, &v("-1")).is_err());
        assert!(ThresholdValue::from_toml(ThresholdKind::Days, &v("1.5")).is_err());
        assert!(ThresholdValue::from_toml(ThresholdKind::Days, &v("true")).is_err());
        assert_eq!(
            ThresholdValue::from_toml(ThresholdKind::Switch, &v("true")),
            Ok(ThresholdValue::Switch(true))
        );
        assert!(ThresholdValue::from_toml(ThresholdKind::Switch, &v("0.5")).is_err());
        assert!(ThresholdValue::from_toml(ThresholdKind::Switch, &v("2")).is_err());
    }
}
