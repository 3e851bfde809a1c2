//! Every quote in a policy is the guidance's own words: it stands verbatim in its source.

use crate::common;

use std::path::Path;

use confide::catalog::Catalog;
use confide::policy::PolicySources;

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
            if clause.source.starts_with("http") {
                continue;
            }
            let path = seeds.join(&clause.source);
            let text =
                std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: clause {}: {e}", policy.id, clause.id));
            assert!(
                text.contains(&clause.quote),
                "{}/{}: quote not found verbatim in {}",
                policy.id,
                clause.id,
                clause.source
            );
            checked += 1;
        }
    }
    assert!(checked >= 11, "only {checked} quotes checked");
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
