//! Human renderings of actor resolutions and actor views.

use std::fmt::Write as _;

use spyglass_kb::{ActorView, Resolution};

/// One block per resolution: the answer, its basis and conflicts.
pub fn resolutions(res: &[Resolution]) -> String {
    let mut out = String::new();
    for r in res {
        let actor = r.actor.as_ref().map(|a| format!("{} ({})", a.name, a.id)).unwrap_or_else(|| "-".into());
        let _ = writeln!(
            out,
            "{:<32} → {}  sponsor {}  {}  confidence {}",
            r.query,
            actor,
            r.sponsor.as_deref().unwrap_or("-"),
            r.sponsorship.as_str(),
            r.confidence
        );
        for b in &r.basis {
            let _ = writeln!(out, "    basis: {b}");
        }
        for c in &r.conflicts {
            let _ = writeln!(out, "    conflict ({:?}): {}", c.kind, c.detail);
        }
    }
    out
}

/// `actor show`: identity, aliases with vendors and sources, links, analyst actions.
pub fn actor_view(v: &ActorView) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", v.name, v.id);
    let _ = writeln!(
        out,
        "  sponsor: {}  sponsorship: {}  confidence: {}",
        v.sponsor.as_deref().unwrap_or("-"),
        v.sponsorship.as_str(),
        v.confidence
    );
    for b in &v.basis {
        let _ = writeln!(out, "  basis: {b}");
    }
    let _ = writeln!(out, "  aliases ({}):", v.aliases.len());
    for a in &v.aliases {
        let _ = writeln!(out, "    {:<36} {:<20} {}", a.name, a.vendor.as_deref().unwrap_or("-"), a.sources.join("; "));
    }
    if !v.members.is_empty() {
        let _ = writeln!(out, "  records:");
        for m in &v.members {
            let _ = writeln!(out, "    {} ({}): {}", m.name, m.id, m.joined);
        }
    }
    if !v.links.is_empty() {
        let _ = writeln!(out, "  links:");
        for l in &v.links {
            let _ = writeln!(
                out,
                "    {} {} ({}) likelihood {} [{}]",
                l.relation,
                l.other.name,
                l.other.id,
                l.likelihood.as_deref().unwrap_or("-"),
                l.source
            );
        }
    }
    if !v.analyst.is_empty() {
        let _ = writeln!(out, "  analyst actions:");
        for a in &v.analyst {
            let _ = writeln!(
                out,
                "    {} {} ~ {} by {} at {}: {}{}",
                a.action,
                a.actor,
                a.other,
                a.analyst.as_deref().unwrap_or("?"),
                a.recorded_at.as_deref().unwrap_or("?"),
                a.reason.as_deref().unwrap_or(""),
                if a.in_effect { "" } else { " (no effect)" }
            );
        }
    }
    for c in &v.conflicts {
        let _ = writeln!(out, "  conflict ({:?}): {}", c.kind, c.detail);
    }
    out
}
