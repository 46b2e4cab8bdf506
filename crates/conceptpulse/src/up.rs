//! `conceptpulse up` and `conceptpulse web`: the web UI, with a Kiro server embedded in the
//! same process (`up`) or elsewhere (`web --server URL`). `up` prints where everything
//! listens and, on the first run, the administrator's generated password, once.

use std::io::Write;
use std::net::SocketAddr;

use kiro_sdk::ClientConfig;
use kiro_server::config::{self, Config, ConfigSources};

use crate::cli::UpArgs;
use crate::embedded::{EmbeddedServer, FirstRunAdmin};
use crate::web::{self, WebState};

/// The server configuration `up` runs with: `kiro.toml` and `KIRO_*` variables as for
/// `kiro-server`, then the command's flags.
pub fn server_config(args: &UpArgs) -> anyhow::Result<Config> {
    let mut overrides = vec![("server.listen".to_owned(), args.api_listen.clone())];
    if let Some(dir) = &args.data_dir {
        overrides.push(("server.data_dir".to_owned(), dir.display().to_string()));
    }
    if let Some(url) = &args.database_url {
        overrides.push(("database.url".to_owned(), url.clone()));
    }
    let sources = ConfigSources {
        file: None,
        env: std::env::vars().collect(),
        overrides,
    };
    config::load(&sources).map_err(|e| anyhow::anyhow!("configuration error: {e}"))
}

/// A running `up`: the embedded API and the web UI.
pub struct Up {
    pub server: EmbeddedServer,
    pub web_addr: SocketAddr,
    pub web: WebState,
    pub admin: Option<FirstRunAdmin>,
    stop_web: tokio::sync::oneshot::Sender<()>,
    web_task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Up {
    /// Starts the embedded server from `config`, then the web UI on `listen`.
    pub async fn start(config: Config, listen: &str) -> anyhow::Result<Self> {
        let queue_dir = config.data_dir().join("conceptpulse").join("queues");
        let (server, admin) = EmbeddedServer::start(config).await?;
        let web = WebState::new(ClientConfig::new(server.base_url()), queue_dir).await?;
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e}"))?;
        let web_addr = listener.local_addr()?;
        let (stop_web, stopped) = tokio::sync::oneshot::channel::<()>();
        let web_task = tokio::spawn(web::serve(listener, web.clone(), async move {
            let _ = stopped.await;
        }));
        Ok(Self {
            server,
            web_addr,
            web,
            admin,
            stop_web,
            web_task,
        })
    }

    /// `http://host:port/` of the web UI.
    pub fn web_url(&self) -> String {
        format!("http://{}", self.web_addr)
    }

    /// Stops the web UI, then the API.
    pub async fn shutdown(self) -> anyhow::Result<()> {
        let _ = self.stop_web.send(());
        self.web_task.await??;
        self.server.shutdown().await
    }
}

/// `conceptpulse up`: runs until SIGINT or SIGTERM.
pub async fn up(args: UpArgs) -> anyhow::Result<()> {
    let config = server_config(&args)?;
    kiro_server::telemetry::init(&config.log);
    let up = Up::start(config, &args.listen).await?;
    let mut stdout = std::io::stdout();
    writeln!(stdout, "ConceptPulse is running at {}", up.web_url())?;
    writeln!(stdout, "Kiro API at {}", up.server.base_url())?;
    if let Some(admin) = &up.admin {
        writeln!(
            stdout,
            "First run: an administrator was created. Sign in with\n  email:    {}\n  password: {}\nThis password is shown only once.",
            admin.email, admin.password
        )?;
    }
    stdout.flush()?;
    kiro_server::startup::shutdown_signal().await;
    up.shutdown().await
}

/// `conceptpulse web --server URL`: the UI alone.
pub async fn web(server_url: String, listen: &str) -> anyhow::Result<()> {
    let queue_dir = dirs::data_dir()
        .unwrap_or_else(|| std::path::PathBuf::from("."))
        .join("conceptpulse")
        .join("queues");
    let state = WebState::new(ClientConfig::new(server_url.clone()), queue_dir).await?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e}"))?;
    let mut stdout = std::io::stdout();
    writeln!(
        stdout,
        "ConceptPulse is running at http://{} (Kiro at {server_url})",
        listener.local_addr()?
    )?;
    stdout.flush()?;
    web::serve(listener, state, kiro_server::startup::shutdown_signal()).await?;
    Ok(())
}
