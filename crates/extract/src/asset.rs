//! AI assets targeted.
//!
//! A phrase from [`crate::rules::asset::ASSETS`] is an asset targeted when
//! - it is not negated ("no", "not", "never", "without" among the four words before it);
//! - for `Act` phrases ("model extraction", "distillation attacks"): always;
//! - for `Noun`/`Weak` phrases: the sentence has a theft/access/tampering verb
//!   ([`TARGET_VERB_STEMS`]), and the nearest verb cue before the phrase is not a tool verb
//!   ("used", "leveraging", "via" …) and no tool suffix follows ("LLM-generated", "AI-powered"):
//!   AI as the attacker's tool is not an asset targeted;
//! - for `Weak` phrases ("model", "dataset", "source code"): the text is about AI (an AI context
//!   word, an unambiguous asset phrase, or an AI-sector word other than the phrase itself), the
//!   nearest verb before it is not about behaviour ("evaded", "queried", "caused the model to"),
//!   and it does not modify another noun ("LLM Desktop Applications").
//!
//! Phrases in [`crate::rules::asset::NOT_ASSETS`] ("business model", "threat model", "data model")
//! are matched by the same automaton and swallow the ambiguous word. ATLAS technique ids that name
//! an asset ([`crate::rules::asset::ATLAS_ASSETS`]) count with the id as evidence.

use spyglass_model::{AiAsset, Vertical};

use crate::automaton::{Hit, Kind};
use crate::extractor::Ctx;
use crate::lexicon::{has_stem, s, w, word_is};
use crate::rules::asset::{ASSETS, ATLAS_ASSETS, Strength};
use crate::rules::vertical::VERTICALS;
use crate::text::any_word;
use crate::{AssetMention, Extraction};

/// Fills `ai_assets` (text order).
pub(crate) fn resolve(ctx: &Ctx<'_>, out: &mut Extraction) {
    let text = ctx.text;
    for h in ctx.hits {
        let Kind::Asset(i) = h.kind else {
            if matches!(h.kind, Kind::Atlas)
                && let Some(cat) = atlas_asset(&text[h.start..h.end])
            {
                push(out, text, cat, h);
            }
            continue;
        };
        let (_, cat, strength) = ASSETS[i as usize];
        if accept(ctx, h, cat, strength) {
            push(out, text, cat, h);
        }
    }
}

fn push(out: &mut Extraction, text: &str, category: AiAsset, h: &Hit) {
    out.ai_assets.push(AssetMention { category, evidence: text[h.start..h.end].to_string(), start: h.start, end: h.end });
}

/// The asset an ATLAS id names: the id itself or its parent technique.
fn atlas_asset(id: &str) -> Option<AiAsset> {
    let id = id.to_ascii_uppercase();
    ATLAS_ASSETS
        .iter()
        .find(|(k, _)| *k == id)
        .or_else(|| ATLAS_ASSETS.iter().find(|(k, _)| id.len() > 9 && *k == &id[..9]))
        .map(|(_, c)| *c)
}

fn accept(ctx: &Ctx<'_>, h: &Hit, cat: AiAsset, strength: Strength) -> bool {
    let text = ctx.text;
    let (ss, se) = ctx.sentences.bounds(h.start);
    let before = ctx.before::<12>(ss, h.start);
    if before.iter().take(4).any(|t| t.is(w::NEGATORS)) {
        return false;
    }
    if strength == Strength::Act {
        return true;
    }
    let after = ctx.after::<1>(h.end, se);
    // Tool suffix: "LLM-generated", "model-based".
    if text.as_bytes().get(h.end) == Some(&b'-')
        && after.first().is_some_and(|t| t.is(w::TOOL_SUFFIXES))
    {
        return false;
    }
    if strength == Strength::Weak {
        // "LLM Desktop Applications": the noun modifies something else.
        if after.first().is_some_and(|t| !t.after_punct && t.is(w::AI_MODIFIER_NEXT)) {
            return false;
        }
        // "(LLMs)" right after another AI phrase restates it.
        if text[..h.start].ends_with('(') && ctx.hits_in(ss, h.start).iter().any(|o| o.end + 2 >= h.start && o != h) {
            return false;
        }
    }
    // "distillation", "extraction": the phrase itself names the taking.
    let own_verb = has_stem(&text[h.start..h.end], s::TARGET_VERB_STEMS);
    // Nearest verb cue before the phrase decides tool / behaviour / target ("used distillation"
    // is still a distillation: an act phrase is not the attacker's tool).
    for (i, t) in before.iter().enumerate().take_while(|_| !own_verb) {
        if inside_ai_phrase(ctx, t.start, t.end) {
            continue;
        }
        if t.is(w::ACTOR_NOUNS) {
            continue; // "attackers", "hackers": nouns, not verbs
        }
        // "tampered with", "interfered with": the verb before "with" decides.
        let phrasal = text[t.start..t.end].eq_ignore_ascii_case("with")
            && before.get(i + 1).is_some_and(|v| v.stem(s::TARGET_VERB_STEMS) || v.stem(s::INTERFERED));
        if phrasal {
            continue;
        }
        if t.is(w::TOOL_PREV) || t.stem(s::NON_TARGET_VERB_STEMS) {
            return false;
        }
        if t.stem(s::TARGET_VERB_STEMS) || (cat == AiAsset::MlInfrastructure && t.stem(s::INFRA_TARGET_STEMS)) {
            break;
        }
    }
    let target_verb = own_verb
        || any_word(text, ss, se, |t| {
            !inside_ai_phrase(ctx, t.start, t.end)
                && (t.stem(s::TARGET_VERB_STEMS) || (cat == AiAsset::MlInfrastructure && t.stem(s::INFRA_TARGET_STEMS)))
        });
    if !target_verb {
        return false;
    }
    strength != Strength::Weak || ai_context(ctx, h, cat)
}

/// Whether `[s, e)` lies inside an AI phrase hit ("copy-cat model", "poisoning attack"): such
/// words are not verbs of the sentence.
fn inside_ai_phrase(ctx: &Ctx<'_>, s: usize, e: usize) -> bool {
    ctx.hits_in(s.saturating_sub(64), e)
        .iter()
        .any(|h| matches!(h.kind, Kind::Asset(_) | Kind::NotAsset | Kind::AiContext) && h.start < e && s < h.end)
}

/// ML framework and hub names: AI context for most phrases, but not enough to make "source code"
/// or "code repository" an AI asset (a PyPI code repository is not AI code).
pub(crate) static PRODUCT_NAMES: &[&str] = &["PyTorch", "TensorFlow", "Hugging Face", "HuggingFace", "Jupyter", "Ray cluster", "Ray clusters"];

/// Verbs before "with" that make it phrasal ("interfered with the model").
pub(crate) static INTERFERED: &[&str] = &["interfer", "meddl"];

/// Whether the text is about AI: an AI context word, an unambiguous asset phrase or an AI-sector
/// word anywhere in it (other than the hit itself). Ambiguous algorithm/code phrases need an AI
/// word proper ("AI", "machine learning", an AI lab), not just an ML framework name.
fn ai_context(ctx: &Ctx<'_>, h: &Hit, cat: AiAsset) -> bool {
    ctx.hits.iter().any(|o| {
        o != h
            && match o.kind {
                Kind::AiContext => true,
                Kind::Asset(i) => {
                    let (phrase, _, strength) = ASSETS[i as usize];
                    strength != Strength::Weak && !(cat == AiAsset::AlgorithmsCode && word_is(phrase, w::PRODUCT_NAMES))
                }
                Kind::Vertical(i) => VERTICALS[i as usize].1 == Vertical::AiResearch,
                _ => false,
            }
    })
}
