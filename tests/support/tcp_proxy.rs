//! A TCP proxy in front of PostgreSQL that a test can cut and restore: to onewindow a cut looks
//! like the server stopping — every open connection drops and new ones are refused — without
//! stopping the server other tests share. It runs on its own thread and runtime, so a test with
//! any runtime (or none) can cut and restore it at any moment.

use std::net::SocketAddr;
use std::sync::mpsc as std_mpsc;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

enum Command {
    Cut,
    Restore,
}

pub struct TcpProxy {
    port: u16,
    commands: mpsc::UnboundedSender<(Command, std_mpsc::Sender<()>)>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TcpProxy {
    /// A proxy on 127.0.0.1 (a free port) to `upstream` (`host:port`), passing traffic.
    pub fn start(upstream: &str) -> TcpProxy {
        let upstream = upstream.to_string();
        let (ready_tx, ready_rx) = std_mpsc::channel();
        let (commands, mut rx) = mpsc::unbounded_channel::<(Command, std_mpsc::Sender<()>)>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("proxy runtime");
            rt.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await.expect("proxy bind");
                let addr = listener.local_addr().expect("proxy address");
                let _ = ready_tx.send(addr.port());
                let mut listener = Some(listener);
                let mut links: JoinSet<()> = JoinSet::new();
                loop {
                    tokio::select! {
                        accepted = accept(&listener) => {
                            if let Ok((client, _)) = accepted {
                                let upstream = upstream.clone();
                                links.spawn(pass(client, upstream));
                            }
                        }
                        command = rx.recv() => match command {
                            Some((Command::Cut, done)) => {
                                // Refused from now on, and every open connection drops.
                                listener = None;
                                links.abort_all();
                                while links.join_next().await.is_some() {}
                                let _ = done.send(());
                            }
                            Some((Command::Restore, done)) => {
                                if listener.is_none() {
                                    listener = Some(bind_again(addr).await);
                                }
                                let _ = done.send(());
                            }
                            None => return,
                        },
                        Some(_) = links.join_next(), if !links.is_empty() => {}
                    }
                }
            });
        });
        let port = ready_rx.recv().expect("proxy started");
        TcpProxy {
            port,
            commands,
            thread: Some(thread),
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `url` (`postgres://user@host:port/db…`) pointed at this proxy instead.
    pub fn url_for(&self, url: &str) -> String {
        let (scheme, rest) = url.split_once("://").expect("a URL with a scheme");
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(authority_end);
        let userinfo = authority
            .rsplit_once('@')
            .map(|(u, _)| format!("{u}@"))
            .unwrap_or_default();
        format!("{scheme}://{userinfo}127.0.0.1:{}{tail}", self.port)
    }

    /// The server "stops": open connections drop, new ones are refused.
    pub fn cut(&self) {
        self.send(Command::Cut);
    }

    /// The server is back on the same address.
    pub fn restore(&self) {
        self.send(Command::Restore);
    }

    fn send(&self, c: Command) {
        let (done, wait) = std_mpsc::channel();
        self.commands.send((c, done)).expect("proxy running");
        wait.recv().expect("proxy answered");
    }
}

impl Drop for TcpProxy {
    fn drop(&mut self) {
        let (closed, _) = mpsc::unbounded_channel();
        // Closing the command channel ends the proxy's loop.
        self.commands = closed;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The `host:port` of a `postgres://` URL.
pub fn upstream_of(url: &str) -> String {
    let rest = url.split_once("://").expect("a URL with a scheme").1;
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host.contains(':') {
        host.to_string()
    } else {
        format!("{host}:5432")
    }
}

async fn accept(listener: &Option<TcpListener>) -> std::io::Result<(TcpStream, SocketAddr)> {
    match listener {
        Some(l) => l.accept().await,
        None => std::future::pending().await,
    }
}

async fn bind_again(addr: SocketAddr) -> TcpListener {
    // The port was ours a moment ago; the kernel may take a moment to let it go.
    for _ in 0..50 {
        if let Ok(l) = TcpListener::bind(addr).await {
            return l;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("cannot listen on {addr} again");
}

async fn pass(mut client: TcpStream, upstream: String) {
    let Ok(mut server) = TcpStream::connect(&upstream).await else {
        return;
    };
    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
}
