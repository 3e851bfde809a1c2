//! Third-party antivirus products on macOS and Linux, recognised by their running processes.

use super::{Definitions, Product, Protection};
use crate::probe::process_match;
use crate::system::ProcessInfo;

/// A third-party product recognised by its running process.
struct Vendor {
    product: &'static str,
    process: &'static str,
    /// For names too generic to trust alone, the folder the executable must be under.
    exe_under: Option<&'static str>,
}

const fn vendor(product: &'static str, process: &'static str) -> Vendor {
    Vendor {
        product,
        process,
        exe_under: None,
    }
}

/// Process names from Lynis's malware test (CISOfy/lynis `include/tests_malware`, MALW-3280),
/// which marks `epagd`, `com.avast.daemon`, `CylanceSvc` and `TmccMac` as macOS ones and
/// trusts `wdserver` and `cma` only with the vendor's folder in place. Wazuh's agent is on
/// Lynis's list although it is not an antivirus scanner.
const VENDORS: [Vendor; 22] = [
    vendor("Avast", "com.avast.daemon"),
    vendor("Avira", "avqmd"),
    vendor("Bitdefender", "bdagentd"),
    vendor("Bitdefender", "epagd"),
    vendor("Bitdefender", "bdsecd"),
    vendor("CrowdStrike Falcon", "falcon-sensor"),
    vendor("CylancePROTECT", "CylanceSvc"),
    vendor("ESET", "esets_daemon"),
    vendor("ESET", "oaeventd"),
    Vendor {
        product: "Kaspersky",
        process: "wdserver",
        exe_under: Some("/opt/kaspersky/"),
    },
    vendor("Kaspersky", "klnagent"),
    Vendor {
        product: "McAfee",
        process: "cma",
        exe_under: Some("/opt/McAfee/"),
    },
    vendor("McAfee", "cmdagent"),
    vendor("SentinelOne", "sentineld"),
    vendor("SentinelOne", "SentinelAgent"),
    vendor("Sophos", "savscand"),
    vendor("Sophos", "SophosScanD"),
    vendor("Symantec", "rtvscand"),
    vendor("Symantec", "smcd"),
    vendor("Trend Micro", "ds_am"),
    vendor("Trend Micro", "TmccMac"),
    vendor("Wazuh agent", "wazuh-agentd"),
];

/// The known products running, one per product, with each process as evidence.
pub(super) fn products(processes: &[ProcessInfo]) -> Vec<Product> {
    let mut products: Vec<Product> = Vec::new();
    for v in &VENDORS {
        for p in process_match::find(processes, &[v.process]) {
            if let Some(dir) = v.exe_under
                && !p.exe.as_deref().is_some_and(|exe| exe.starts_with(dir))
            {
                continue;
            }
            let line = process_match::describe(p);
            match products.iter_mut().find(|x| x.name == v.product) {
                Some(known) => known.evidence.push(line),
                None => {
                    let mut product = Product::new(
                        v.product,
                        false,
                        Protection::On,
                        Definitions::Unknown(format!(
                            "confide cannot read {}'s definitions; check them in its own window",
                            v.product
                        )),
                    );
                    product.evidence.push(line);
                    products.push(product);
                }
            }
        }
    }
    products
}
