#![no_main]
//! Feeds arbitrary bytes to the misp reader (and to format sniffing): any panic is a bug.

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use spyglass_ingest::{Format, read_bytes, sniff};

fuzz_target!(|data: &[u8]| {
    let path = Path::new("e.json");
    let _ = sniff(path, data);
    let _ = read_bytes(path, data, Format::Misp);
});
