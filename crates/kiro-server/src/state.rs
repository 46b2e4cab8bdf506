//! `AppState`: what every handler can reach — configuration, the store, the services — built
//! once at startup and shared behind an `Arc`.

use std::ops::Deref;
use std::sync::Arc;
use std::time::Instant;

use kiro_core::auth::{AuthService, AuthSettings};
use kiro_core::idempotency::IdempotencyService;
use kiro_core::tenancy::TenancyService;
use kiro_core::{Clock, Store};
use kiro_store::SqlStore;

use crate::assessment::AssessmentService;
use crate::config::Config;
use crate::events::EventHub;
use crate::execution::ExecutionService;
use crate::execution::containers::ContainerService;
use crate::planning::PlanningService;
use crate::ratelimit::TokenRateLimiter;

/// Shared server state.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// The parts of the state.
pub struct Inner {
    pub config: Config,
    pub store: Arc<dyn Store>,
    pub auth: Arc<AuthService>,
    pub tenancy: Arc<TenancyService>,
    pub assessment: Arc<AssessmentService>,
    pub execution: Arc<ExecutionService>,
    pub containers: Arc<ContainerService>,
    pub planning: Arc<PlanningService>,
    pub hub: Arc<EventHub>,
    pub idempotency: Arc<IdempotencyService>,
    pub token_limiter: TokenRateLimiter,
    pub clock: Arc<dyn Clock>,
    pub started: Instant,
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Connects the store (running migrations) and builds the services.
    pub async fn build(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let url = config.database_url();
        let sql = SqlStore::connect(&url, config.database.max_connections)
            .await
            .map_err(|e| anyhow::anyhow!("cannot open the database: {e}"))?;
        let store: Arc<dyn Store> = Arc::new(sql);
        let settings = AuthSettings {
            open_registration: config.auth.open_registration,
            access_token_ttl_secs: config.auth.access_token_ttl_secs,
            refresh_token_ttl_secs: config.auth.refresh_token_ttl_secs,
        };
        let auth = AuthService::new(
            store.clone(),
            clock.clone(),
            settings,
            &config.auth.jwt_secret,
        )
        .await
        .map_err(|e| anyhow::anyhow!("cannot start authentication: {e}"))?;
        let tenancy = TenancyService::new(store.clone(), clock.clone());
        let buffer = usize::try_from(config.events.buffer).unwrap_or(4096);
        let hub = EventHub::start(store.clone(), buffer).await;
        hub.start_retention(store.clone(), clock.clone(), config.events.retention_days);
        let idempotency = IdempotencyService::new(
            store.clone(),
            clock.clone(),
            crate::idempotency::lease(config.server.request_timeout_secs),
        );
        let llm = crate::assessment::llm::HttpProvider::from_config(&config.assessment)?;
        let assessment = Arc::new(AssessmentService::new(
            store.clone(),
            clock.clone(),
            &config.assessment,
            llm,
        ));
        assessment.start_workers();
        let execution = Arc::new(ExecutionService::start(
            &config,
            store.clone(),
            clock.clone(),
        ));
        execution.start_workers();
        let containers = Arc::new(ContainerService::start(&execution));
        let planning = Arc::new(PlanningService::new(store.clone(), clock.clone()));
        let token_limiter = TokenRateLimiter::new(
            config.auth.token_rate_per_ip_per_minute,
            config.auth.token_rate_per_account_per_minute,
        );
        Ok(Self(Arc::new(Inner {
            config,
            store,
            auth: Arc::new(auth),
            tenancy: Arc::new(tenancy),
            assessment,
            execution,
            containers,
            planning,
            hub,
            idempotency: Arc::new(idempotency),
            token_limiter,
            clock,
            started: Instant::now(),
        })))
    }
}
