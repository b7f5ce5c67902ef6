//! Test/bench-only loader: actor names from the MISP threat-actor galaxy (value + synonyms, sponsor
//! from `meta.country`). The product gets its dictionary from the knowledge base instead.

use std::path::Path;

use spyglass_extract::ActorName;

/// Every alias of every cluster in a MISP galaxy cluster file.
pub fn load_misp_actors(path: &Path) -> Vec<ActorName> {
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: serde_json::Value = serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    for v in doc["values"].as_array().map(Vec::as_slice).unwrap_or_default() {
        let Some(value) = v["value"].as_str() else { continue };
        let id = v["uuid"].as_str().unwrap_or(value).to_string();
        let sponsor = v["meta"]["country"].as_str().filter(|c| c.len() == 2).map(str::to_string);
        let mut names = vec![value.to_string()];
        if let Some(syn) = v["meta"]["synonyms"].as_array() {
            names.extend(syn.iter().filter_map(|s| s.as_str()).map(str::to_string));
        }
        for name in names {
            if name.trim().is_empty() {
                continue;
            }
            out.push(ActorName { name, actor_id: id.clone(), actor_name: value.to_string(), sponsor: sponsor.clone() });
        }
    }
    out
}

/// Test-only company registry from the S&P 500 list (market/sp500_constituents.csv): company
/// name (legal suffixes dropped) → vertical by GICS sub-industry/sector. Shows the registry hook;
/// the product gets its registry from the market crate.
#[allow(dead_code)]
pub fn load_sp500_registry(path: &Path) -> Vec<(String, spyglass_model::Vertical)> {
    use spyglass_model::Vertical as V;
    let mut rdr = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (name, sector, sub) = (&rec[1], &rec[2], &rec[3]);
        let v = match sub {
            "Semiconductors" | "Semiconductor Materials & Equipment" => V::Semiconductors,
            "Application Software" | "Systems Software" => V::Software,
            "Internet Services & Infrastructure" => V::CloudHosting,
            "Technology Hardware, Storage & Peripherals" | "Communications Equipment" | "Electronic Equipment & Instruments"
            | "Electronic Components" | "Electronic Manufacturing Services" | "Technology Distributors" => V::HardwareElectronics,
            "Integrated Telecommunication Services" | "Wireless Telecommunication Services" | "Cable & Satellite" => V::Telecom,
            "Movies & Entertainment" | "Broadcasting" | "Publishing" | "Advertising" => V::Media,
            "Aerospace & Defense" => V::Defence,
            _ => match sector {
                "Information Technology" | "Communication Services" => V::OtherTech,
                "Financials" => V::Finance,
                "Health Care" => V::Health,
                "Energy" | "Utilities" => V::Energy,
                "Industrials" | "Materials" => V::Manufacturing,
                "Consumer Discretionary" | "Consumer Staples" => V::Retail,
                _ => V::Other,
            },
        };
        let mut short = name.to_string();
        for suffix in [", Inc.", " Inc.", " Inc", " Corporation", " Corp.", " Company", " Co.", " plc", " Ltd.", " Holdings", " Group", " (Class A)", " (Class B)", " (Class C)"] {
            if let Some(s) = short.strip_suffix(suffix) {
                short = s.to_string();
            }
        }
        // single capitalised words that are also common English words would match sentence starts
        if short.len() < 3 || ["Target", "Apple", "Visa", "Ball", "Match", "Progressive", "Corning", "Eaton", "Textron"].contains(&short.as_str()) {
            continue;
        }
        out.push((short, v));
    }
    out
}
