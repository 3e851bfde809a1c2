//! The table of email providers (`policies/data/mail-providers.toml`): which provider an address
//! belongs to, and whether it keeps stored mail unreadable to itself.

use std::sync::LazyLock;

use serde::Deserialize;

use super::mta_sts::mx_matches;

/// `policies/data/mail-providers.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub updated: toml::value::Datetime,
    pub providers: Vec<Provider>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    EndToEnd,
    Portal,
    TlsOnly,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    pub name: String,
    pub class: Class,
    #[serde(default)]
    pub domains: Vec<String>,
    #[serde(default)]
    pub mx: Vec<String>,
    /// The provider's own message-encryption feature, for the fix.
    #[serde(default)]
    pub fix: Option<String>,
    pub source: String,
}

pub static TABLE: LazyLock<Result<Table, String>> = LazyLock::new(|| {
    toml::from_str(include_str!("../../../policies/data/mail-providers.toml")).map_err(|e| e.to_string())
});

/// How the provider was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recognised {
    ByDomain,
    ByMx,
}

/// The provider of an address: by its own domain first, then by its MX hosts (in preference
/// order). Providers listed by domain only (nhs.net) are never matched by MX.
pub fn provider_for<'t>(table: &'t Table, domain: &str, mx_hosts: &[String]) -> Option<(&'t Provider, Recognised)> {
    let domain = domain.to_ascii_lowercase();
    if let Some(p) = table.providers.iter().find(|p| p.domains.contains(&domain)) {
        return Some((p, Recognised::ByDomain));
    }
    mx_hosts.iter().find_map(|host| {
        table
            .providers
            .iter()
            .find(|p| p.mx.iter().any(|pattern| mx_matches(pattern, host)))
            .map(|p| (p, Recognised::ByMx))
    })
}

/// How a provider class reads in the evidence.
pub(super) fn class_words(class: Class) -> &'static str {
    match class {
        Class::EndToEnd => "end-to-end encrypted",
        Class::Portal => "encrypted-message portal",
        Class::TlsOnly => "encrypted in transit only",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> &'static Table {
        TABLE.as_ref().expect("policies/data/mail-providers.toml parses")
    }

    #[test]
    fn the_table_parses_and_every_row_has_a_source() {
        for p in &table().providers {
            assert!(p.source.len() > 20, "{}", p.name);
        }
    }

    #[test]
    fn nhs_net_is_recognised_by_domain_only() {
        let (p, how) = provider_for(table(), "nhs.net", &[]).unwrap();
        assert_eq!((p.name.as_str(), how), ("NHSmail", Recognised::ByDomain));
        assert!(
            table()
                .providers
                .iter()
                .filter(|p| p.name == "NHSmail")
                .all(|p| p.mx.is_empty())
        );
    }

    #[test]
    fn providers_are_recognised_by_mx() {
        let by_mx = |h: &str| provider_for(table(), "practice.example", &[h.to_string()]).map(|(p, _)| p.name.clone());
        assert_eq!(by_mx("mail.protonmail.ch").as_deref(), Some("Proton Mail"));
        assert_eq!(
            by_mx("practice-example.mail.protection.outlook.com").as_deref(),
            Some("Microsoft 365 / Outlook")
        );
        assert_eq!(
            by_mx("practice-example.o-v1.mx.microsoft").as_deref(),
            None,
            "two labels before mx.microsoft"
        );
        assert_eq!(
            by_mx("alt3.aspmx.l.google.com").as_deref(),
            Some("Google Workspace / Gmail")
        );
        assert_eq!(by_mx("mx.example.net"), None);
    }
}
