//! Long texts (descriptions of incidents, campaigns and reports) kept until the bundle ends: in
//! memory up to a budget, then in an anonymous temporary file, so memory stays bounded whatever the
//! bundle holds.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};

/// Where a stored text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TextRef {
    spilled: bool,
    offset: u64,
    len: u32,
}

/// Append-only text storage with a memory budget.
#[derive(Debug)]
pub(crate) struct TextStore {
    mem: String,
    budget: usize,
    file: Option<(File, u64)>,
}

impl TextStore {
    /// A store that keeps up to `budget` bytes in memory.
    pub fn new(budget: usize) -> Self {
        TextStore { mem: String::new(), budget, file: None }
    }

    /// Bytes written to the temporary file so far.
    pub fn spilled_bytes(&self) -> u64 {
        self.file.as_ref().map_or(0, |(_, len)| *len)
    }

    /// Stores `s` (texts longer than 4 GiB are cut at a character boundary below that).
    pub fn push(&mut self, s: &str) -> io::Result<TextRef> {
        let mut end = s.len().min(u32::MAX as usize);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        let s = &s[..end];
        let len = u32::try_from(s.len()).unwrap_or(u32::MAX);
        if self.file.is_none() && self.mem.len() + s.len() <= self.budget {
            let offset = self.mem.len() as u64;
            self.mem.push_str(s);
            return Ok(TextRef { spilled: false, offset, len });
        }
        if self.file.is_none() {
            self.file = Some((tempfile::tempfile()?, 0));
        }
        let Some((file, flen)) = self.file.as_mut() else { return Err(io::Error::other("no spill file")) };
        file.seek(SeekFrom::End(0))?;
        file.write_all(s.as_bytes())?;
        let offset = *flen;
        *flen += s.len() as u64;
        Ok(TextRef { spilled: true, offset, len })
    }

    /// The text stored at `r`.
    pub fn get(&mut self, r: TextRef) -> io::Result<String> {
        if !r.spilled {
            let start = usize::try_from(r.offset).map_err(io::Error::other)?;
            let end = start + r.len as usize;
            return self.mem.get(start..end).map(str::to_string).ok_or_else(|| io::Error::other("text out of range"));
        }
        let Some((file, _)) = self.file.as_mut() else { return Err(io::Error::other("no spill file")) };
        file.seek(SeekFrom::Start(r.offset))?;
        let mut buf = vec![0u8; r.len as usize];
        file.read_exact(&mut buf)?;
        String::from_utf8(buf).map_err(io::Error::other)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report
mod tests {
    use super::*;

    #[test]
    fn spills_past_the_budget_and_reads_back() {
        let mut s = TextStore::new(8);
        let a = s.push("héllo").unwrap();
        let b = s.push("world, this is long").unwrap();
        let c = s.push("ok").unwrap();
        assert_eq!(s.spilled_bytes(), "world, this is long".len() as u64 + 2);
        assert_eq!(s.get(b).unwrap(), "world, this is long");
        assert_eq!(s.get(a).unwrap(), "héllo");
        assert_eq!(s.get(c).unwrap(), "ok");
    }
}
