//! An in-process network printer on 127.0.0.1: records the bytes of every connection and answers
//! `DLE EOT n` as a real one would in the chosen mode.

use super::escpos_decoder::{Unit, mode_after, next_unit};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    PaperOut,
    PaperNearEnd,
    CoverOpen,
    /// Never answers status queries (but takes data).
    NoAnswer,
    /// Closes the connection once it has received this many job bytes, then behaves normally.
    DropAfter(usize),
    /// Accepts and closes every connection at once.
    DropOnAccept,
    /// Answers this many status queries on a connection, then stops reading for the given time
    /// and resets the connection (RST), without taking a byte of the job.
    StallThenReset(usize, std::time::Duration),
    /// Takes job bytes at this many bytes a second (a slow link or a slow raster printer).
    SlowLink(usize),
}

#[derive(Debug, Default)]
struct State {
    mode: Option<Mode>,
    /// Job bytes per connection (status queries removed).
    conns: Vec<Vec<u8>>,
    queries: usize,
    errors: Vec<String>,
}

pub struct FakePrinter {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
    /// Woken whenever job bytes arrive (the bench waits on it for the last byte).
    pub received: Arc<tokio::sync::Notify>,
    kick: Arc<tokio::sync::Notify>,
    task: JoinHandle<()>,
}

impl FakePrinter {
    pub async fn start(mode: Mode) -> FakePrinter {
        Self::start_on("127.0.0.1:0".parse().expect("addr"), mode).await
    }

    pub async fn start_on(addr: SocketAddr, mode: Mode) -> FakePrinter {
        let listener = TcpListener::bind(addr).await.expect("bind fake printer");
        let addr = listener.local_addr().expect("addr");
        let state = Arc::new(Mutex::new(State {
            mode: Some(mode),
            ..State::default()
        }));
        let st = state.clone();
        let received = Arc::new(tokio::sync::Notify::new());
        let rx = received.clone();
        let kick = Arc::new(tokio::sync::Notify::new());
        let k = kick.clone();
        let task = tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                tokio::spawn(serve(sock, st.clone(), rx.clone(), k.clone()));
            }
        });
        FakePrinter {
            addr,
            state,
            received,
            kick,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("tcp://{}", self.addr)
    }

    pub fn set_mode(&self, mode: Mode) {
        self.state.lock().expect("lock").mode = Some(mode);
    }

    pub fn connections(&self) -> Vec<Vec<u8>> {
        self.state.lock().expect("lock").conns.clone()
    }

    /// Connections that received any job bytes.
    pub fn jobs(&self) -> Vec<Vec<u8>> {
        self.connections()
            .into_iter()
            .filter(|c| !c.is_empty())
            .collect()
    }

    pub fn queries(&self) -> usize {
        self.state.lock().expect("lock").queries
    }

    /// Protocol errors the printer saw (an unknown command, a stray byte after a query).
    pub fn errors(&self) -> Vec<String> {
        self.state.lock().expect("lock").errors.clone()
    }

    /// Closes every open connection, as a printer does after an idle time-out.
    pub fn close_connections(&self) {
        self.kick.notify_waiters();
    }

    pub fn stop(self) {
        self.task.abort();
    }

    /// Job bytes received so far over all connections.
    pub fn total_bytes(&self) -> usize {
        self.state
            .lock()
            .expect("lock")
            .conns
            .iter()
            .map(Vec::len)
            .sum()
    }
}

fn answer(mode: Mode, n: u8) -> Option<u8> {
    let base = 0x12;
    Some(match (mode, n) {
        (Mode::NoAnswer, _) => return None,
        (Mode::PaperOut, 1) | (Mode::CoverOpen, 1) => base | 0x08,
        (Mode::PaperOut, 2) => base | 0x20,
        (Mode::PaperOut, 4) => base | 0x60,
        (Mode::CoverOpen, 2) => base | 0x04,
        (Mode::PaperNearEnd, 4) => base | 0x0c,
        _ => base,
    })
}

async fn serve(
    mut sock: TcpStream,
    st: Arc<Mutex<State>>,
    received: Arc<tokio::sync::Notify>,
    kick: Arc<tokio::sync::Notify>,
) {
    let (idx, mode) = {
        let mut s = st.lock().expect("lock");
        s.conns.push(Vec::new());
        (s.conns.len() - 1, s.mode.unwrap_or(Mode::Normal))
    };
    if mode == Mode::DropOnAccept {
        return;
    }
    let mut buf: Vec<u8> = Vec::new();
    let mut chinese = false;
    let mut chunk = [0u8; 2048];
    let mut answered = 0;
    loop {
        let (read_max, pace) = match st.lock().expect("lock").mode {
            // 64-byte reads, each taking its share of a second.
            Some(Mode::SlowLink(bps)) => (
                64,
                Some(std::time::Duration::from_micros(
                    64_000_000 / bps.max(1) as u64,
                )),
            ),
            _ => (chunk.len(), None),
        };
        if let Some(pace) = pace {
            tokio::time::sleep(pace).await;
        }
        let n = tokio::select! {
            r = sock.read(&mut chunk[..read_max]) => match r {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            },
            _ = kick.notified() => return,
        };
        buf.extend_from_slice(&chunk[..n]);
        let mut pos = 0;
        loop {
            let unit = match next_unit(&buf[pos..], chinese) {
                Ok(Some(u)) => u,
                Ok(None) => break,
                Err(e) => {
                    st.lock().expect("lock").errors.push(e);
                    return;
                }
            };
            match unit {
                Unit::Status(q) => {
                    let mode = {
                        let mut s = st.lock().expect("lock");
                        s.queries += 1;
                        s.mode.unwrap_or(Mode::Normal)
                    };
                    if let Mode::StallThenReset(after, stall) = mode
                        && answered >= after
                    {
                        tokio::time::sleep(stall).await;
                        reset(sock);
                        return;
                    }
                    if let Some(b) = answer(mode, q)
                        && sock.write_all(&[b]).await.is_err()
                    {
                        return;
                    }
                    answered += 1;
                    pos += 3;
                }
                Unit::Other(_) if matches!(mode_of(&st), Mode::StallThenReset(after, _) if answered >= after) =>
                {
                    let Mode::StallThenReset(_, stall) = mode_of(&st) else {
                        return;
                    };
                    tokio::time::sleep(stall).await;
                    reset(sock);
                    return;
                }
                Unit::Other(len) => {
                    let u = &buf[pos..pos + len];
                    chinese = mode_after(u, chinese);
                    let drop_now = {
                        let mut s = st.lock().expect("lock");
                        s.conns[idx].extend_from_slice(u);
                        match s.mode {
                            Some(Mode::DropAfter(limit)) if s.conns[idx].len() >= limit => {
                                s.mode = Some(Mode::Normal);
                                true
                            }
                            _ => false,
                        }
                    };
                    pos += len;
                    if drop_now {
                        return;
                    }
                }
            }
        }
        buf.drain(..pos);
        received.notify_one();
    }
}

fn mode_of(st: &Mutex<State>) -> Mode {
    st.lock().expect("lock").mode.unwrap_or(Mode::Normal)
}

/// Closes with a reset (RST), as a printer that reboots does, dropping what it had not read.
fn reset(sock: TcpStream) {
    let _ = sock.set_zero_linger();
    drop(sock);
}
