//! The alias graph built from claims: actor nodes, the name index, and the identity forest.
//!
//! Every source record is a node (`misp:<uuid>`, `attack:G0096`, …). Records of *different*
//! catalogues that describe the same group are joined into one canonical actor without ever merging
//! two records of the same catalogue: sources are ranked in tiers (below) and each node attaches to
//! at most one node of a stronger tier, the one with the best evidence — a same-as link (ATT&CK id:
//! 100), a `similar` link (by likelihood: almost-certain 90, very-likely 80, likely 60), its own name
//! being a name of that actor (50) and each further shared name (10). It attaches only with a score
//! of at least 50 and a unique best; a tie leaves it an actor of its own. So the forest never chains
//! two MISP threat-actor clusters together (the OpenCTI "merge on any shared alias" failure): names
//! shared by two clusters stay visible as conflicts. Analysts change the forest only with merge and
//! split claims, applied in claim order after the sources.
//!
//! | tier | sources |
//! |---|---|
//! | 0 | MISP threat-actor clusters; built-in agencies |
//! | 1 | ATT&CK (`attack:`) |
//! | 2 | other MISP galaxies (Microsoft activity groups, ATT&CK intrusion-set clusters) |
//! | 3 | STIX bundles |
//! | 4 | overrides (`kb:` actors) |
//! | 5 | anything else |

use std::collections::{HashMap, HashSet};

use crate::likelihood::Likelihood;
use crate::normalize::{normalize, strip_generic};
use crate::{KbClaim, KbClaimKind};

/// Kinds of actor-to-actor links.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LinkKind {
    SameAs,
    Overlaps,
    Similar,
}

impl LinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::SameAs => "same-as",
            LinkKind::Overlaps => "overlaps",
            LinkKind::Similar => "similar",
        }
    }

    pub fn parse(s: &str) -> Option<LinkKind> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "same-as" | "sameas" => Some(LinkKind::SameAs),
            "overlaps" | "overlap" => Some(LinkKind::Overlaps),
            "similar" => Some(LinkKind::Similar),
            _ => None,
        }
    }
}

pub(crate) fn tier_of(source_id: &str, actor: &str) -> u8 {
    if source_id == "misp-galaxy:threat-actor" || source_id == crate::load::builtin::SOURCE_ID {
        0
    } else if source_id.starts_with("attack:") {
        1
    } else if source_id.starts_with("misp-galaxy:") {
        2
    } else if source_id.starts_with("stix:") {
        3
    } else if source_id.starts_with("overrides:") || actor.starts_with("kb:") {
        4
    } else {
        5
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub id: String,
    pub name: String,
    pub tier: u8,
    /// Whether a source declared the node (not only a link or alias pointing at it).
    pub declared: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct AliasRec {
    pub node: u32,
    pub name: String,
    pub vendor: Option<String>,
    pub source_id: String,
    pub record_ref: String,
    /// The alias is the node's own name.
    pub primary: bool,
    /// Claim index of the override that stated it.
    pub override_claim: Option<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct LinkRec {
    pub a: u32,
    pub b: u32,
    pub kind: LinkKind,
    pub likelihood: Option<Likelihood>,
    pub claim: usize,
}

/// Attachment score per candidate actor: (total, best node, best single weight, reasons).
type Score = (u32, u32, u32, Vec<String>);

/// Why a node hangs under its parent.
#[derive(Debug, Clone)]
pub(crate) enum Edge {
    Source { score: u32, why: String },
    Analyst { claim: usize },
}

/// The graph part of the knowledge base (everything but the per-actor conclusions).
#[derive(Debug, Clone, Default)]
pub(crate) struct Graph {
    pub claims: Vec<KbClaim>,
    pub rejected: Vec<(KbClaim, String)>,
    pub nodes: Vec<Node>,
    pub node_index: HashMap<String, u32>,
    pub aliases: Vec<AliasRec>,
    pub index: HashMap<String, Vec<u32>>,
    pub stripped_index: HashMap<String, Vec<u32>>,
    pub links: Vec<LinkRec>,
    pub parent: Vec<Option<(u32, Edge)>>,
    pub root: Vec<u32>,
    pub members: HashMap<u32, Vec<u32>>,
    /// Analyst merge/split claims and whether each changed the forest.
    pub analyst: Vec<(usize, bool)>,
    /// Nodes left unattached because two actors scored the same.
    pub attach_ties: HashMap<u32, Vec<u32>>,
    /// Alias records per node.
    pub node_aliases: Vec<Vec<u32>>,
    /// Sponsor and override claim indices per node.
    pub node_claims: Vec<Vec<usize>>,
}

impl Graph {
    pub fn build(claims: impl IntoIterator<Item = KbClaim>) -> Graph {
        let mut g = Graph::default();
        let mut seen: HashSet<KbClaim> = HashSet::new();
        for c in claims {
            if seen.contains(&c) {
                continue;
            }
            seen.insert(c.clone());
            match c.validate() {
                Ok(()) => g.claims.push(c),
                Err(e) => g.rejected.push((c, e.to_string())),
            }
        }
        g.collect_nodes();
        g.collect_aliases();
        g.collect_links();
        g.attach();
        g.apply_analyst();
        g.compute_roots();
        g
    }

    fn node_for(&mut self, id: &str, name: &str, tier: u8, declared: bool) -> u32 {
        if let Some(&i) = self.node_index.get(id) {
            let n = &mut self.nodes[i as usize];
            // Deterministic display name: the strongest tier's, then the smallest name.
            if declared && (!n.declared || (tier, name) < (n.tier, n.name.as_str())) {
                n.name = name.to_string();
            }
            n.tier = n.tier.min(tier);
            n.declared |= declared;
            return i;
        }
        let i = self.nodes.len() as u32;
        self.nodes.push(Node { id: id.to_string(), name: name.to_string(), tier, declared });
        self.node_index.insert(id.to_string(), i);
        i
    }

    fn collect_nodes(&mut self) {
        let claims = std::mem::take(&mut self.claims);
        for c in &claims {
            let tier = tier_of(&c.source_id, &c.actor);
            let name = c.name.as_deref().unwrap_or(&c.actor);
            match c.kind {
                KbClaimKind::Actor => {
                    self.node_for(&c.actor, name, tier, true);
                }
                KbClaimKind::Alias | KbClaimKind::Override => {
                    self.node_for(&c.actor, name, tier, false);
                }
                _ => {}
            }
        }
        // ATT&CK ids named by links exist even when the ATT&CK file is not loaded: they join the
        // MISP threat-actor and intrusion-set clusters that carry the same id.
        for c in &claims {
            if c.kind == KbClaimKind::Link
                && let Some(t) = &c.target
                && let Some(gid) = t.strip_prefix("attack:")
            {
                self.node_for(t, gid, 1, false);
            }
        }
        self.claims = claims;
    }

    fn collect_aliases(&mut self) {
        for (ci, c) in self.claims.iter().enumerate() {
            let Some(&node) = self.node_index.get(&c.actor) else { continue };
            let Some(name) = c.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) else { continue };
            let (vendor, override_claim, primary) = match c.kind {
                KbClaimKind::Actor => (crate::load::vendor_by_form(name).map(str::to_string), None, true),
                KbClaimKind::Alias => (c.vendor.clone(), None, false),
                KbClaimKind::Override => (c.vendor.clone(), Some(ci), false),
                _ => continue,
            };
            self.aliases.push(AliasRec {
                node,
                name: name.to_string(),
                vendor,
                source_id: c.source_id.clone(),
                record_ref: c.record_ref.clone(),
                primary,
                override_claim,
            });
        }
        // One record per (node, name, vendor, source): the Actor claim repeats the cluster value.
        let mut seen: HashSet<(u32, String, Option<String>, String)> = HashSet::new();
        self.aliases.retain(|a| seen.insert((a.node, normalize(&a.name), a.vendor.clone(), a.source_id.clone())));
        // An alias equal to its node's name counts as primary too.
        for a in &mut self.aliases {
            if !a.primary && normalize(&a.name) == normalize(&self.nodes[a.node as usize].name) {
                a.primary = true;
            }
        }
        self.node_aliases = vec![Vec::new(); self.nodes.len()];
        self.node_claims = vec![Vec::new(); self.nodes.len()];
        for (ci, c) in self.claims.iter().enumerate() {
            if matches!(c.kind, KbClaimKind::Sponsor | KbClaimKind::Override)
                && let Some(&n) = self.node_index.get(&c.actor)
            {
                self.node_claims[n as usize].push(ci);
            }
        }
        for (i, a) in self.aliases.iter().enumerate() {
            self.node_aliases[a.node as usize].push(i as u32);
            let key = normalize(&a.name);
            if key.is_empty() {
                continue;
            }
            self.index.entry(key).or_default().push(i as u32);
            if let Some(stripped) = strip_generic(&a.name) {
                let k = normalize(&stripped);
                if !k.is_empty() {
                    self.stripped_index.entry(k).or_default().push(i as u32);
                }
            }
        }
    }

    fn collect_links(&mut self) {
        for (ci, c) in self.claims.iter().enumerate() {
            if c.kind != KbClaimKind::Link {
                continue;
            }
            let (Some(t), Some(kind)) = (c.target.as_deref(), c.relation.as_deref().and_then(LinkKind::parse)) else { continue };
            let (Some(&a), Some(&b)) = (self.node_index.get(&c.actor), self.node_index.get(t)) else { continue };
            if a == b {
                continue;
            }
            let likelihood = c.likelihood.as_deref().and_then(Likelihood::parse);
            self.links.push(LinkRec { a, b, kind, likelihood, claim: ci });
        }
    }

    pub fn find_root(&self, mut n: u32) -> u32 {
        while let Some((p, _)) = &self.parent[n as usize] {
            n = *p;
        }
        n
    }

    /// Attaches every node to the best node of a stronger tier (see the module docs).
    fn attach(&mut self) {
        self.parent = vec![None; self.nodes.len()];
        let mut order: Vec<u32> = (0..self.nodes.len() as u32).collect();
        order.sort_by(|&a, &b| {
            let (na, nb) = (&self.nodes[a as usize], &self.nodes[b as usize]);
            (na.tier, &na.id).cmp(&(nb.tier, &nb.id))
        });
        let mut adj: HashMap<u32, Vec<(u32, u32, String)>> = HashMap::new();
        for l in &self.links {
            let w = match l.kind {
                LinkKind::SameAs => 100,
                LinkKind::Similar => l.likelihood.map_or(40, Likelihood::attach_weight),
                LinkKind::Overlaps => 0,
            };
            if w == 0 {
                continue;
            }
            let why = match l.likelihood {
                Some(lk) => format!("{} link ({})", l.kind.as_str(), lk.as_str()),
                None => format!("{} link", l.kind.as_str()),
            };
            adj.entry(l.a).or_default().push((l.b, w, why.clone()));
            adj.entry(l.b).or_default().push((l.a, w, why));
        }
        let mut keys_of: HashMap<u32, Vec<(String, bool)>> = HashMap::new();
        for a in &self.aliases {
            let k = normalize(&a.name);
            let list = keys_of.entry(a.node).or_default();
            match list.iter_mut().find(|(x, _)| *x == k) {
                Some(e) => e.1 |= a.primary,
                None => list.push((k, a.primary)),
            }
        }
        for &x in &order {
            let tier = self.nodes[x as usize].tier;
            if tier == 0 {
                continue;
            }
            // root -> (score, best node, best individual weight, reasons)
            let mut scores: HashMap<u32, Score> = HashMap::new();
            let credit = |g: &Graph, y: u32, w: u32, why: String, scores: &mut HashMap<u32, Score>| {
                let r = g.find_root(y);
                let e = scores.entry(r).or_insert((0, y, 0, Vec::new()));
                e.0 += w;
                let better = w > e.2 || (w == e.2 && (g.nodes[y as usize].tier, &g.nodes[y as usize].id) < (g.nodes[e.1 as usize].tier, &g.nodes[e.1 as usize].id));
                if better {
                    e.1 = y;
                    e.2 = w;
                }
                e.3.push(why);
            };
            for (y, w, why) in adj.get(&x).cloned().unwrap_or_default() {
                if self.nodes[y as usize].tier < tier {
                    credit(self, y, w, format!("{why} to {}", self.nodes[y as usize].id), &mut scores);
                }
            }
            for (key, primary) in keys_of.get(&x).cloned().unwrap_or_default() {
                let mut credited_roots: HashSet<u32> = HashSet::new();
                for &ai in self.index.get(&key).map(Vec::as_slice).unwrap_or(&[]) {
                    let y = self.aliases[ai as usize].node;
                    if self.nodes[y as usize].tier >= tier || !credited_roots.insert(self.find_root(y)) {
                        continue;
                    }
                    let (w, why) = if primary {
                        (50, format!("its name {:?} is a name of {}", self.aliases[ai as usize].name, self.nodes[y as usize].id))
                    } else {
                        (10, format!("shares the name {:?}", self.aliases[ai as usize].name))
                    };
                    credit(self, y, w, why, &mut scores);
                }
            }
            let mut ranked: Vec<(u32, Score)> = scores.into_iter().collect();
            ranked.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
            let Some((_, best)) = ranked.first() else { continue };
            if best.0 < 50 {
                continue;
            }
            if ranked.get(1).is_some_and(|s| s.1.0 == best.0) {
                let tied = ranked.iter().take_while(|s| s.1.0 == best.0).map(|s| s.0).collect();
                self.attach_ties.insert(x, tied);
                continue;
            }
            let mut why = best.3.clone();
            why.dedup();
            self.parent[x as usize] = Some((best.1, Edge::Source { score: best.0, why: why.join("; ") }));
        }
    }

    fn path_to_root(&self, mut n: u32) -> Vec<u32> {
        let mut out = vec![n];
        while let Some((p, _)) = &self.parent[n as usize] {
            n = *p;
            out.push(n);
        }
        out
    }

    /// Merges and splits in claim order (after dedupe).
    fn apply_analyst(&mut self) {
        for ci in 0..self.claims.len() {
            let c = &self.claims[ci];
            if !matches!(c.kind, KbClaimKind::Merge | KbClaimKind::Split) {
                continue;
            }
            let (Some(&a), Some(&b)) = (self.node_index.get(&c.actor), c.target.as_ref().and_then(|t| self.node_index.get(t))) else {
                self.analyst.push((ci, false));
                continue;
            };
            let (ra, rb) = (self.find_root(a), self.find_root(b));
            let effect = if c.kind == KbClaimKind::Merge {
                if ra != rb {
                    self.parent[rb as usize] = Some((ra, Edge::Analyst { claim: ci }));
                }
                ra != rb
            } else if ra == rb {
                let pa = self.path_to_root(a);
                let pb = self.path_to_root(b);
                let lca = pb.iter().copied().find(|n| pa.contains(n)).unwrap_or(ra);
                let (path, other) = if b != lca { (&pb, b) } else { (&pa, a) };
                let idx = path.iter().position(|&n| n == lca).unwrap_or(0);
                let child = if idx > 0 { path[idx - 1] } else { other };
                self.parent[child as usize] = None;
                true
            } else {
                false
            };
            self.analyst.push((ci, effect));
        }
    }

    fn compute_roots(&mut self) {
        self.root = (0..self.nodes.len() as u32).map(|n| self.find_root(n)).collect();
        self.members.clear();
        for (n, &r) in self.root.iter().enumerate() {
            self.members.entry(r).or_default().push(n as u32);
        }
        for m in self.members.values_mut() {
            m.sort_by(|&a, &b| (self.nodes[a as usize].tier, &self.nodes[a as usize].id).cmp(&(self.nodes[b as usize].tier, &self.nodes[b as usize].id)));
        }
    }

    /// Alias records whose name matches `key`: exact, then generic words removed from the query,
    /// then generic words removed from the aliases. Returns the records and the step used.
    pub fn lookup(&self, query: &str) -> (Vec<u32>, MatchStep) {
        let key = normalize(query);
        if let Some(v) = self.index.get(&key) {
            return (v.clone(), MatchStep::Exact);
        }
        if let Some(stripped) = strip_generic(query) {
            let k = normalize(&stripped);
            if let Some(v) = self.index.get(&k) {
                return (v.clone(), MatchStep::QueryStripped(stripped));
            }
            if let Some(v) = self.stripped_index.get(&k) {
                return (v.clone(), MatchStep::BothStripped(stripped));
            }
        }
        if let Some(v) = self.stripped_index.get(&key) {
            return (v.clone(), MatchStep::AliasStripped);
        }
        (Vec::new(), MatchStep::None)
    }
}

/// How a query met an alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MatchStep {
    Exact,
    QueryStripped(String),
    BothStripped(String),
    AliasStripped,
    None,
}
