//! kiro-sandbox's results and descriptions onto the wire types of `kiro_types::execution`:
//! the engine serialises the same shapes, so each value crosses by its JSON form; an outcome
//! becomes the design's `ExecutionResult` with every case's detail.

use chrono::{DateTime, Utc};
use kiro_sandbox::{Capabilities, Environment, ExecutionOutcome, RunOutcome};
use kiro_types::execution::Container;
use kiro_types::execution::{
    ExecutionEnvironment, ExecutionLog, ExecutionResult, HostCapabilities, LogStream, RunDetail,
    RunResponse, UsageSource, UsageSources,
};
use kiro_types::execution::{Isolation, Limits, ResourceUsage, Verdict};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// One engine value as the wire type of the same shape.
fn cross<T: Serialize, U: DeserializeOwned>(value: &T) -> Result<U, ApiError> {
    serde_json::to_value(value)
        .and_then(serde_json::from_value)
        .map_err(|e| ApiError::internal(format!("engine value does not map onto the API: {e}")))
}

/// The probe's findings.
pub fn host(caps: &Capabilities) -> Result<HostCapabilities, ApiError> {
    cross(caps)
}

/// An engine isolation level.
pub fn isolation(isolation: kiro_sandbox::Isolation) -> Result<Isolation, ApiError> {
    cross(&isolation)
}

/// An environment, marked built-in or not.
pub fn environment(env: &Environment, builtin: bool) -> Result<ExecutionEnvironment, ApiError> {
    let mut value = serde_json::to_value(env)
        .map_err(|e| ApiError::internal(format!("environment does not serialise: {e}")))?;
    if let Some(object) = value.as_object_mut() {
        object.insert("builtin".into(), serde_json::Value::Bool(builtin));
    }
    serde_json::from_value(value)
        .map_err(|e| ApiError::internal(format!("environment does not map onto the API: {e}")))
}

/// A container as the engine reports it.
pub fn container(container: &kiro_sandbox::Container) -> Result<Container, ApiError> {
    cross(container)
}

/// One run on its own (a container command) with its own verdict.
pub fn run_detail(run: &RunOutcome) -> Result<RunDetail, ApiError> {
    detail(None, cross(&run.verdict)?, run)
}

fn detail(name: Option<String>, verdict: Verdict, run: &RunOutcome) -> Result<RunDetail, ApiError> {
    Ok(RunDetail {
        name,
        verdict,
        exit_code: run.exit_code,
        signal: run.signal.clone(),
        stdout: run.stdout.clone(),
        stderr: run.stderr.clone(),
        output_truncated: run.output_truncated,
        usage: cross(&run.usage)?,
    })
}

/// The usage of several runs: times summed, peak memory the largest, each source the first
/// run's.
fn total(usages: &[ResourceUsage]) -> ResourceUsage {
    let unavailable = UsageSources {
        wall_time: UsageSource::Unavailable,
        cpu_time: UsageSource::Unavailable,
        peak_memory: UsageSource::Unavailable,
    };
    ResourceUsage {
        wall_time_us: usages.iter().map(|u| u.wall_time_us).sum(),
        user_time_us: usages.iter().map(|u| u.user_time_us).sum(),
        system_time_us: usages.iter().map(|u| u.system_time_us).sum(),
        peak_memory_bytes: usages
            .iter()
            .map(|u| u.peak_memory_bytes)
            .max()
            .unwrap_or(0),
        sources: usages.first().map(|u| u.sources).unwrap_or(unavailable),
    }
}

fn log(at: DateTime<Utc>, stream: LogStream, message: impl Into<String>) -> ExecutionLog {
    ExecutionLog {
        at,
        stream,
        message: message.into(),
    }
}

/// A submission's outcome as the answer of a run.
pub fn response(
    id: String,
    outcome: &ExecutionOutcome,
    created_at: DateTime<Utc>,
    completed_at: DateTime<Utc>,
) -> Result<RunResponse, ApiError> {
    let compile = match &outcome.compile {
        Some(run) => Some(detail(None, cross(&run.verdict)?, run)?),
        None => None,
    };
    let mut cases = Vec::with_capacity(outcome.cases.len());
    for case in &outcome.cases {
        cases.push(detail(case.name.clone(), cross(&case.verdict)?, &case.run)?);
    }
    let verdict: Verdict = cross(&outcome.verdict)?;
    let mut logs = Vec::new();
    if let Some(compile) = &compile {
        let ms = compile.usage.wall_time_us / 1000;
        logs.push(log(
            completed_at,
            LogStream::System,
            format!("compiled in {ms} ms"),
        ));
    }
    for (i, case) in cases.iter().enumerate() {
        let name = case
            .name
            .clone()
            .unwrap_or_else(|| format!("case {}", i + 1));
        let verdict = serde_json::to_string(&case.verdict).unwrap_or_default();
        logs.push(log(
            completed_at,
            LogStream::System,
            format!("{name}: {verdict}"),
        ));
    }
    // What the caller reads first: the last case run, or the compiler when it failed.
    let last = cases.last().or(compile.as_ref());
    let stdout = last.map(|d| d.stdout.clone()).unwrap_or_default();
    let stderr = last.map(|d| d.stderr.clone()).unwrap_or_default();
    let usages: Vec<ResourceUsage> = compile.iter().chain(&cases).map(|d| d.usage).collect();
    let usage = total(&usages);
    let limits: Limits = cross(&outcome.limits)?;
    Ok(RunResponse {
        result: ExecutionResult {
            id,
            status: verdict.status(),
            output: stdout.clone(),
            error: (!stderr.is_empty()).then(|| stderr.clone()),
            exit_code: last.and_then(|d| d.exit_code).unwrap_or(-1),
            duration: usage.wall_time_us / 1000,
            resource_usage: usage,
            logs,
            created_at,
            completed_at: Some(completed_at),
            verdict,
            isolation: isolation(outcome.isolation)?,
        },
        environment: outcome.environment.clone(),
        stdout,
        stderr,
        usage,
        limits,
        compile,
        cases,
    })
}
