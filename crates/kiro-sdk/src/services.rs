//! [`ServiceHandle`]: one of the six services as the client sees it — its discovery entry,
//! its health from the health book, and calls scoped under `/v1/<service>`. Each service's
//! typed methods (`create_project`, `generate_questions`, …) are added on top of this.

use kiro_types::discovery::{ServiceInfo, ServiceStatus};

use crate::call::{Call, Reply};
use crate::client::KiroClient;
use crate::error::KiroError;
use crate::health::ServiceHealthReport;

/// A handle on one service; cheap to clone.
#[derive(Clone)]
pub struct ServiceHandle {
    client: KiroClient,
    name: &'static str,
}

impl std::fmt::Debug for ServiceHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceHandle")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl ServiceHandle {
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The service's entry in the last discovery.
    pub fn info(&self) -> Option<ServiceInfo> {
        self.client
            .services()
            .into_iter()
            .find(|s| s.name == self.name)
    }

    /// What the server said of the service in the last discovery.
    pub fn status(&self) -> Option<ServiceStatus> {
        self.info().map(|i| i.status)
    }

    /// The service's health as the client has observed it.
    pub fn health(&self) -> Option<ServiceHealthReport> {
        self.client.health_status().service(self.name).cloned()
    }

    /// `/v1/<service>` followed by `path` (`/projects`, `/projects/{id}`, or empty).
    pub fn path(&self, path: &str) -> String {
        format!("/v1/{}{path}", self.name)
    }

    /// `call` with its path taken relative to `/v1/<service>`, through the client's request
    /// path.
    pub async fn call(&self, mut call: Call) -> Result<Reply, KiroError> {
        call.path = self.path(&call.path);
        self.client.call(call).await
    }

    /// The client the handle belongs to.
    pub fn client(&self) -> &KiroClient {
        &self.client
    }
}

impl KiroClient {
    fn service(&self, name: &'static str) -> ServiceHandle {
        ServiceHandle {
            client: self.clone(),
            name,
        }
    }

    pub fn planning(&self) -> crate::PlanningClient {
        crate::PlanningClient::new(self.service("planning"))
    }

    pub fn prototyping(&self) -> ServiceHandle {
        self.service("prototyping")
    }

    pub fn documentation(&self) -> ServiceHandle {
        self.service("documentation")
    }

    pub fn workflow(&self) -> ServiceHandle {
        self.service("workflow")
    }

    pub fn execution(&self) -> crate::ExecutionClient {
        crate::ExecutionClient::new(self.service("execution"))
    }

    pub fn assessment(&self) -> crate::AssessmentClient {
        crate::AssessmentClient::new(self.service("assessment"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ClientConfig;

    #[test]
    fn handles_scope_their_paths() -> Result<(), KiroError> {
        let client = KiroClient::new(ClientConfig::new("http://127.0.0.1:9"))?;
        let planning = client.planning();
        assert_eq!(planning.name(), "planning");
        assert_eq!(planning.path("/projects/p1"), "/v1/planning/projects/p1");
        assert!(planning.info().is_none());
        assert_eq!(
            planning.health().map(|h| h.name),
            Some("planning".to_owned())
        );
        assert_eq!(client.assessment().path(""), "/v1/assessment");
        Ok(())
    }
}
