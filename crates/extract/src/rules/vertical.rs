//! Victim-sector words → [`Vertical`]. Matched case-insensitively on word boundaries; the longest
//! phrase wins ("Ministry of Defence" is defence, not government). A word in the attacker's or the
//! reporter's place ("according to the cybersecurity firm", "by Chinese AI labs") is not a victim.

use spyglass_model::Vertical;
use Vertical::*;

/// Phrase → vertical.
pub const VERTICALS: &[(&str, Vertical)] = &[
    // software
    ("software company", Software), ("software companies", Software), ("software firm", Software),
    ("software firms", Software), ("software vendor", Software), ("software vendors", Software),
    ("software developer", Software), ("software developers", Software), ("software maker", Software),
    ("software provider", Software), ("software providers", Software), ("software industry", Software),
    ("software supply chain", Software), ("SaaS", Software), ("video game", Software),
    ("video games", Software), ("game developer", Software), ("gaming companies", Software),
    ("gaming company", Software), ("gaming industry", Software), ("game industry", Software),
    ("video game industry", Software), ("messaging app", Software), ("messenger service", Software),
    ("messaging service", Software), ("messaging application", Software), ("CRM providers", Software),
    ("customer relationship management", Software), ("game companies", Software), ("antivirus vendor", Software),
    ("security vendor", Software), ("security vendors", Software), ("cybersecurity company", Software),
    ("cybersecurity companies", Software), ("cybersecurity firm", Software), ("security firm", Software),
    ("security company", Software), ("password manager", Software), ("app developer", Software),
    ("open-source project", Software), ("code repository", Software), ("package registry", Software),
    // cloud and hosting
    ("cloud provider", CloudHosting), ("cloud providers", CloudHosting), ("cloud service provider", CloudHosting),
    ("cloud service providers", CloudHosting), ("cloud services", CloudHosting), ("cloud computing", CloudHosting),
    ("cloud platform", CloudHosting), ("cloud infrastructure", CloudHosting), ("hosting provider", CloudHosting),
    ("hosting providers", CloudHosting), ("hosting company", CloudHosting), ("web hosting", CloudHosting),
    ("data center", CloudHosting), ("data centers", CloudHosting), ("data centre", CloudHosting),
    ("data centres", CloudHosting), ("datacenter", CloudHosting), ("datacenters", CloudHosting),
    ("managed service provider", CloudHosting), ("managed service providers", CloudHosting),
    ("managed IT service providers", CloudHosting), ("MSPs", CloudHosting), ("cloud-hosted", CloudHosting),
    ("Azure", CloudHosting), ("AWS", CloudHosting), ("Google Cloud", CloudHosting),
    // semiconductors
    ("semiconductor", Semiconductors), ("semiconductors", Semiconductors), ("chipmaker", Semiconductors),
    ("chipmakers", Semiconductors), ("chip maker", Semiconductors), ("chip makers", Semiconductors),
    ("chip manufacturer", Semiconductors), ("chip manufacturers", Semiconductors), ("chip designer", Semiconductors),
    ("chip designers", Semiconductors), ("chip industry", Semiconductors), ("foundry", Semiconductors),
    ("foundries", Semiconductors), ("GPU maker", Semiconductors), ("GPU makers", Semiconductors),
    ("wafer", Semiconductors), ("microchip", Semiconductors), ("microchips", Semiconductors),
    ("integrated circuit", Semiconductors), ("chip production", HardwareElectronics),
    // AI research
    ("AI lab", AiResearch), ("AI labs", AiResearch), ("AI laboratory", AiResearch), ("AI company", AiResearch),
    ("AI companies", AiResearch), ("AI start-up", AiResearch), ("AI start-ups", AiResearch),
    ("AI startup", AiResearch), ("AI startups", AiResearch), ("AI firm", AiResearch), ("AI firms", AiResearch),
    ("AI developer", AiResearch), ("AI developers", AiResearch), ("AI research", AiResearch),
    ("AI researchers", AiResearch), ("artificial intelligence company", AiResearch),
    ("artificial intelligence research", AiResearch), ("machine learning company", AiResearch),
    ("AI provider", AiResearch), ("AI providers", AiResearch), ("AI vendor", AiResearch),
    ("frontier AI", AiResearch), ("AI industry", AiResearch), ("AI sector", AiResearch),
    // AI labs and their products named as victims
    ("OpenAI", AiResearch), ("Anthropic", AiResearch), ("ChatGPT", AiResearch), ("Clearview AI", AiResearch),
    ("Hugging Face", AiResearch), ("HuggingFace", AiResearch), ("Mistral AI", AiResearch), ("Claude", AiResearch),
    // telecom
    ("telecommunications", Telecom), ("telecommunication", Telecom), ("telecom", Telecom),
    ("telecoms", Telecom), ("telco", Telecom), ("telcos", Telecom), ("mobile operator", Telecom),
    ("mobile operators", Telecom), ("mobile network operator", Telecom), ("internet service provider", Telecom),
    ("internet service providers", Telecom), ("ISP", Telecom), ("ISPs", Telecom), ("satellite communications", Telecom),
    ("telephone", Telecom), ("carriers", Telecom), ("wireless carrier", Telecom), ("broadband", Telecom),
    // hardware / electronics
    ("electronics", HardwareElectronics), ("hardware maker", HardwareElectronics),
    ("hardware manufacturer", HardwareElectronics), ("hardware vendor", HardwareElectronics),
    ("hardware vendors", HardwareElectronics), ("computer manufacturer", HardwareElectronics),
    ("computer maker", HardwareElectronics), ("device maker", HardwareElectronics),
    ("device manufacturer", HardwareElectronics), ("networking equipment", HardwareElectronics),
    ("network equipment", HardwareElectronics), ("server maker", HardwareElectronics),
    ("hardware supply chain", HardwareElectronics), ("router manufacturer", HardwareElectronics),
    ("electronic components", HardwareElectronics), ("computer retailer", HardwareElectronics),
    // other technology
    ("IT company", OtherTech), ("IT companies", OtherTech), ("IT firm", OtherTech), ("IT firms", OtherTech),
    ("IT sector", OtherTech), ("IT industry", OtherTech), ("IT service provider", OtherTech),
    ("IT service providers", OtherTech), ("IT services", OtherTech), ("technology company", OtherTech),
    ("technology companies", OtherTech), ("technology firm", OtherTech), ("technology firms", OtherTech),
    ("technology sector", OtherTech), ("technology industry", OtherTech), ("tech company", OtherTech),
    ("tech companies", OtherTech), ("tech firm", OtherTech), ("tech firms", OtherTech), ("tech sector", OtherTech),
    ("tech giant", OtherTech), ("tech giants", OtherTech), ("high-tech", OtherTech), ("internet company", OtherTech),
    ("technology", OtherTech), ("IT", OtherTech), ("social media", OtherTech), ("online platform", OtherTech),
    ("social network", OtherTech),
    // government
    ("government", Government), ("governments", Government), ("governmental", Government),
    ("ministry", Government), ("ministries", Government), ("embassy", Government), ("embassies", Government),
    ("parliament", Government), ("parliamentary", Government), ("government agency", Government),
    ("government agencies", Government), ("federal agency", Government), ("federal agencies", Government),
    ("department of", Government), ("police", Government), ("law enforcement", Government),
    ("election", Government), ("elections", Government), ("electoral", Government), ("municipal", Government),
    ("municipality", Government), ("diplomatic", Government), ("diplomats", Government),
    ("foreign ministry", Government), ("senate", Government), ("congress", Government),
    ("white house", Government), ("presidential", Government), ("public administration", Government),
    ("tax office", Government), ("state institutions", Government), ("political party", Government),
    ("political parties", Government), ("government officials", Government), ("local government", Government),
    ("city council", Government), ("politicians", Government), ("lawmakers", Government), ("legislators", Government),
    ("members of parliament", Government), ("MPs", Government), ("congressman", Government),
    ("congresswoman", Government), ("senator", Government), ("lawmaker", Government), ("federal authorities", Government), ("govt", Government), ("gov't", Government), ("State Department", Government),
    ("Department of State", Government), ("city of", Government), ("county", Government), ("counties", Government),
    ("European Commission", Government), ("EU Commission", Government), ("prime minister", Government), ("president", Government),
    // defence
    ("defense contractor", Defence), ("defense contractors", Defence), ("defence contractor", Defence),
    ("defence contractors", Defence), ("defense industrial base", Defence), ("defense industry", Defence),
    ("defence industry", Defence), ("defense sector", Defence), ("defence sector", Defence),
    ("military", Defence), ("armed forces", Defence), ("army", Defence), ("navy", Defence), ("naval", Defence),
    ("air force", Defence), ("ministry of defense", Defence), ("ministry of defence", Defence),
    ("defense ministry", Defence), ("defence ministry", Defence), ("department of defense", Defence),
    ("Pentagon", Defence), ("defense", Defence), ("defence", Defence), ("soldiers", Defence),
    ("weapons", Defence), ("aerospace and defense", Defence), ("NATO", Defence),
    // finance
    ("bank", Finance), ("banks", Finance), ("banking", Finance), ("financial institution", Finance),
    ("financial institutions", Finance), ("financial sector", Finance), ("financial services", Finance),
    ("financial organizations", Finance), ("financial service", Finance), ("stock exchange", Finance), ("cryptocurrency", Finance),
    ("cryptocurrency exchange", Finance), ("crypto exchange", Finance), ("fintech", Finance),
    ("insurance", Finance), ("insurer", Finance), ("SWIFT", Finance), ("credit union", Finance),
("ATM", Finance), ("ATMs", Finance), ("bitcoin", Finance),
    ("central bank", Finance), ("investment", Finance), ("rating agency", Finance),
    // energy
    ("energy", Energy), ("power grid", Energy), ("power plant", Energy), ("power plants", Energy),
    ("electricity", Energy), ("electric utility", Energy), ("utilities", Energy), ("utility", Energy),
    ("oil and gas", Energy), ("oil", Energy), ("gas", Energy), ("gas pipeline", Energy), ("oil pipeline", Energy),
    ("pipeline operator", Energy), ("pipeline company", Energy), ("petroleum", Energy),
    ("nuclear power", Energy), ("power company", Energy), ("power generation", Energy), ("grid", Energy),
    ("nuclear program", Energy), ("nuclear facility", Energy), ("electrical grid", Energy), ("electric grid", Energy),
    // health
    ("hospital", Health), ("hospitals", Health), ("health insurer", Health), ("health insurance", Health), ("healthcare", Health), ("health care", Health),
    ("health", Health), ("medical", Health), ("pharmaceutical", Health), ("pharmaceuticals", Health),
    ("pharma", Health), ("vaccine", Health), ("vaccines", Health), ("clinic", Health), ("patients", Health),
    ("biotech", Health),
    // transportation
    ("airline", Transportation), ("airlines", Transportation), ("airport", Transportation),
    ("airports", Transportation), ("aviation", Transportation), ("shipping", Transportation),
    ("maritime", Transportation), ("railway", Transportation), ("railways", Transportation),
    ("rail", Transportation), ("logistics", Transportation), ("transportation", Transportation),
    ("transport", Transportation), ("subway", Transportation), ("transit", Transportation),
    ("port", Transportation),
    // manufacturing
    ("manufacturing", Manufacturing), ("manufacturer", Manufacturing), ("manufacturers", Manufacturing),
    ("industrial", Manufacturing), ("automotive", Manufacturing), ("carmaker", Manufacturing),
    ("car maker", Manufacturing), ("automaker", Manufacturing), ("automakers", Manufacturing), ("factory", Manufacturing), ("factories", Manufacturing),
    ("steel", Manufacturing), ("heavy industries", Manufacturing), ("engineering", Manufacturing),
    // education
    ("university", Education), ("universities", Education), ("college", Education), ("colleges", Education),
    ("school", Education), ("schools", Education), ("academic", Education), ("academics", Education),
    ("education", Education), ("students", Education),
    // research
    ("research institute", Research), ("research institutes", Research), ("research center", Research),
    ("research centre", Research), ("research institution", Research), ("research institutions", Research),
    ("think tank", Research), ("think tanks", Research), ("think-tank", Research), ("think-tanks", Research),
    ("laboratory", Research), ("scientific", Research), ("nuclear research", Research), ("researchers", Research),
    ("science", Research),
    // media
    ("media", Media), ("news", Media), ("newspaper", Media), ("newspapers", Media), ("broadcaster", Media),
    ("television", Media), ("TV", Media), ("journalists", Media), ("journalist", Media), ("press", Media),
    ("radio", Media), ("news agency", Media), ("publisher", Media), ("film industry", Media),
    ("music industry", Media), ("entertainment", Media), ("magazine", Media),
    // civil society
    ("dissidents", CivilSociety), ("dissident", CivilSociety), ("activists", CivilSociety),
    ("activist", CivilSociety), ("NGO", CivilSociety), ("NGOs", CivilSociety), ("non-governmental", CivilSociety),
    ("human rights", CivilSociety), ("civil society", CivilSociety), ("opposition", CivilSociety),
    ("minorities", CivilSociety), ("Uyghur", CivilSociety), ("Uyghurs", CivilSociety), ("Tibetan", CivilSociety),
    ("Tibetans", CivilSociety), ("Uighur", CivilSociety), ("Uighurs", CivilSociety),
    ("diaspora", CivilSociety), ("religious", CivilSociety), ("church", CivilSociety), ("charity", CivilSociety),
    ("critics", CivilSociety), ("expats", CivilSociety), ("protesters", CivilSociety),
    // water, chemicals, food, space, retail
    ("water utility", Water), ("water treatment", Water), ("water supply", Water), ("water utilities", Water),
    ("wastewater", Water), ("chemical", Chemicals), ("chemicals", Chemicals), ("petrochemical", Chemicals),
    ("food", Food), ("agriculture", Food), ("agricultural", Food), ("satellite", Space),
    ("satellites", Space), ("space agency", Space), ("aerospace", Space), ("retailer", Retail),
    ("retailers", Retail), ("retail", Retail), ("e-commerce", Retail), ("hotel", Retail), ("hotels", Retail),
    ("hospitality", Retail),
];

/// Vertical words matched with exact case (ordinary words in lower case, or short codes).
pub const EXACT_CASE: &[&str] = &["MPs", "Azure", "AWS", "State Department", "Claude", "IT", "TV", "ISP", "ISPs", "SaaS", "NGO", "NGOs", "SWIFT", "ATM", "ATMs", "NATO", "MSPs"];

/// Vertical words that only count in the victim's place (object of an attack verb or after "of",
/// "in the … sector"): they are too common as plain words.
pub static NEEDS_VICTIM_CONTEXT: &[&str] = &[
    "technology", "health", "energy", "gas", "oil", "press", "news", "media", "port", "transport",
    "transit", "security", "investment", "payment", "payments", "science", "engineering", "food",
    "research", "government", "governments", "researchers", "education", "scientific", "president",
    "industrial", "academic", "students", "opposition", "religious", "critics", "insurance", "grid",
    "utility", "utilities", "rail", "pipeline", "military", "defense", "defence", "weapons", "IT",
    "bitcoin", "cryptocurrency", "election", "elections", "satellite", "satellites", "aerospace",
    "manufacturer", "manufacturers", "shipping", "logistics", "retail", "hotel", "hotels", "electoral",
    "diplomatic", "activists", "activist", "minorities", "laboratory", "steel", "factory", "school",
    "engineering", "chemical", "chemicals", "social media", "social network", "online platform",
    "telephone", "broadband", "carriers", "wafer", "medical", "radio", "television", "TV", "charity",
    "church", "naval", "soldiers", "army", "navy", "presidential", "NATO", "parliamentary",
    "governmental", "municipal", "police", "ATM", "ATMs", "SWIFT", "agricultural", "agriculture",
    "electronics", "transportation", "aviation", "banking", "security firm", "security company",
    "security vendor", "security vendors", "cybersecurity firm", "cybersecurity company", "Azure", "AWS",
    "Google Cloud", "OpenAI", "ChatGPT", "Anthropic", "Claude", "Hugging Face", "HuggingFace",
];

/// Vertical words that are also the attacker's tool ("used ChatGPT to write lures"): rejected
/// after a tool verb.
pub static TOOL_SENSITIVE: &[&str] = &["OpenAI", "ChatGPT", "Anthropic", "Hugging Face", "HuggingFace", "Mistral AI", "Claude"];
