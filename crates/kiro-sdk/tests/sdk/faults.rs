//! Faulty endpoints made of real sockets: a closed port (connections refused), a listener
//! that accepts and never answers (hang), one that accepts and drops the connection (drop).

use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// A listening socket run by a task that is aborted on drop.
pub struct Faulty {
    pub addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Faulty {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Faulty {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Accepts connections and holds them open without a byte of answer.
pub async fn hang() -> anyhow::Result<Faulty> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    Ok(Faulty { addr, task })
}

/// Accepts connections and closes them at once.
pub async fn drop_connections() -> anyhow::Result<Faulty> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            drop(stream);
        }
    });
    Ok(Faulty { addr, task })
}

/// A URL where nothing listens: connections are refused.
pub fn refused_url() -> anyhow::Result<String> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    Ok(format!("http://127.0.0.1:{port}"))
}
