//! Output-equivalence harness for performance work: runs `Extractor::extract` (and the HTML and
//! Markdown inputs) over many texts and writes every result as one JSON line, so that two builds
//! can be compared byte for byte (`cmp` or `diff` of the two files).
//!
//! ```text
//! cargo run --release -p spyglass-extract --example extract_golden -- OUT_PATH [VARIANTS]
//! ```
//!
//! Texts: the real incident descriptions the throughput benchmark repeats (EuRepoC, CFR, ATLAS
//! case-study summaries, ATT&CK group descriptions), the dev-set snippets, and `VARIANTS`
//! (default 60,000) generated ones from a fixed seed: sentence mixes of two descriptions, random
//! cuts at character boundaries, and soups of words taken from the descriptions mixed with rule
//! words, punctuation, quotes, defanged indicators and ids.
#![allow(clippy::expect_used, clippy::unwrap_used)] // a development tool: failing loudly is what it should do

#[path = "../tests/common/mod.rs"]
mod common;

use std::io::Write;

fn descriptions() -> Vec<String> {
    let root = spyglass_testkit::shared_root();
    let mut out = Vec::new();
    let mut eu = csv::Reader::from_path(root.join("eurepoc/EuRepoC_Global_Database_1.1.csv")).expect("eurepoc csv");
    let idx = eu.headers().expect("headers").iter().position(|h| h == "description").expect("description column");
    for r in eu.records() {
        out.push(r.expect("eurepoc row")[idx].to_string());
    }
    let mut cfr = csv::Reader::from_path(root.join("cfr/cfr_attacker_coded.csv")).expect("cfr csv");
    let idx = cfr.headers().expect("headers").iter().position(|h| h == "Description").expect("Description column");
    for r in cfr.records() {
        out.push(r.expect("cfr row")[idx].to_string());
    }
    let atlas: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(root.join("atlas/ATLAS.yaml")).expect("ATLAS.yaml")).expect("yaml");
    for cs in atlas["case-studies"].as_sequence().expect("case-studies") {
        out.push(cs["summary"].as_str().unwrap_or_default().to_string());
    }
    let mitre: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("misp-galaxy/mitre-intrusion-set.json")).expect("intrusion sets"),
    )
    .expect("json");
    for v in mitre["values"].as_array().expect("values") {
        out.push(v["description"].as_str().unwrap_or_default().to_string());
    }
    out.into_iter().filter(|d| !d.trim().is_empty()).collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let out_path = args.get(1).expect("usage: extract_golden OUT_PATH [VARIANTS]");
    let variants: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(60_000);
    let descs = descriptions();
    let mut texts: Vec<String> = descs.clone();
    let devset = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/devset.jsonl")).expect("devset");
    for l in devset.lines() {
        let v: serde_json::Value = serde_json::from_str(l).expect("devset line");
        texts.push(v["text"].as_str().unwrap_or_default().to_string());
    }
    let mut seed = 0x0123_4567_89ab_cdef_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let words: Vec<&str> = descs.iter().flat_map(|d| d.split(' ')).filter(|w| !w.is_empty()).collect();
    let extra = [
        "state-sponsored", "China-nexus", "Beijing-backed", "not", "behind", "no evidence", "linked to", "attributed to",
        "on behalf of", "unlike", "rather than", "false flag", "Iran\u{2019}s", "Russia's", "-", "'", ",", ";", "(", ")", ".",
        ". ", "\n", "?", "\u{2014}", "\u{a0}", "\u{201c}", "\u{201d}", "hxxp[:]//evil[.]com/a", "185.220.101[.]4", "1.2.3.4",
        "version 1.2.3.4", "a.b@corp[.]com", "update.microsoft.com", "2001:db8::1", "d41d8cd98f00b204e9800998ecf8427e",
        "CVE-2021-44228", "T1566.001", "AML.T0024.002", "model weights", "training data", "GPU cluster", "stole", "exfiltrated",
        "APT28", "APT 28", "Lazarus Group", "UPS", "team", "hackers", "the", "of", "by", "government", "ministry", "bank",
        "chipmaker", "AI lab", "U.S.", "e.g.", "Inc.", "said", "PLA Unit 61398", "GRU", "MSS", "https://x.com/a?b=(c)",
        "\u{e9}t\u{e9}", "\u{72fc}\u{6bd2}", "-'s", "--\u{2019}s", "Muddy Water", "model", "business model", "LLM-generated",
    ];
    for _ in 0..variants {
        let kind = next() % 3;
        let t = match kind {
            0 => {
                // sentences of two descriptions, interleaved
                let a = &descs[(next() % descs.len() as u64) as usize];
                let b = &descs[(next() % descs.len() as u64) as usize];
                let mut t = String::new();
                for (x, y) in a.split(". ").zip(b.split(". ")) {
                    t.push_str(x);
                    t.push_str(". ");
                    t.push_str(y);
                    t.push_str(". ");
                }
                t
            }
            1 => {
                // a random cut of a description
                let d = &descs[(next() % descs.len() as u64) as usize];
                let mut s = (next() % (d.len() as u64 + 1)) as usize;
                let mut e = (next() % (d.len() as u64 + 1)) as usize;
                if s > e {
                    std::mem::swap(&mut s, &mut e);
                }
                while !d.is_char_boundary(s) {
                    s -= 1;
                }
                while !d.is_char_boundary(e) {
                    e += 1;
                }
                d[s..e].to_string()
            }
            _ => {
                // a soup of description words and rule words
                let mut t = String::new();
                for _ in 0..next() % 60 {
                    if next() % 3 == 0 {
                        t.push_str(extra[(next() % extra.len() as u64) as usize]);
                    } else {
                        t.push_str(words[(next() % words.len() as u64) as usize]);
                    }
                    if next() % 4 != 0 {
                        t.push(' ');
                    }
                }
                t
            }
        };
        texts.push(t);
    }
    let actors = common::load_misp_actors(&spyglass_testkit::shared_root().join("misp-galaxy/threat-actor.json"));
    let companies = common::load_sp500_registry(&spyglass_testkit::shared_root().join("market/sp500_constituents.csv"));
    let ex = spyglass_extract::Extractor::new(actors.clone()).expect("extractor");
    let exc = spyglass_extract::Extractor::builder().actors(actors).companies(companies).build().expect("extractor");
    let mut out = std::io::BufWriter::new(std::fs::File::create(out_path).expect("output file"));
    for (i, t) in texts.iter().enumerate() {
        let e = ex.extract(t);
        writeln!(out, "{i}\t{}", serde_json::to_string(&e).unwrap()).unwrap();
        if i % 7 == 0 {
            let e = exc.extract(t);
            writeln!(out, "{i}c\t{}", serde_json::to_string(&e).unwrap()).unwrap();
        }
        if i % 11 == 0 {
            let html = format!("<p>{}</p><script>x</script>", t.replace(". ", ".</p><p>"));
            let (r, e) = ex.extract_input(spyglass_extract::TextInput::Html(&html));
            writeln!(out, "{i}h\t{}\t{}", serde_json::to_string(&r.as_ref()).unwrap(), serde_json::to_string(&e).unwrap()).unwrap();
            let md = format!("# Title\n\n* {t}\n");
            let (r, e) = ex.extract_input(spyglass_extract::TextInput::Markdown(&md));
            writeln!(out, "{i}m\t{}\t{}", serde_json::to_string(&r.as_ref()).unwrap(), serde_json::to_string(&e).unwrap()).unwrap();
        }
    }
    eprintln!("{} texts -> {out_path}", texts.len());
}
