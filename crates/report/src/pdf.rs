//! PDF through headless Chromium, when it is installed.
//!
//! spyglass does not download a browser: it looks for one (`$SPYGLASS_CHROMIUM`, else `chromium`,
//! `chromium-browser`, `google-chrome`, `google-chrome-stable` on `PATH`) and says what to install
//! when there is none.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Names looked up on `PATH`, in order.
pub const CHROMIUM_NAMES: &[&str] = &["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/// How long one Chromium run may take before it is killed.
pub const TIMEOUT: Duration = Duration::from_secs(120);

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(
        "no Chromium found to print the PDF (looked for $SPYGLASS_CHROMIUM, then {names} on PATH): install it \
         (Debian/Ubuntu: `apt-get install chromium`; macOS: Google Chrome) or set SPYGLASS_CHROMIUM to its path",
        names = CHROMIUM_NAMES.join(", ")
    )]
    NotFound,
    #[error("SPYGLASS_CHROMIUM={0} is not an executable file")]
    BadEnv(PathBuf),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("chromium ({chromium}) did not finish within {secs} s; killed", secs = TIMEOUT.as_secs())]
    Timeout { chromium: PathBuf },
    #[error("chromium ({chromium}) failed ({status}) and wrote no PDF to {pdf}: {stderr}")]
    Failed { chromium: PathBuf, pdf: PathBuf, status: String, stderr: String },
}

fn is_executable(p: &Path) -> bool {
    match std::fs::metadata(p) {
        Ok(m) if m.is_file() => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                m.permissions().mode() & 0o111 != 0
            }
            #[cfg(not(unix))]
            {
                true
            }
        }
        _ => false,
    }
}

/// The Chromium to use: `$SPYGLASS_CHROMIUM` when set (an error when it is not executable), else the
/// first of [`CHROMIUM_NAMES`] on `PATH`.
pub fn find_chromium() -> Result<PathBuf, PdfError> {
    if let Some(v) = std::env::var_os("SPYGLASS_CHROMIUM").filter(|v| !v.is_empty()) {
        let p = PathBuf::from(&v);
        if p.components().count() == 1
            && let Some(found) = on_path(&v)
        {
            return Ok(found);
        }
        return if is_executable(&p) { Ok(p) } else { Err(PdfError::BadEnv(p)) };
    }
    CHROMIUM_NAMES.iter().find_map(|n| on_path(std::ffi::OsStr::new(n))).ok_or(PdfError::NotFound)
}

fn on_path(name: &std::ffi::OsStr) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| is_executable(p))
}

/// A scratch browser profile, removed on drop.
#[derive(Debug)]
pub struct Profile(PathBuf);

impl Profile {
    pub fn new() -> Result<Profile, PdfError> {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let k = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("spyglass-chromium-{}-{nanos}-{k}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|source| PdfError::Io { path: dir.clone(), source })?;
        Ok(Profile(dir))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Profile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `file://` URL of a path (made absolute).
pub fn file_url(path: &Path) -> Result<String, PdfError> {
    let abs = std::path::absolute(path).map_err(|source| PdfError::Io { path: path.to_path_buf(), source })?;
    url::Url::from_file_path(&abs).map(|u| u.to_string()).map_err(|()| PdfError::Io {
        path: abs.clone(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "cannot make a file URL"),
    })
}

/// Headless Chromium with no network side traffic, no sandbox (containers run as root) and a
/// throw-away profile; add the action (`--print-to-pdf=…`, `--screenshot=…`, `--dump-dom`) and the URL.
pub fn chromium_command(chromium: &Path, profile: &Profile) -> Command {
    let mut c = Command::new(chromium);
    let mut dir = OsString::from("--user-data-dir=");
    dir.push(profile.path());
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--mute-audio",
    ])
    .arg(dir)
    .stdin(Stdio::null());
    c
}

/// What a Chromium run gave.
#[derive(Debug, Clone)]
pub struct Run {
    pub success: bool,
    pub status: String,
    pub stdout: String,
    pub stderr: String,
}

/// Runs a Chromium command to the end (killed after [`TIMEOUT`]).
pub fn run_chromium(mut cmd: Command, chromium: &Path) -> Result<Run, PdfError> {
    let io = |source| PdfError::Io { path: chromium.to_path_buf(), source };
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().map_err(io)?;
    // Drain the pipes on threads so a chatty Chromium cannot block on a full pipe.
    let mut out = child.stdout.take();
    let mut err = child.stderr.take();
    let out_t = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(o) = out.as_mut() {
            let _ = std::io::Read::read_to_string(o, &mut s);
        }
        s
    });
    let err_t = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(e) = err.as_mut() {
            let _ = std::io::Read::read_to_string(e, &mut s);
        }
        s
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait().map_err(io)? {
            Some(s) => break s,
            None if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(PdfError::Timeout { chromium: chromium.to_path_buf() });
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    let stdout = out_t.join().unwrap_or_default();
    let stderr = err_t.join().unwrap_or_default();
    Ok(Run { success: status.success(), status: format!("{status}"), stdout, stderr })
}

/// Prints `html` to `pdf` (A4-ish default page, no header/footer) with headless Chromium.
pub fn html_to_pdf(chromium: &Path, html: &Path, pdf: &Path) -> Result<(), PdfError> {
    let profile = Profile::new()?;
    let pdf_abs = std::path::absolute(pdf).map_err(|source| PdfError::Io { path: pdf.to_path_buf(), source })?;
    let _ = std::fs::remove_file(&pdf_abs);
    let mut cmd = chromium_command(chromium, &profile);
    let mut arg = OsString::from("--print-to-pdf=");
    arg.push(&pdf_abs);
    cmd.arg("--no-pdf-header-footer").arg(arg).arg(file_url(html)?);
    let Run { success, status, stdout, stderr } = run_chromium(cmd, chromium)?;
    let stderr = format!("{stdout}{stderr}");
    let written = std::fs::read(&pdf_abs).map(|b| b.starts_with(b"%PDF")).unwrap_or(false);
    if !written {
        let tail: String = stderr.lines().rev().take(8).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join(" | ");
        return Err(PdfError::Failed {
            chromium: chromium.to_path_buf(),
            pdf: pdf_abs,
            status: if success { "exit 0".into() } else { status },
            stderr: tail,
        });
    }
    Ok(())
}
