//! The error model of DESIGN.md §3: the error types, the single table of stable error codes
//! (from which HTTP status, type and retryability are derived) and the JSON envelope
//! `{"error": {type, code, message, details?, timestamp, requestId, service?, retryable}}`.

use serde::{Deserialize, Serialize};

/// The design's `KiroErrorType`, plus NOT_FOUND and CONFLICT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorType {
    ConnectionError,
    AuthenticationError,
    ServiceUnavailable,
    ApiError,
    ValidationError,
    TimeoutError,
    RateLimitError,
    PermissionError,
    NotFound,
    Conflict,
}

macro_rules! error_codes {
    ($( $variant:ident = $code:literal, $status:literal, $ty:ident, $retry:literal; )*) => {
        /// Every stable error code the server can answer with. The code string never changes
        /// once released; clients match on it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode { $($variant),* }

        impl ErrorCode {
            /// All codes, in table order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The dotted code, e.g. `auth.invalid_token`.
            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code),* }
            }

            /// The HTTP status the code is answered with.
            pub fn status(self) -> u16 {
                match self { $(ErrorCode::$variant => $status),* }
            }

            /// The error type of the code.
            pub fn error_type(self) -> ErrorType {
                match self { $(ErrorCode::$variant => ErrorType::$ty),* }
            }

            /// Whether a client may retry the same request unchanged.
            pub fn retryable(self) -> bool {
                match self { $(ErrorCode::$variant => $retry),* }
            }

            /// Parses a dotted code.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some(ErrorCode::$variant),)* _ => None }
            }
        }
    };
}

error_codes! {
    // The request itself.
    RequestInvalidJson = "request.invalid_json", 400, ValidationError, false;
    RequestInvalidForm = "request.invalid_form", 400, ValidationError, false;
    RequestInvalidQuery = "request.invalid_query", 400, ValidationError, false;
    RequestInvalidPath = "request.invalid_path", 400, ValidationError, false;
    RequestInvalidHeader = "request.invalid_header", 400, ValidationError, false;
    RequestUnsupportedMediaType = "request.unsupported_media_type", 415, ValidationError, false;
    RequestPayloadTooLarge = "request.payload_too_large", 413, ValidationError, false;
    RequestTimeout = "request.timeout", 408, TimeoutError, true;
    RouteNotFound = "route.not_found", 404, NotFound, false;
    RouteMethodNotAllowed = "route.method_not_allowed", 405, ApiError, false;
    ValidationFailed = "validation.failed", 422, ValidationError, false;
    // Authentication.
    AuthMissingCredentials = "auth.missing_credentials", 401, AuthenticationError, false;
    AuthInvalidToken = "auth.invalid_token", 401, AuthenticationError, false;
    AuthTokenExpired = "auth.token_expired", 401, AuthenticationError, false;
    AuthSessionRevoked = "auth.session_revoked", 401, AuthenticationError, false;
    AuthInvalidApiKey = "auth.invalid_api_key", 401, AuthenticationError, false;
    AuthRegistrationClosed = "auth.registration_closed", 403, PermissionError, false;
    AuthEmailTaken = "auth.email_taken", 409, Conflict, false;
    AuthRateLimited = "auth.rate_limited", 429, RateLimitError, true;
    ApiKeyNotFound = "auth.api_key.not_found", 404, NotFound, false;
    ClientNotFound = "auth.client.not_found", 404, NotFound, false;
    // The OAuth2 token endpoint (RFC 6749 §5.2).
    OauthInvalidRequest = "oauth.invalid_request", 400, ValidationError, false;
    OauthInvalidClient = "oauth.invalid_client", 401, AuthenticationError, false;
    OauthInvalidGrant = "oauth.invalid_grant", 400, AuthenticationError, false;
    OauthUnauthorizedClient = "oauth.unauthorized_client", 400, PermissionError, false;
    OauthUnsupportedGrantType = "oauth.unsupported_grant_type", 400, ValidationError, false;
    OauthInvalidScope = "oauth.invalid_scope", 400, ValidationError, false;
    // Permissions and tenancy.
    PermissionDenied = "permission.denied", 403, PermissionError, false;
    WorkspaceRequired = "workspace.required", 400, ValidationError, false;
    WorkspaceNotFound = "workspace.not_found", 404, NotFound, false;
    WorkspaceLastOwner = "workspace.last_owner", 409, Conflict, false;
    WorkspacePersonal = "workspace.personal", 409, Conflict, false;
    MemberNotFound = "workspace.member.not_found", 404, NotFound, false;
    MemberExists = "workspace.member.exists", 409, Conflict, false;
    UserNotFound = "user.not_found", 404, NotFound, false;
    // Generic resource outcomes.
    ResourceNotFound = "resource.not_found", 404, NotFound, false;
    ResourceConflict = "resource.conflict", 409, Conflict, false;
    // Events.
    EventsInvalidTopic = "events.invalid_topic", 400, ValidationError, false;
    EventsInvalidMessage = "events.invalid_message", 400, ValidationError, false;
    EventsMessageTooLarge = "events.message_too_large", 413, ValidationError, false;
    EventsSinceAhead = "events.since_ahead", 400, ValidationError, false;
    EventsExpired = "events.expired", 410, ApiError, false;
    EventsLagged = "events.lagged", 409, Conflict, false;
    // Pagination.
    RequestInvalidCursor = "request.invalid_cursor", 400, ValidationError, false;
    // The server.
    ServiceUnavailable = "service.unavailable", 503, ServiceUnavailable, true;
    ServerInternal = "server.internal", 500, ApiError, true;
    ServerUnavailable = "server.unavailable", 503, ServiceUnavailable, true;
    // Idempotency and batch.
    IdempotencyKeyReused = "idempotency.key_reused", 422, ValidationError, false;
    IdempotencyInProgress = "idempotency.in_progress", 409, Conflict, true;
    BatchNested = "batch.nested", 400, ValidationError, false;
    BatchInvalidRequest = "batch.invalid_request", 400, ValidationError, false;
    // Assessment: documents.
    AssessmentPdfEncrypted = "assessment.pdf.encrypted", 422, ValidationError, false;
    AssessmentPdfWrongPassword = "assessment.pdf.wrong_password", 422, ValidationError, false;
    AssessmentPdfNoTextLayer = "assessment.pdf.no_text_layer", 422, ValidationError, false;
    AssessmentPdfGarbledText = "assessment.pdf.garbled_text", 422, ValidationError, false;
    AssessmentPdfMalformed = "assessment.pdf.malformed", 422, ValidationError, false;
    AssessmentPdfNotPdf = "assessment.pdf.not_pdf", 415, ValidationError, false;
    AssessmentPdfEmpty = "assessment.pdf.empty", 400, ValidationError, false;
    AssessmentPdfTooLarge = "assessment.pdf.too_large", 413, ValidationError, false;
    AssessmentPdfTooManyPages = "assessment.pdf.too_many_pages", 422, ValidationError, false;
    AssessmentPdfTimeout = "assessment.pdf.timeout", 422, ValidationError, false;
    AssessmentPdfTooLittleText = "assessment.pdf.too_little_text", 422, ValidationError, false;
    AssessmentDocumentNotFound = "assessment.document.not_found", 404, NotFound, false;
    AssessmentDocumentProcessing = "assessment.document.processing", 409, Conflict, true;
    AssessmentDocumentFailed = "assessment.document.failed", 409, Conflict, false;
    // Assessment: questions, assessments and answers.
    AssessmentQuestionsNotFound = "assessment.questions.not_found", 404, NotFound, false;
    AssessmentLlmUnavailable = "assessment.llm.unavailable", 503, ServiceUnavailable, true;
    AssessmentLlmNotConfigured = "assessment.llm.not_configured", 422, ValidationError, false;
    AssessmentNotFound = "assessment.assessment.not_found", 404, NotFound, false;
    AssessmentNotActive = "assessment.assessment.not_active", 409, Conflict, false;
    AssessmentUnknownQuestion = "assessment.answer.unknown_question", 422, ValidationError, false;
    AssessmentDuplicateAnswer = "assessment.answer.duplicate", 422, ValidationError, false;
    AssessmentAlreadySubmitted = "assessment.submission.exists", 409, Conflict, false;
    AssessmentResultNotFound = "assessment.result.not_found", 404, NotFound, false;
    AssessmentRevisionNotFound = "assessment.revision.not_found", 404, NotFound, false;
    AssessmentTopicNotFound = "assessment.topic.not_found", 404, NotFound, false;
    // Execution.
    ExecutionContainerNotFound = "execution.container.not_found", 404, NotFound, false;
    ExecutionContainerState = "execution.container.state", 409, Conflict, false;
    ExecutionContainerLimit = "execution.container.limit", 409, Conflict, false;
    ExecutionUnavailable = "execution.unavailable", 503, ServiceUnavailable, false;
    ExecutionBusy = "execution.busy", 503, ServiceUnavailable, true;
    ExecutionQueueFull = "execution.queue_full", 503, ServiceUnavailable, true;
    ExecutionUnknownEnvironment = "execution.environment.unknown", 422, ValidationError, false;
    ExecutionEnvironmentNotFound = "execution.environment.not_found", 404, NotFound, false;
    ExecutionJobNotFound = "execution.job.not_found", 404, NotFound, false;
    ExecutionJobNotCancellable = "execution.job.not_cancellable", 409, Conflict, false;
    ExecutionEnvironmentConflict = "execution.environment.conflict", 409, Conflict, false;
    ExecutionEnvironmentInUse = "execution.environment.in_use", 409, Conflict, false;
    ExecutionScriptNotFound = "execution.script.not_found", 404, NotFound, false;
    ExecutionScriptConflict = "execution.script.conflict", 409, Conflict, false;
    ExecutionScriptParameters = "execution.script.parameters", 422, ValidationError, false;
    // Planning.
    PlanningProjectNotFound = "planning.project.not_found", 404, NotFound, false;
    PlanningTaskNotFound = "planning.task.not_found", 404, NotFound, false;
    PlanningMilestoneNotFound = "planning.milestone.not_found", 404, NotFound, false;
    PlanningAllocationNotFound = "planning.allocation.not_found", 404, NotFound, false;
    PlanningDependencyNotFound = "planning.dependency.not_found", 404, NotFound, false;
    PlanningDependencyCycle = "planning.dependency.cycle", 409, Conflict, false;
    PlanningDependencySelf = "planning.dependency.self", 422, ValidationError, false;
    PlanningDependencyExists = "planning.dependency.exists", 409, Conflict, false;
    PlanningTaskDatesInvalid = "planning.task.dates_invalid", 422, ValidationError, false;
    PlanningProjectDatesInvalid = "planning.project.dates_invalid", 422, ValidationError, false;
    PlanningAllocationDatesInvalid = "planning.allocation.dates_invalid", 422, ValidationError, false;
    PlanningAllocationNegative = "planning.allocation.negative", 422, ValidationError, false;
    PlanningAllocationAmount = "planning.allocation.amount", 422, ValidationError, false;
    PlanningTaskHasDependants = "planning.task.has_dependants", 409, Conflict, false;
    PlanningTaskViolatesDependency = "planning.task.violates_dependency", 409, Conflict, false;
    PlanningUnknownAssignee = "planning.assignee.unknown", 422, ValidationError, false;
    PlanningTaskOtherProject = "planning.task.other_project", 422, ValidationError, false;
}

impl ErrorCode {
    /// The service a code belongs to, when it is one of the six services.
    pub fn service(self) -> Option<&'static str> {
        let head = self.as_str().split('.').next()?;
        crate::discovery::SERVICES.into_iter().find(|s| *s == head)
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One invalid field of a request, listed in `details.fields` of a validation error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// The body of every non-2xx response, under the `error` key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    #[serde(rename = "type")]
    pub error_type: ErrorType,
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
    pub timestamp: String,
    pub request_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    pub retryable: bool,
}

/// `{"error": ErrorBody}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_and_is_unique() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "duplicate code {code}");
            assert_eq!(ErrorCode::from_code(code.as_str()), Some(*code));
            assert!((400..600).contains(&code.status()));
        }
    }

    #[test]
    fn retryable_codes_are_transient_statuses() {
        for code in ErrorCode::ALL.iter().filter(|c| c.retryable()) {
            // A 409 is retryable only while the first request with the same idempotency key
            // is still running (the retry then replays its response), or while a document is
            // still being processed (a later retry finds it done).
            let transient = matches!(code.status(), 408 | 429 | 500 | 502 | 503 | 504)
                || *code == ErrorCode::IdempotencyInProgress
                || *code == ErrorCode::AssessmentDocumentProcessing;
            assert!(transient, "{code}");
        }
    }

    #[test]
    fn error_type_serialises_as_the_design_names_it() {
        let json = serde_json::to_string(&ErrorType::AuthenticationError).unwrap_or_default();
        assert_eq!(json, "\"AUTHENTICATION_ERROR\"");
    }
}
