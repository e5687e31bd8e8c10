//! Where the bytes go: a network printer (raw TCP, port 9100), a device file (`/dev/usb/lp0`, a
//! serial port), or a spool folder (the default when no printer is configured: each job is
//! written as `.bin` plus a `.txt` preview, each atomically, so a fresh install shows what it
//! would print).

use super::status::{self, Fault, PrinterStatus};
use crate::config::files;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    #[error("cannot connect to {0}: {1}")]
    Connect(String, String),
    #[error("writing to {0} failed: {1}")]
    Write(String, String),
    #[error("the printer at {0} closed the connection")]
    Dropped(String),
    #[error("{0}: {1}")]
    Io(String, String),
    #[error("not a printer address: {0:?} (expected tcp://HOST:PORT, a /dev/… path or spool:DIR)")]
    BadTarget(String),
}

impl TransportError {
    pub fn fault(&self) -> Fault {
        Fault::Unreachable(self.to_string())
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub connect: Duration,
    /// For each chunk written; a printer that stops reading (paper out with a full buffer)
    /// fails here instead of hanging the runner.
    pub write: Duration,
    /// How long to wait for a status answer.
    pub status: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(3),
            write: Duration::from_secs(5),
            status: Duration::from_millis(800),
        }
    }
}

/// One job on its way out.
#[derive(Debug, Clone)]
pub struct OutgoingJob<'a> {
    /// File stem for the spool folder (`000042-receipt`).
    pub name: &'a str,
    pub bytes: &'a [u8],
    pub preview: &'a str,
}

#[derive(Debug)]
pub enum Transport {
    Tcp(TcpPrinter),
    Device(PathBuf),
    Folder(PathBuf),
}

impl Transport {
    /// `tcp://HOST:PORT`, `/dev/…` (or any path of a device), `spool:DIR` (or `dir:DIR`) for a
    /// spool folder: the same forms as `[printer] to` in the configuration.
    pub fn parse(target: &str, timeouts: Timeouts) -> Result<Transport, TransportError> {
        if let Some(addr) = target.strip_prefix("tcp://") {
            let addr = addr.trim_end_matches('/');
            if addr.is_empty() {
                return Err(TransportError::BadTarget(target.to_string()));
            }
            let addr = if addr.contains(':') {
                addr.to_string()
            } else {
                format!("{addr}:9100")
            };
            return Ok(Transport::Tcp(TcpPrinter::new(addr, timeouts)));
        }
        if let Some(dir) = target
            .strip_prefix("spool:")
            .or_else(|| target.strip_prefix("dir:"))
        {
            return Ok(Transport::Folder(PathBuf::from(dir)));
        }
        if target.starts_with('/') {
            return Ok(Transport::Device(PathBuf::from(target)));
        }
        Err(TransportError::BadTarget(target.to_string()))
    }

    /// The transport for the configured `[printer] to`.
    pub fn from_target(target: &crate::config::PrinterTarget, timeouts: Timeouts) -> Transport {
        use crate::config::PrinterTarget;
        match target {
            PrinterTarget::Tcp(addr) => Transport::Tcp(TcpPrinter::new(addr.clone(), timeouts)),
            PrinterTarget::Device(p) => Transport::Device(p.clone()),
            PrinterTarget::Spool(p) => Transport::Folder(p.clone()),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Transport::Tcp(t) => format!("tcp://{}", t.addr),
            Transport::Device(p) => p.display().to_string(),
            Transport::Folder(p) => format!("spool:{}", p.display()),
        }
    }

    /// Whether the printer can answer status queries over this transport.
    pub fn two_way(&self) -> bool {
        matches!(self, Transport::Tcp(_))
    }

    /// What to report when the printer is not asked: a folder is always ready; anything else is
    /// unknown.
    pub fn unasked_status(&self) -> PrinterStatus {
        match self {
            Transport::Folder(_) => PrinterStatus::ok(),
            Transport::Tcp(_) | Transport::Device(_) => PrinterStatus::unknown(),
        }
    }

    /// The printer's status, where the transport can ask; a folder is always ready; a device file
    /// is written one way, so its status is unknown.
    pub async fn status(&mut self) -> PrinterStatus {
        match self {
            Transport::Tcp(t) => t.status().await,
            Transport::Device(_) => PrinterStatus::unknown(),
            Transport::Folder(_) => PrinterStatus::ok(),
        }
    }

    /// The status that confirms a job just sent: the first answer may take `first_wait` (the
    /// job's bytes go in before the query). Only a two-way transport can confirm.
    pub async fn confirm(&mut self, first_wait: Duration) -> PrinterStatus {
        match self {
            Transport::Tcp(t) => t.status_within(first_wait).await,
            Transport::Device(_) => PrinterStatus::unknown(),
            Transport::Folder(_) => PrinterStatus::ok(),
        }
    }

    /// The timeouts of a network printer (the default ones for the others).
    pub fn timeouts(&self) -> Timeouts {
        match self {
            Transport::Tcp(t) => t.timeouts,
            Transport::Device(_) | Transport::Folder(_) => Timeouts::default(),
        }
    }

    #[tracing::instrument(skip_all, err, fields(job = job.name, bytes = job.bytes.len()))]
    pub async fn send(&mut self, job: &OutgoingJob<'_>) -> Result<(), TransportError> {
        match self {
            Transport::Tcp(t) => t.send(job.bytes).await,
            Transport::Device(p) => write_device(p, job.bytes).await,
            Transport::Folder(dir) => write_folder(dir, job).await,
        }
    }
}

async fn write_device(path: &Path, bytes: &[u8]) -> Result<(), TransportError> {
    let name = path.display().to_string();
    let io = |e: std::io::Error| TransportError::Io(name.clone(), e.to_string());
    let mut f = tokio::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .await
        .map_err(io)?;
    f.write_all(bytes).await.map_err(io)?;
    f.flush().await.map_err(io)?;
    Ok(())
}

/// Writes `name.txt` then `name.bin`, each atomically (a temporary file renamed into place), so
/// a reader never sees half a job. The folder is 0700 and the files 0600: they are the paper,
/// with the worker's name on it.
async fn write_folder(dir: &Path, job: &OutgoingJob<'_>) -> Result<(), TransportError> {
    let name = dir.display().to_string();
    let io = |e: std::io::Error| TransportError::Io(name.clone(), e.to_string());
    for (ext, data) in [("txt", job.preview.as_bytes()), ("bin", job.bytes)] {
        let dest = dir.join(format!("{}.{ext}", job.name));
        let data = data.to_vec();
        tokio::task::spawn_blocking(move || files::write_private(&dest, &data))
            .await
            .map_err(|e| io(std::io::Error::other(e)))?
            .map_err(io)?;
    }
    Ok(())
}

/// Whether a file in a spool folder is one the folder transport wrote (`000042-receipt.bin`,
/// its `.txt`, or a temporary file left by a crash): only those are ever deleted.
pub fn is_spool_file(name: &str) -> bool {
    let name = name.strip_suffix(".tmp").unwrap_or(name);
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    let Some((number, kind)) = stem.split_once('-') else {
        return false;
    };
    matches!(ext, "bin" | "txt")
        && number.len() >= 6
        && number.bytes().all(|b| b.is_ascii_digit())
        && crate::domain::codes::PrintKind::from_code(kind).is_some()
}

/// A network printer on raw TCP. Keeps its connection between jobs and reconnects after any
/// error.
#[derive(Debug)]
pub struct TcpPrinter {
    pub addr: String,
    timeouts: Timeouts,
    conn: Option<TcpStream>,
}

const CHUNK: usize = 4096;

impl TcpPrinter {
    pub fn new(addr: String, timeouts: Timeouts) -> Self {
        TcpPrinter {
            addr,
            timeouts,
            conn: None,
        }
    }

    async fn connect(&mut self) -> Result<&mut TcpStream, TransportError> {
        // A kept connection the printer has closed meanwhile (idle time-out, power cycle) is
        // replaced before use, so a job is never written into a dead socket. Stale bytes (late
        // status answers) are dropped.
        if let Some(s) = &self.conn {
            let mut junk = [0u8; 64];
            loop {
                match s.try_read(&mut junk) {
                    Ok(0) => {
                        self.conn = None;
                        break;
                    }
                    Ok(_) => continue,
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                    Err(_) => {
                        self.conn = None;
                        break;
                    }
                }
            }
        }
        if self.conn.is_none() {
            let s = timeout(self.timeouts.connect, TcpStream::connect(&self.addr))
                .await
                .map_err(|_| TransportError::Connect(self.addr.clone(), "timed out".into()))?
                .map_err(|e| TransportError::Connect(self.addr.clone(), e.to_string()))?;
            let _ = s.set_nodelay(true);
            self.conn = Some(s);
        }
        self.conn
            .as_mut()
            .ok_or_else(|| TransportError::Connect(self.addr.clone(), "no connection".into()))
    }

    /// Sends `DLE EOT n` and waits `wait` for one status byte. `Ok(None)` when no answer came
    /// in time.
    async fn query(&mut self, n: u8, wait: Duration) -> Result<Option<u8>, TransportError> {
        let addr = self.addr.clone();
        let wt = self.timeouts.write;
        // connect() also drops late answers to earlier queries.
        let s = self.connect().await?;
        match timeout(wt, s.write_all(&status::query(n))).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(TransportError::Write(addr, e.to_string())),
            Err(_) => return Err(TransportError::Write(addr, "timed out".into())),
        }
        let mut b = [0u8; 1];
        match timeout(wait, s.read(&mut b)).await {
            Err(_) => Ok(None),
            Ok(Ok(0)) => Err(TransportError::Dropped(addr)),
            Ok(Ok(_)) => Ok(Some(b[0])),
            Ok(Err(e)) => Err(TransportError::Io(addr, e.to_string())),
        }
    }

    /// Asks `DLE EOT 1`, `2`, `4`. No answer is "status unknown" reported as a fault; an
    /// unreachable printer is a fault too.
    pub async fn status(&mut self) -> PrinterStatus {
        self.status_within(self.timeouts.status).await
    }

    /// As [`Self::status`], waiting up to `first_wait` for the first answer (after a job, the
    /// printer reads the job's bytes before it sees the query).
    pub async fn status_within(&mut self, first_wait: Duration) -> PrinterStatus {
        let mut answers = Vec::new();
        for (i, n) in status::QUERIES.into_iter().enumerate() {
            let wait = if i == 0 {
                first_wait
            } else {
                self.timeouts.status
            };
            match self.query(n, wait).await {
                Ok(Some(b)) => answers.push((n, b)),
                Ok(None) => return PrinterStatus::fault(Fault::NoAnswer),
                Err(e) => {
                    self.conn = None;
                    return PrinterStatus::fault(e.fault());
                }
            }
        }
        match status::combine(&answers) {
            Ok(s) => s,
            Err(_) => PrinterStatus::fault(Fault::NoAnswer),
        }
    }

    pub async fn send(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        let r = self.send_inner(bytes).await;
        if r.is_err() {
            // Reconnect next time: a half-written connection is never reused.
            self.conn = None;
        }
        r
    }

    async fn send_inner(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        let addr = self.addr.clone();
        let wt = self.timeouts.write;
        let s = self.connect().await?;
        for chunk in bytes.chunks(CHUNK) {
            match timeout(wt, s.write_all(chunk)).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => return Err(TransportError::Write(addr, e.to_string())),
                Err(_) => return Err(TransportError::Write(addr, "timed out".into())),
            }
        }
        match timeout(wt, s.flush()).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(TransportError::Write(addr, e.to_string())),
            Err(_) => Err(TransportError::Write(addr, "timed out".into())),
        }
    }

    /// Closes the connection (the next job reconnects).
    pub fn disconnect(&mut self) {
        self.conn = None;
    }
}
