//! Every quote in a policy is the guidance's own words: it stands verbatim in its source.

use crate::common;

use std::path::Path;

use confide::catalog::Catalog;
use confide::policy::PolicySources;

/// The public pages whose text the project keeps as seed documents (`../shared/seeds`). Only this
/// test knows the seed file names: reports and policies cite the public page.
const SEEDS: &[(&str, &str)] = &[("https://www.bacp.co.uk/workingonline", "000_cc1b7a44a4bbb87f.txt")];

#[test]
fn every_quote_stands_verbatim_in_its_seed_document() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    if !common::live_prerequisite(seeds.is_dir(), "the seed documents in ../shared/seeds") {
        return;
    }
    let catalog = Catalog::load(&[]).unwrap();
    let policies = PolicySources::discover(None).unwrap().all(&catalog).unwrap();
    let mut checked = 0;
    for policy in &policies {
        for clause in &policy.clauses {
            let url = clause.citation.url.as_deref().unwrap_or_default();
            let Some((_, seed)) = SEEDS.iter().find(|(page, _)| *page == url) else {
                continue;
            };
            let path = seeds.join(seed);
            let text =
                std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: clause {}: {e}", policy.id, clause.id));
            assert!(
                text.contains(&clause.quote),
                "{}/{}: quote not found verbatim in {}",
                policy.id,
                clause.id,
                seed
            );
            checked += 1;
        }
    }
    assert!(checked >= 11, "only {checked} quotes checked");
}

#[test]
fn every_clause_cites_a_public_document_with_title_author_year_and_url() {
    let catalog = Catalog::load(&[]).unwrap();
    for policy in PolicySources::discover(None).unwrap().all(&catalog).unwrap() {
        for clause in &policy.clauses {
            let c = &clause.citation;
            let at = format!("{}/{}", policy.id, clause.id);
            assert!(!c.title.is_empty() && !c.author.is_empty(), "{at}: {c:?}");
            assert!(c.year.is_some_and(|y| (1990..=2030).contains(&y)), "{at}: {c:?}");
            assert!(
                c.url.as_deref().is_some_and(|u| u.starts_with("https://")),
                "{at}: {c:?}"
            );
            assert!(!c.line().contains(".txt"), "{at}: a seed file name is no citation");
        }
    }
}

#[test]
fn the_bacp_policy_has_one_clause_per_bullet_plus_supervision_training_and_breaches() {
    let catalog = Catalog::load(&[]).unwrap();
    let policy = PolicySources::discover(None)
        .unwrap()
        .resolve("bacp-working-online", &catalog)
        .unwrap();
    let required = policy
        .clauses
        .iter()
        .filter(|c| c.severity == confide::policy::Severity::Required)
        .count();
    let recommended = policy.clauses.len() - required;
    assert_eq!(
        (required, recommended),
        (7, 7),
        "6 'you must' bullets and the UK GDPR breach duty; 5 'other points to consider', supervision and training"
    );
}
