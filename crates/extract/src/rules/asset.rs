//! AI-asset phrases → [`AiAsset`] (design.md's ATLAS-linked taxonomy), with how much context
//! each needs before it counts as an asset *targeted*.

use spyglass_model::AiAsset;
use AiAsset::*;

/// How much context an asset phrase needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strength {
    /// Names the act of taking the asset ("model extraction", "stole model weights" is matched as
    /// "model weights" + verb): counts even after "used"/"via", unless negated.
    Act,
    /// Unambiguous AI asset noun ("model weights", "training data", "GPU cluster"): counts when
    /// the sentence has a theft/access/tampering verb and the noun is not the attacker's tool.
    Noun,
    /// Ambiguous noun ("model", "dataset", "source code", "GPUs"): as `Noun`, and the text must
    /// also be about AI (an [`AI_CONTEXT`] word in the same sentence).
    Weak,
}

use Strength::*;

/// Phrase → (category, strength). Longest match wins, so "data model", "business model" etc. in
/// [`NOT_ASSETS`] swallow the word "model".
pub const ASSETS: &[(&str, AiAsset, Strength)] = &[
    // model weights: a trained model copied, extracted, distilled or tampered with
    ("model weights", ModelWeights, Noun), ("weights", ModelWeights, Weak), ("model checkpoint", ModelWeights, Noun),
    ("model checkpoints", ModelWeights, Noun), ("checkpoints", ModelWeights, Weak),
    ("model extraction", ModelWeights, Act), ("model-extraction", ModelWeights, Act),
    ("extract AI model", ModelWeights, Act), ("extract the model", ModelWeights, Act),
    ("extracted the model", ModelWeights, Act), ("extracting the model", ModelWeights, Act),
    ("model stealing", ModelWeights, Act), ("model theft", ModelWeights, Act), ("stolen model", ModelWeights, Act),
    ("stolen models", ModelWeights, Act), ("stole the model", ModelWeights, Act),
    ("replicated model", ModelWeights, Act), ("replicate the model", ModelWeights, Act),
    ("replicated the model", ModelWeights, Act), ("model replication", ModelWeights, Act),
    ("copy-cat", ModelWeights, Act), ("copycat", ModelWeights, Act), ("copycat model", ModelWeights, Act), ("proxy model", ModelWeights, Act),
    ("surrogate model", ModelWeights, Act), ("shadow model", ModelWeights, Act),
    ("model distillation", ModelWeights, Act), ("distillation attack", ModelWeights, Act),
    ("distillation attacks", ModelWeights, Act), ("distillation", ModelWeights, Weak),
    ("distill", ModelWeights, Weak), ("distilled", ModelWeights, Weak),
    ("distilled models", ModelWeights, Act), ("distilled model", ModelWeights, Act),
    ("poisoned model", ModelWeights, Act), ("poisoned models", ModelWeights, Act),
    ("backdoored model", ModelWeights, Act), ("model files", ModelWeights, Noun), ("model file", ModelWeights, Noun),
    ("trained model", ModelWeights, Noun), ("trained models", ModelWeights, Noun), ("full model", ModelWeights, Noun),
    ("proprietary model", ModelWeights, Noun), ("proprietary models", ModelWeights, Noun),
    ("AI model", ModelWeights, Noun), ("AI models", ModelWeights, Noun), ("ML model", ModelWeights, Noun),
    ("ML models", ModelWeights, Noun), ("machine learning model", ModelWeights, Noun),
    ("machine learning models", ModelWeights, Noun), ("machine-learning model", ModelWeights, Noun),
    ("machine-learning models", ModelWeights, Noun), ("deep learning model", ModelWeights, Noun),
    ("deep learning models", ModelWeights, Noun), ("language model", ModelWeights, Noun),
    ("language models", ModelWeights, Noun), ("model parameters", ModelWeights, Noun),
    ("parameters of", ModelWeights, Weak), ("neural network", ModelWeights, Weak),
    ("neural networks", ModelWeights, Weak), ("model", ModelWeights, Weak), ("models", ModelWeights, Weak),
    ("LLM", ModelWeights, Weak), ("LLMs", ModelWeights, Weak), ("classifier", ModelWeights, Weak),
    ("frontier model", ModelWeights, Noun), ("frontier models", ModelWeights, Noun),
    ("model capabilities", ModelWeights, Act),
    // training data
    ("training data", TrainingData, Noun), ("training dataset", TrainingData, Noun),
    ("training datasets", TrainingData, Noun), ("training set", TrainingData, Noun),
    ("training corpus", TrainingData, Noun), ("training samples", TrainingData, Noun),
    ("labelled data", TrainingData, Noun), ("labeled data", TrainingData, Noun),
    ("data poisoning", TrainingData, Act), ("poisoning attack", TrainingData, Weak),
    ("poisoned dataset", TrainingData, Act),
    ("poisoned datasets", TrainingData, Act), ("dataset", TrainingData, Weak), ("datasets", TrainingData, Weak),
    ("data pipeline", TrainingData, Weak), ("data pipelines", TrainingData, Weak),
    ("evaluation data", TrainingData, Noun), ("video samples", TrainingData, Weak),
    ("training images", TrainingData, Noun), ("datapoints", TrainingData, Weak),
    // algorithms and code
    ("AI algorithm", AlgorithmsCode, Noun), ("AI algorithms", AlgorithmsCode, Noun),
    ("proprietary algorithm", AlgorithmsCode, Weak), ("proprietary algorithms", AlgorithmsCode, Weak),
    ("machine learning algorithms", AlgorithmsCode, Noun), ("machine-learning algorithms", AlgorithmsCode, Noun),
    ("algorithms", AlgorithmsCode, Weak), ("algorithm", AlgorithmsCode, Weak),
    ("source code", AlgorithmsCode, Weak), ("AI source code", AlgorithmsCode, Noun),
    ("code repository", AlgorithmsCode, Weak), ("model architecture", AlgorithmsCode, Noun),
    ("model architectures", AlgorithmsCode, Noun), ("AI research", AlgorithmsCode, Weak),
    ("AI technology", AlgorithmsCode, Weak), ("AI technologies", AlgorithmsCode, Weak),
    ("artificial intelligence technology", AlgorithmsCode, Weak), ("trade secrets", AlgorithmsCode, Weak),
    ("intellectual property", AlgorithmsCode, Weak), ("AI intellectual property", AlgorithmsCode, Noun),
    ("AI IP", AlgorithmsCode, Noun), ("AI trade secrets", AlgorithmsCode, Noun), ("neural networks tool", AlgorithmsCode, Noun),
    // ML infrastructure
    ("GPU cluster", MlInfrastructure, Noun), ("GPU clusters", MlInfrastructure, Noun),
    ("compute cluster", MlInfrastructure, Noun), ("compute clusters", MlInfrastructure, Noun),
    ("AI compute", MlInfrastructure, Noun), ("Ray framework", MlInfrastructure, Noun), ("GPUs", MlInfrastructure, Weak),
    ("GPU", MlInfrastructure, Weak), ("AI supercomputer", MlInfrastructure, Noun), ("supercomputer", MlInfrastructure, Weak),
    ("TPU", MlInfrastructure, Noun), ("TPUs", MlInfrastructure, Noun), ("AI chip", MlInfrastructure, Noun),
    ("AI chips", MlInfrastructure, Noun), ("AI accelerator", MlInfrastructure, Noun), ("AI accelerators", MlInfrastructure, Noun),
    ("chip designs", MlInfrastructure, Weak), ("chip design", MlInfrastructure, Weak),
    ("ML platform", MlInfrastructure, Noun), ("machine-learning platform", MlInfrastructure, Noun),
    ("machine learning platform", MlInfrastructure, Noun), ("AI platform", MlInfrastructure, Noun),
    ("training platform", MlInfrastructure, Noun), ("training infrastructure", MlInfrastructure, Noun),
    ("AI infrastructure", MlInfrastructure, Noun), ("ML infrastructure", MlInfrastructure, Noun),
    ("compute resources", MlInfrastructure, Weak), ("compute power", MlInfrastructure, Weak),
    ("PyTorch", MlInfrastructure, Noun), ("TensorFlow", MlInfrastructure, Noun), ("Ray clusters", MlInfrastructure, Noun),
    ("Ray cluster", MlInfrastructure, Noun), ("Jupyter", MlInfrastructure, Weak), ("Hugging Face", MlInfrastructure, Noun),
    ("HuggingFace", MlInfrastructure, Noun), ("model hub", MlInfrastructure, Noun), ("model repository", MlInfrastructure, Noun),
    ("model registry", MlInfrastructure, Noun), ("MLOps", MlInfrastructure, Noun), ("ML pipeline", MlInfrastructure, Noun),
    ("ML supply chain", MlInfrastructure, Noun), ("AI supply chain", MlInfrastructure, Noun),
    ("LLM supply chain", MlInfrastructure, Noun), ("LLM frameworks", MlInfrastructure, Noun),
    ("LLM framework", MlInfrastructure, Noun), ("ML framework", MlInfrastructure, Noun),
    ("ML frameworks", MlInfrastructure, Noun), ("AI framework", MlInfrastructure, Noun),
    ("AI workloads", MlInfrastructure, Noun), ("AI workflows", MlInfrastructure, Noun),
    ("inference API", MlInfrastructure, Weak), ("inference servers", MlInfrastructure, Noun),
    ("cloud-hosted large language models", MlInfrastructure, Noun), ("LLM services", MlInfrastructure, Weak),
    ("AI services", MlInfrastructure, Weak), ("model access", MlInfrastructure, Weak),
    // models planted on a model hub are the attacker's; the hub (the ML supply chain) is the target
    ("malicious models", MlInfrastructure, Noun), ("malicious model", MlInfrastructure, Noun),
];

/// Extra cues that make ML infrastructure the target ("RCE vulnerabilities across LLM frameworks").
pub static INFRA_TARGET_STEMS: &[&str] = &["vulnerab", "exploit", "exposed", "rce", "unauthenticated", "misconfigur", "hijack", "abus"];

/// Phrases where "model", "data", "algorithm" … are not AI assets; matched so they swallow the word.
pub const NOT_ASSETS: &[&str] = &[
    "data model", "business model", "business models", "threat model", "threat modeling", "threat modelling",
    "financial model", "role model", "model number", "model numbers", "pricing model", "operating model",
    "affiliate model", "service model", "delivery model", "security model", "zero trust model",
    "zero-trust model", "subscription model", "model year", "model name", "device model", "phone model",
    "router models", "router model", "car model", "scale model", "model citizen", "OSI model",
    "as-a-service model", "economic model", "governance model", "distribution model",
    "hybrid model", "franchise model", "partnership model", "revenue model", "double-extortion model",
    "double extortion model", "RaaS model", "MaaS model", "extortion model", "payment model",
    "hashing algorithm", "encryption algorithm", "encryption algorithms", "domain generation algorithm",
    "Domain Generation Algorithm", "DGA", "compression algorithm", "cryptographic algorithm",
    "signing algorithm", "Model Context Protocol", "training data breach",
    "security training", "awareness training",
];

/// Words that make a text about AI (needed by `Weak` phrases in the same sentence).
pub const AI_CONTEXT: &[&str] = &[
    "AI", "A.I.", "artificial intelligence", "machine learning", "machine-learning", "ML", "deep learning",
    "neural", "LLM", "LLMs", "large language model", "large language models", "GPT", "ChatGPT",
    "generative", "GenAI", "OpenAI", "Anthropic", "Claude", "Gemini", "DeepSeek", "chatbot",
    "transformer", "inference", "trained", "training", "Nvidia", "NVIDIA", "TPU", "GPU", "GPUs",
    "facial recognition", "computer vision", "translation model", "AI-powered",
];

/// ATLAS technique ids that name the asset sought; evidence is the id itself.
pub const ATLAS_ASSETS: &[(&str, AiAsset)] = &[
    ("AML.T0024.000", TrainingData),   // Infer Training Data Membership
    ("AML.T0024.001", TrainingData),   // Invert AI Model (reconstructs training data)
    ("AML.T0024.002", ModelWeights),   // Extract AI Model
    ("AML.T0024", ModelWeights),       // Exfiltration via AI Inference API
    ("AML.T0044", ModelWeights),       // Full AI Model Access
    ("AML.T0048.004", AlgorithmsCode), // AI Intellectual Property Theft
    ("AML.T0035", TrainingData),       // AI Artifact Collection
    ("AML.T0020", TrainingData),       // Poison Training Data
    ("AML.T0019", TrainingData),       // Publish Poisoned Datasets
    ("AML.T0010.002", TrainingData),   // AI Supply Chain Compromise: Data
    ("AML.T0010.003", ModelWeights),   // AI Supply Chain Compromise: Model
    ("AML.T0010", MlInfrastructure),   // AI Supply Chain Compromise (hardware, software, registry)
    ("AML.T0018", ModelWeights),       // Manipulate AI Model
    ("AML.T0058", ModelWeights),       // Publish Poisoned Models
];

/// Asset/AI-context words matched with exact case.
pub const EXACT_CASE: &[&str] = &[
    "AI", "ML", "LLM", "LLMs", "GPT", "GPU", "GPUs", "TPU", "TPUs", "AI IP", "Claude", "Gemini", "DGA",
    "MLOps", "GenAI", "RaaS model", "MaaS model", "Jupyter",
];
