//! confide tells a counsellor or psychotherapist who works online whether their computer and
//! services meet their profession's security and data-protection guidance, and what to fix.
//!
//! The shape: [`system`] is the only code that touches the machine; [`checks`] inspect it through
//! that; [`policy`] says which checks evidence which guidance clause; [`runner`] runs them and
//! builds one [`report::Report`], which each renderer prints in its own format.

pub mod catalog;
pub mod checks;
pub mod cli;
pub mod dates;
pub mod diag;
pub mod history;
pub mod ico_register;
pub mod paths;
pub mod policy;
pub mod probe;
pub mod profile;
pub mod redact;
pub mod report;
pub mod runner;
pub mod schedule;
pub mod signing;
pub mod status;
pub mod system;
pub mod words;
pub mod written_dates;
