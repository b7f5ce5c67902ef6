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
