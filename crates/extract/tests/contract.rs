//! The JSON contract of `spyglass extract --json` and behaviour on small, hand-written texts.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report

use serde_json::Value;
use spyglass_extract::{ActorName, Extractor, IocType};
use spyglass_model::{AiAsset, Sponsorship, Vertical};

fn extractor() -> Extractor {
    let a = |name: &str, id: &str, sponsor: &str| ActorName {
        name: name.into(),
        actor_id: id.into(),
        actor_name: id.into(),
        sponsor: Some(sponsor.into()),
    };
    Extractor::new(vec![a("APT1", "APT1", "CN"), a("APT10", "APT10", "CN"), a("Fancy Bear", "APT28", "RU"), a("Zinc", "Lazarus Group", "KP")])
        .unwrap()
}

#[test]
fn json_keys_follow_the_cli_contract() {
    let e = extractor().extract(
        "The PRC state-sponsored group APT10 exfiltrated model weights from a GPU cluster of an AI start-up \
         (T1566.001, AML.T0024.002, CVE-2021-44228) via hxxps://evil[.]com/x and 1.2.3[.]4.",
    );
    let v: Value = serde_json::to_value(&e).unwrap();
    for key in ["actors", "sponsors", "state_sponsored", "vertical", "verticals", "ai_assets", "techniques", "cves", "iocs", "sponsorship"] {
        assert!(v.get(key).is_some(), "missing key {key}: {v}");
    }
    let actor = &v["actors"][0];
    for key in ["name", "start", "end", "actor", "sponsor"] {
        assert!(actor.get(key).is_some(), "actor lacks {key}: {actor}");
    }
    for key in ["country", "evidence", "start", "end"] {
        assert!(v["sponsors"][0].get(key).is_some(), "sponsor lacks {key}");
    }
    for key in ["category", "evidence", "start", "end"] {
        assert!(v["ai_assets"][0].get(key).is_some(), "asset lacks {key}");
    }
    assert!(v["verticals"][0].get("code").is_some() && v["verticals"][0].get("evidence").is_some());
    assert!(v["techniques"][0].get("id").is_some() && v["techniques"][0].get("evidence").is_some());
    assert!(v["iocs"][0].get("type").is_some() && v["iocs"][0].get("value").is_some());
    assert_eq!(v["state_sponsored"], Value::Bool(true));
    assert_eq!(v["sponsorship"], "state");
    assert_eq!(v["vertical"], "ai_research");
    assert_eq!(v["sponsors"][0]["country"], "CN");
    assert_eq!(v["ai_assets"][0]["category"], "model_weights");
    let ids: Vec<&str> = e.techniques.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["T1566.001", "AML.T0024.002"]);
    assert_eq!(e.cves[0].id, "CVE-2021-44228");
    let iocs: Vec<(IocType, &str)> = e.iocs.iter().map(|i| (i.kind, i.value.as_str())).collect();
    assert_eq!(iocs, [(IocType::Url, "https://evil.com/x"), (IocType::Ipv4, "1.2.3.4")]);
}

#[test]
fn short_aliases_are_word_bounded() {
    let e = extractor().extract("APT10 is not APT1, and apt1 or APT1x are not aliases; zinc is a metal, Zinc a group.");
    let names: Vec<&str> = e.actors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["APT10", "APT1", "Zinc"]);
}

#[test]
fn sponsor_negation_and_victims() {
    let ex = extractor();
    let cases: &[(&str, Option<&str>)] = &[
        ("Chinese state-sponsored hackers breached the network.", Some("CN")),
        ("Beijing-backed operators stole designs.", Some("CN")),
        ("The attack was attributed to Russia.", Some("RU")),
        ("The group is linked to the GRU.", Some("RU")),
        ("There is no evidence linking it to China.", None),
        ("Unlike Russian groups, the actor used custom tools.", None),
        ("The hackers targeted Chinese dissidents.", None),
        ("Unknown attackers hit Russian banks.", None),
        ("The operation was a false flag mimicking North Korean hackers.", None),
        ("Previously thought to be Iranian, the group was not attributed.", None),
        ("Fancy Bear phished the ministry.", Some("RU")),
        ("US officials said the intrusion was serious.", None),
        ("Computers associated with the U.S. Air Force were compromised; the Chinese government may have been behind it.", Some("CN")),
        ("Sensitive data was stolen and collected on a server in China.", Some("CN")),
        ("A large hospital group in the United States was breached.", None),
        ("Hackers defaced the Florence branch of the Italian Democratic Party.", None),
        ("Impersonating the Turkish ministry, Iranian hackers sent lures.", Some("IR")),
        ("The threat actor, allegedly the Indonesian government, used a proxy.", Some("ID")),
        ("The engineer stole trade secrets while secretly working for Chinese companies.", Some("CN")),
    ];
    for (text, want) in cases {
        assert_eq!(ex.extract(text).sponsor.as_deref(), *want, "{text}");
    }
}

#[test]
fn sponsorship_wording() {
    let ex = extractor();
    let cases: &[(&str, Option<Sponsorship>)] = &[
        ("A nation-state actor breached the firm.", Some(Sponsorship::State)),
        ("A group suspected of links to the government.", Some(Sponsorship::StateAffiliated)),
        ("A financially motivated ransomware gang encrypted files.", Some(Sponsorship::Criminal)),
        ("Hacktivists defaced the site.", Some(Sponsorship::Hacktivist)),
        ("Hackers defaced the site.", None),
    ];
    for (text, want) in cases {
        let e = ex.extract(text);
        assert_eq!(e.sponsorship, *want, "{text}");
        assert_eq!(e.state_sponsored, want.is_some_and(Sponsorship::is_state_backed), "{text}");
    }
}

#[test]
fn ai_assets_and_ambiguity() {
    let ex = extractor();
    let cases: &[(&str, &[AiAsset])] = &[
        ("The group stole model weights from the lab.", &[AiAsset::ModelWeights]),
        ("Attackers exfiltrated training data from the AI start-up.", &[AiAsset::TrainingData]),
        ("They stole proprietary AI algorithms.", &[AiAsset::AlgorithmsCode]),
        ("Intruders compromised the GPU cluster used for training.", &[AiAsset::MlInfrastructure]),
        ("The actor stole TPU chip designs.", &[AiAsset::MlInfrastructure]),
        ("Model extraction via API queries replicated the classifier.", &[AiAsset::ModelWeights]),
        ("The attackers stole the source code of its machine-learning platform.", &[AiAsset::AlgorithmsCode, AiAsset::MlInfrastructure]),
        ("The ransomware gang uses an affiliate business model and stole data.", &[]),
        ("They stole the company's data model documentation.", &[]),
        ("The threat model was leaked.", &[]),
        ("The group used ChatGPT to write phishing lures and stole credentials.", &[]),
        ("AI-powered phishing stole passwords.", &[]),
        ("LLM-generated lures helped them steal data.", &[]),
        ("The stolen router model number was leaked.", &[]),
        ("No model weights were stolen.", &[]),
        ("The group conducted distillation of a proprietary model offered by an AI lab.", &[AiAsset::ModelWeights]),
        ("Hackers gained access to an AI supercomputer.", &[AiAsset::MlInfrastructure]),
        ("The campaign used AML.T0024.002 against the service.", &[AiAsset::ModelWeights]),
        ("The attackers breached the MLOps pipeline and tampered with model checkpoints.", &[AiAsset::ModelWeights, AiAsset::MlInfrastructure]),
        ("Attackers hijacked GPU clusters to mine cryptocurrency.", &[AiAsset::MlInfrastructure]),
        ("Iranian actors used ChatGPT to debug malware and write phishing emails.", &[]),
        ("The financial model of the bank was leaked by hackers.", &[]),
        ("An attacker can steal the parameters of a production language model through its public API.", &[AiAsset::ModelWeights]),
        ("DeepSeek is alleged to have used distillation of OpenAI's models to train its own.", &[AiAsset::ModelWeights]),
        ("The attackers exploited an unauthenticated API in the Ray framework to hijack AI compute clusters.", &[AiAsset::MlInfrastructure]),
        ("A state-backed actor accessed a forum where employees discussed its latest AI models.", &[]),
        ("State-backed actors used large language models to research targets and write phishing emails.", &[]),
    ];
    for (text, want) in cases {
        assert_eq!(ex.extract(text).asset_categories(), *want, "{text}");
    }
}

#[test]
fn verticals_with_tie_break_and_registry() {
    let ex = Extractor::builder().companies(vec![("Nvidia".into(), Vertical::Semiconductors)]).build().unwrap();
    let cases: &[(&str, Option<Vertical>)] = &[
        ("Hackers breached a chipmaker in Taiwan.", Some(Vertical::Semiconductors)),
        ("The actor targeted telecommunications providers and banks.", Some(Vertical::Telecom)),
        ("Intruders breached Nvidia.", Some(Vertical::Semiconductors)),
        ("Attacks hit the ministry of defence.", Some(Vertical::Defence)),
        ("According to the security firm, the attack was new.", None),
    ];
    for (text, want) in cases {
        assert_eq!(ex.extract(text).vertical, *want, "{text}");
    }
}

#[test]
fn html_and_markdown_inputs() {
    let ex = extractor();
    let (text, e) = ex.extract_input(spyglass_extract::TextInput::Html("<p>Fancy&nbsp;Bear <b>stole</b> data</p><script>APT10</script>"));
    assert_eq!(text, "Fancy Bear stole data");
    assert_eq!(e.actors.len(), 1);
    let (text, e) = ex.extract_input(spyglass_extract::TextInput::Markdown("[APT10](https://attack.mitre.org/groups/G0045) is **Chinese**."));
    assert_eq!(text, "APT10 is Chinese.");
    assert!(e.iocs.is_empty(), "link targets are dropped: {:?}", e.iocs);
}
