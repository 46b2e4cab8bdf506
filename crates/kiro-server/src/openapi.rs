//! The OpenAPI 3.1 document's frame: title, version, security schemes and shared schemas.
//! Paths come from the handlers' `#[utoipa::path]` annotations (see `routes`); headers that
//! middleware honours on many routes are added to the finished document here.

use utoipa::Modify;
use utoipa::OpenApi;
use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{RefOr, Required};

#[derive(OpenApi)]
#[openapi(
    info(title = "Kiro API", description = "Planning, prototyping, documentation, workflow, execution and assessment services, with auth and tenancy."),
    modifiers(&Security),
    components(schemas(kiro_types::ErrorEnvelope, kiro_types::ErrorBody, kiro_types::ErrorType, kiro_types::FieldError)),
    tags(
        (name = "auth", description = "Accounts, OAuth2 tokens, API keys, clients"),
        (name = "workspaces", description = "Workspaces and members"),
        (name = "discovery", description = "Service discovery and health"),
        (name = "events", description = "Live events (WebSocket) and polling"),
        (name = "batch", description = "Several API requests in one round trip"),
        (name = "execution", description = "Sandboxed code runs: capabilities, environments, runs with test cases, queued jobs, containers"),
        (name = "planning", description = "Projects, tasks, dependencies, milestones, allocations, schedules, utilisation and reports"),
        (name = "assessment", description = "PDFs to topics, questions, assessments, grading, revisions and progress"),
    )
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "apiKey",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-API-Key"))),
        );
    }
}

/// Documents `Idempotency-Key` on every authenticated `POST`: the idempotency middleware
/// honours it there (and ignores it on unauthenticated ones such as register and token).
pub(crate) fn document_idempotency_keys(openapi: &mut utoipa::openapi::OpenApi) {
    for item in openapi.paths.paths.values_mut() {
        let Some(post) = item.post.as_mut() else {
            continue;
        };
        if post.security.as_ref().is_none_or(Vec::is_empty) {
            continue;
        }
        let parameter = ParameterBuilder::new()
            .name("Idempotency-Key")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "1 to 255 visible ASCII characters. The request runs at most once per key for \
                 24 h; a repeat of it gets the stored response with `Idempotency-Replayed: true`, \
                 the key with a different request gets 422 `idempotency.key_reused`, and a \
                 repeat while the first still runs gets 409 `idempotency.in_progress`.",
            ))
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .min_length(Some(1))
                    .max_length(Some(crate::idempotency::MAX_KEY_LEN)),
            ))
            .build();
        post.parameters
            .get_or_insert_with(Vec::new)
            .push(RefOr::T(parameter));
    }
}
