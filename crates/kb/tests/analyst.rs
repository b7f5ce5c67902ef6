//! Analyst control and claim handling on real MISP actors: merge then split restores the previous
//! resolution exactly; loading claims twice changes nothing; overrides win; raw fields split.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report

mod common;

use chrono::{TimeZone, Utc};
use spyglass_kb::{Kb, KbClaimKind, KbError, load};
use spyglass_model::Sponsorship;

const NAMES: &[&str] = &["APT29", "UNC2452", "NOBELIUM", "Cozy Bear", "Midnight Blizzard", "Dark Halo", "StellarParticle", "SolarStorm", "APT28"];

fn snapshot(kb: &Kb) -> String {
    let res: Vec<_> = NAMES.iter().map(|n| kb.resolve(n)).collect();
    serde_json::to_string(&(res, kb.list(Some("RU")))).unwrap()
}

#[test]
fn merge_then_split_restores_the_previous_resolution_exactly() {
    let Some(kb) = common::kb() else { return };
    let before = snapshot(&kb);
    let apt29 = kb.resolve("APT29").actor.unwrap();
    let unc = kb.resolve("UNC2452").actor.unwrap();
    assert_ne!(apt29.id, unc.id, "MISP keeps APT29 and UNC2452 as two clusters");

    let t1 = Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap();
    let merge = kb.merge_at("APT29", "UNC2452", "Mandiant merged UNC2452 into APT29 (2022)", "alice", t1).unwrap();
    assert_eq!(merge.kind, KbClaimKind::Merge);
    assert_eq!(merge.recorded_at.as_deref(), Some("2024-01-02T03:04:05.000Z"));
    let merged = kb.with_claims([merge.clone()]);
    assert_eq!(merged.resolve("UNC2452").actor.unwrap().id, apt29.id);
    assert_eq!(merged.resolve("SolarStorm").sponsor.as_deref(), Some("RU"));
    assert!(merged.actor_count() < kb.actor_count());
    let view = merged.show("APT29").unwrap();
    assert!(view.analyst.iter().any(|a| a.action == "merge" && a.analyst.as_deref() == Some("alice") && a.in_effect));
    assert!(view.members.iter().any(|m| m.joined.contains("merged into") && m.joined.contains("alice")));
    assert_ne!(snapshot(&merged), before);

    let t2 = Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0).unwrap();
    let split = merged.split_at("APT29", "UNC2452", "keep the clusters apart", "bob", t2).unwrap();
    let restored = merged.with_claims([split]);
    assert_eq!(snapshot(&restored), before, "merge then split must restore every resolution");
    let view = restored.show("UNC2452").unwrap();
    assert!(view.analyst.iter().any(|a| a.action == "split" && a.analyst.as_deref() == Some("bob")));

    // Re-merging later is a new claim (another time), not a duplicate.
    let t3 = Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).unwrap();
    let again = restored.merge_at("APT29", "UNC2452", "again", "alice", t3).unwrap();
    assert_eq!(restored.with_claims([again]).resolve("UNC2452").actor.unwrap().id, apt29.id);
}

#[test]
fn analyst_commands_refuse_what_does_nothing() {
    let Some(kb) = common::kb() else { return };
    assert!(matches!(kb.merge("APT28", "Fancy Bear", "r", "a"), Err(KbError::NoEffect { .. })));
    assert!(matches!(kb.split("APT28", "APT29", "r", "a"), Err(KbError::NoEffect { .. })));
    assert!(matches!(kb.merge("APT28", "No Such Group Anywhere", "r", "a"), Err(KbError::UnknownActor { .. })));
    assert!(kb.merge("APT28", "Mint Sandstorm", "r", "a").is_ok());
}

#[test]
fn loading_the_same_claims_twice_gives_the_same_kb() {
    let Some(claims) = common::misp_and_attack_claims() else { return };
    let once = Kb::from_claims(claims.clone());
    let twice = Kb::from_claims(claims.iter().cloned().chain(claims.iter().cloned()));
    assert_eq!(once.claims().len(), twice.claims().len());
    assert_eq!(snapshot(&once), snapshot(&twice));
    assert_eq!(serde_json::to_string(&once.list(None)).unwrap(), serde_json::to_string(&twice.list(None)).unwrap());
    assert!(once.rejected().is_empty(), "{:?}", &once.rejected()[..once.rejected().len().min(3)]);
    // File order does not decide actors or sponsors.
    let reversed = Kb::from_claims(claims.iter().rev().cloned());
    for n in ["APT41", "Mint Sandstorm", "Charming Kitten", "IRIDIUM", "FIN7", "Andariel", "Cozy Bear"] {
        let (a, b) = (once.resolve(n), reversed.resolve(n));
        assert_eq!((a.actor, a.sponsor, a.sponsorship), (b.actor, b.sponsor, b.sponsorship), "{n}");
    }
}

#[test]
fn overrides_win_and_are_explained() {
    let Some(claims) = common::misp_and_attack_claims() else { return };
    let ov = load::overrides::from_csv_str(
        "name,actor,sponsor,sponsorship,vendor,confidence,note\n\
         Velvet Ant,,CN,,Sygnia,80,telco intrusions we investigated\n\
         Vice Society,,,criminal,,,\n",
        "ov.csv",
    )
    .unwrap();
    let kb = Kb::from_claims(claims.into_iter().chain(ov));
    let r = kb.resolve("Velvet Ant");
    assert_eq!(r.sponsor.as_deref(), Some("CN"));
    assert_eq!(r.confidence, 80);
    assert!(r.basis.iter().any(|b| b.contains("analyst override")), "{:?}", r.basis);
    let r = kb.resolve("Vice Society");
    assert_eq!((r.sponsor, r.sponsorship), (None, Sponsorship::Criminal));
}

#[test]
fn raw_incident_fields_split_into_actors() {
    let Some(claims) = common::misp_and_attack_claims() else { return };
    let kb = Kb::from_claims(claims.into_iter().chain(load::builtin::agencies()));
    let apt1 = kb.resolve_field("APT1/Comment Crew/Comment Panda/Byzantine Candor/Group 3/ TG-8223/BrownFox/G0006 (PLA, Unit 61398)");
    assert_eq!(apt1.len(), 1, "{apt1:?}");
    assert_eq!(apt1[0].sponsor.as_deref(), Some("CN"));
    let bs = kb.resolve_field("BRONZE STARLIGHT / DEV-0401");
    assert!(!bs.is_empty() && bs.iter().all(|r| r.resolved));
    assert_eq!(bs[0].actor.as_ref().unwrap().name, "BRONZE STARLIGHT");
    let nsa = kb.resolve_field("NSA/Equation Group");
    assert_eq!(nsa.len(), 2, "{nsa:?}");
    assert!(nsa.iter().all(|r| r.sponsor.as_deref() == Some("US")), "{nsa:?}");
    let laz = kb.resolve_field("Lazarus Group/Labyrinth Chollima/HIDDEN COBRA/Guardians of Peace/ZINC/NICKEL ACADEMY/NewRomanic Cyber Army Team/Whois Hacking Team/Appleworm/Group 77/G0032 (Reconnaissance General Bureau, Bureau 121, Unit 180, Lab 110)");
    assert!(laz.iter().all(|r| r.sponsor.as_deref() == Some("KP")), "{laz:?}");
    let nothing = kb.resolve_field("Not available");
    assert_eq!(nothing.len(), 1);
    assert!(!nothing[0].resolved);
}

#[test]
fn resolution_json_has_the_cli_contract() {
    let Some(kb) = common::kb() else { return };
    let v = serde_json::to_value(kb.resolve("Mint Sandstorm")).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let mut want = vec!["query", "resolved", "actor", "sponsor", "sponsorship", "confidence", "basis", "aliases", "conflicts"];
    want.sort_unstable();
    let mut got = keys.clone();
    got.sort_unstable();
    assert_eq!(got, want);
    assert_eq!(v["actor"].as_object().unwrap().keys().collect::<Vec<_>>(), ["id", "name"]);
    assert_eq!(v["sponsor"], "IR");
    assert_eq!(v["sponsorship"], "state");
    assert!(v["aliases"].as_array().unwrap().iter().all(|a| a.get("name").is_some() && a.get("vendor").is_some()));
    assert_eq!(v["conflicts"][0]["kind"], "shared-name");
    let unknown = serde_json::to_value(kb.resolve("Nobody Knows This Name")).unwrap();
    assert_eq!(unknown["actor"], serde_json::Value::Null);
    assert_eq!(unknown["resolved"], false);
}
