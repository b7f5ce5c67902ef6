//! Timings for loading the MISP galaxies and resolving 100,000 names.
//!
//! ```text
//! cargo run --release -p spyglass-kb --example kb_bench               # timings
//! cargo run --release -p spyglass-kb --example kb_bench -- "APT 41"   # print resolutions as JSON
//! ```
//! Reads `$SPYGLASS_SHARED/data` (default `../shared/data` beside the workspace).

use std::path::PathBuf;
use std::time::Instant;

use spyglass_kb::{Kb, KbClaim, load};

fn shared() -> PathBuf {
    match std::env::var_os("SPYGLASS_SHARED") {
        Some(d) => PathBuf::from(d).join("data"),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = shared();
    let misp = ["threat-actor.json", "microsoft-activity-group.json", "mitre-intrusion-set.json"];
    let t = Instant::now();
    let mut claims: Vec<KbClaim> = Vec::new();
    for f in misp {
        claims.extend(load::load_path(&root.join("misp-galaxy").join(f))?);
    }
    let misp_load = t.elapsed();
    let t = Instant::now();
    let misp_only = Kb::from_claims(claims.clone());
    let misp_build = t.elapsed();
    claims.extend(load::load_path(&root.join("attack/groups-campaigns-lookup-v18.1.json"))?);
    let kb = Kb::from_claims(claims.clone());

    let args: Vec<String> = std::env::args().skip(1).collect();
    if !args.is_empty() {
        let out: Vec<_> = args.iter().map(|a| kb.resolve(a)).collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!("claims: {} ({} MISP), actors: {}, records: {}", claims.len(), misp_only.claims().len(), kb.actor_count(), kb.record_count());
    println!("load 3 MISP files (read + parse + claims): {:>8.1} ms", misp_load.as_secs_f64() * 1e3);
    println!("build Kb from MISP claims:                {:>8.1} ms", misp_build.as_secs_f64() * 1e3);
    println!("load + build (MISP total):                {:>8.1} ms", (misp_load + misp_build).as_secs_f64() * 1e3);

    // 100,000 names: every known alias in several spellings, plus convention and unknown names.
    let mut pool: Vec<String> = kb.claims().iter().filter_map(|c| c.name.clone()).collect();
    pool.sort();
    pool.dedup();
    let extra = ["GENESIS PANDA", "Lunar Typhoon", "BRONZE NOWHERE", "Quiet Ursa", "Storm-9999", "FIN99", "Nobody Knows", "APT 41", "apt-28"];
    let mut names: Vec<String> = Vec::with_capacity(100_000);
    let mut i = 0usize;
    while names.len() < 100_000 {
        let base = &pool[i % pool.len()];
        let name = match (i / pool.len()) % 4 {
            0 => base.clone(),
            1 => base.to_uppercase(),
            2 => base.replace(' ', "-"),
            _ => extra[i % extra.len()].to_string(),
        };
        names.push(name);
        i += 1;
    }
    let t = Instant::now();
    let mut resolved = 0usize;
    for n in &names {
        if kb.resolve(n).resolved {
            resolved += 1;
        }
    }
    let el = t.elapsed();
    println!("resolve {} names:                     {:>8.1} ms ({resolved} resolved, {:.2} µs/name)", names.len(), el.as_secs_f64() * 1e3, el.as_secs_f64() * 1e6 / names.len() as f64);
    Ok(())
}
