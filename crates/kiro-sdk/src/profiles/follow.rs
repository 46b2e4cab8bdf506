//! Live reconfiguration: [`KiroClient::follow`] applies every change a [`super::ConfigManager`]
//! publishes (a switch of environment, a `set`) to a running client through
//! [`KiroClient::reconfigure`], so the client moves to the new server or settings, event
//! socket included, without a restart.

use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;

use crate::client::KiroClient;
use crate::config::ClientConfig;
use crate::error::KiroError;

/// The outcome of applying one configuration change.
pub type Applied = Result<ClientConfig, KiroError>;

/// A running [`KiroClient::follow`]: stops when dropped, when the client is dropped, or when
/// the configuration's sender goes away.
pub struct Following {
    task: JoinHandle<()>,
    applied: broadcast::Sender<Applied>,
}

impl Following {
    /// Each change as it is applied, or why it was refused (the client then keeps its
    /// previous configuration).
    pub fn applied(&self) -> broadcast::Receiver<Applied> {
        self.applied.subscribe()
    }

    pub fn is_running(&self) -> bool {
        !self.task.is_finished()
    }
}

impl Drop for Following {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl KiroClient {
    /// Reconfigures this client on every change of `configs` after the current value (e.g.
    /// [`super::ConfigManager::watch`]). Needs a Tokio runtime.
    pub fn follow(&self, mut configs: watch::Receiver<ClientConfig>) -> Following {
        let weak = self.downgrade();
        let applied = broadcast::channel(16).0;
        let report = applied.clone();
        configs.borrow_and_update();
        let task = tokio::spawn(async move {
            while configs.changed().await.is_ok() {
                let config = configs.borrow_and_update().clone();
                let Some(client) = KiroClient::upgrade(&weak) else {
                    return;
                };
                let outcome = client.reconfigure(config.clone()).await.map(|()| config);
                let _ = report.send(outcome);
            }
        });
        Following { task, applied }
    }
}
