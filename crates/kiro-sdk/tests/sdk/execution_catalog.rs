//! Custom environments and scripts end to end through `client.execution()`: a python3
//! variant (the built-in's runtime, its own variable and limits) runs code synchronously
//! and as a job; invalid declarations (a missing or forbidden path, an unknown placeholder,
//! limits above the ceiling) are 422 with the field and nothing stored; a member may read
//! but not change the catalog (403); names clash (409); a stale `If-Match` is 409 with the
//! current resource; scripts get their parameters as `--name=value` arguments and
//! `KIRO_PARAM_<NAME>` variables, bad values are 422 naming each, and an environment a
//! script runs in cannot be deleted (409) until the script moves. Hosts without a sandbox
//! or Python are reported and skipped.

use std::collections::BTreeMap;

use kiro_sdk::kiro_types::execution::{
    EnvironmentIn, EnvironmentPatch, ExecutionEnvironment, JobStatus, ParameterType, RunRequest,
    ScriptIn, ScriptParameter, ScriptPatch,
};
use kiro_sdk::kiro_types::workspace::Role;
use kiro_sdk::{Call, Credentials, KiroClient, KiroError};
use kiro_testkit::{TestServer, on_both_backends};
use serde_json::json;

use crate::{DEADLINE, connect, create_workspace, signed_in};

/// A signed-in client and the built-in python3, or `None` (noted) when this host cannot.
async fn python(server: &TestServer) -> anyhow::Result<Option<(KiroClient, ExecutionEnvironment)>> {
    let client = signed_in(server).await?;
    let caps = client.execution().capabilities().await?;
    if !caps.available {
        eprintln!(
            "SKIPPED: the sandbox is unavailable here: {:?}",
            caps.reason
        );
        return Ok(None);
    }
    let found = client
        .execution()
        .environments()
        .await?
        .into_iter()
        .find(|e| e.name == "python3" && e.builtin);
    if found.is_none() {
        eprintln!("SKIPPED: python3 is not installed here");
    }
    Ok(found.map(|py| (client, py)))
}

/// A python3 variant: the built-in's runtime with `GREETING` set and a 2 s default.
fn variant(py: &ExecutionEnvironment, name: &str) -> EnvironmentIn {
    let mut env = py.env.clone();
    env.insert("GREETING".into(), "hello from the variant".into());
    let mut defaults = py.default_limits;
    defaults.wall_time_ms = 2_000;
    EnvironmentIn {
        name: name.into(),
        language: "Python".into(),
        version: py.version.clone(),
        runtime_paths: py.runtime_paths.clone(),
        source_file: py.source_file.clone(),
        compile: None,
        run: py.run.clone(),
        env,
        default_limits: Some(defaults),
        max_limits: Some(py.max_limits),
        compile_limits: None,
        network: None,
    }
}

fn code(result: Result<impl std::fmt::Debug, KiroError>) -> String {
    match result {
        Ok(value) => format!("ok: {value:?}"),
        Err(e) => e.code().unwrap_or("no code").to_owned(),
    }
}

/// The error of a call that must fail.
fn refused<T: std::fmt::Debug>(result: Result<T, KiroError>) -> anyhow::Result<KiroError> {
    match result {
        Ok(value) => anyhow::bail!("expected an error, got {value:?}"),
        Err(e) => Ok(e),
    }
}

fn fields(e: &KiroError) -> Vec<String> {
    let details = match e {
        KiroError::Api(api) => api.details.clone(),
        _ => None,
    };
    details
        .and_then(|d| d["fields"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|f| f["field"].as_str().map(str::to_owned))
        .collect()
}

fn details(e: &KiroError) -> serde_json::Value {
    match e {
        KiroError::Api(api) => api.details.clone().unwrap_or_default(),
        _ => serde_json::Value::Null,
    }
}

async fn custom_environments_run_code_and_bad_ones_are_refused(
    server: TestServer,
) -> anyhow::Result<()> {
    let Some((client, py)) = python(&server).await? else {
        return Ok(());
    };
    let execution = client.execution();
    let created = execution
        .create_environment(&variant(&py, "py-tuned"))
        .await?;
    assert!(!created.builtin && created.id.is_some());
    assert_eq!(created.resource_version, Some(1));
    let listed = execution.environments().await?;
    assert!(listed.iter().any(|e| e.name == "python3" && e.builtin));
    assert_eq!(listed.iter().filter(|e| !e.builtin).count(), 1);
    let id = created.id.clone().unwrap_or_default();
    assert_eq!(execution.environment(&id).await?, created);
    assert_eq!(execution.environment("py-tuned").await?, created);

    let program = "import os\nprint(os.environ['GREETING'])";
    let ran = execution.execute_code("py-tuned", program, None).await?;
    assert_eq!(ran.stdout, "hello from the variant\n", "{ran:?}");
    assert_eq!(ran.limits.wall_time_ms, 2_000);
    let job = execution
        .submit_job(&RunRequest {
            environment: "py-tuned".into(),
            code: program.into(),
            ..RunRequest::default()
        })
        .await?;
    let done = execution.wait_for_job(&job.id, DEADLINE).await?;
    assert_eq!(done.status, JobStatus::Completed, "{done:?}");
    assert_eq!(
        done.result.map(|r| r.stdout).as_deref(),
        Some("hello from the variant\n")
    );

    // Invalid declarations: 422 naming the field, nothing stored.
    let mut missing = variant(&py, "py-missing");
    missing.runtime_paths = vec!["/opt/no-such-runtime".into()];
    let mut forbidden = variant(&py, "py-etc");
    forbidden.runtime_paths = vec!["/etc".into()];
    let mut template = variant(&py, "py-template");
    template.run.push("{sourcefile}".into());
    let mut greedy = variant(&py, "py-greedy");
    let mut max = py.max_limits;
    max.memory_bytes = 1 << 40;
    greedy.max_limits = Some(max);
    let placeholder_at = format!("run[{}]", template.run.len() - 1);
    for (bad, field) in [
        (missing, "runtimePaths[0]".to_owned()),
        (forbidden, "runtimePaths[0]".to_owned()),
        (template, placeholder_at),
        (greedy, "maxLimits.memoryBytes".to_owned()),
    ] {
        let e = refused(execution.create_environment(&bad).await)?;
        assert_eq!(
            (e.status(), e.code()),
            (Some(422), Some("validation.failed"))
        );
        assert!(fields(&e).contains(&field), "{field}: {e:?}");
    }
    assert_eq!(execution.environments().await?.len(), listed.len());

    // Names clash with the built-ins and the workspace's own.
    let clash = code(execution.create_environment(&variant(&py, "python3")).await);
    assert_eq!(clash, "execution.environment.conflict");
    let again = code(
        execution
            .create_environment(&variant(&py, "py-tuned"))
            .await,
    );
    assert_eq!(again, "execution.environment.conflict");

    // Changes go under the version read; a stale one gets the current environment.
    let mut env = created.env.clone();
    env.insert("GREETING".into(), "changed".into());
    let patch = EnvironmentPatch {
        env: Some(env),
        ..EnvironmentPatch::default()
    };
    let updated = execution.update_environment(&id, &patch, Some(1)).await?;
    assert_eq!(updated.resource_version, Some(2));
    let stale = refused(execution.update_environment(&id, &patch, Some(1)).await)?;
    assert_eq!(
        (stale.status(), stale.code()),
        (Some(409), Some("resource.conflict"))
    );
    assert_eq!(details(&stale)["current"]["resourceVersion"], 2);
    let ran = execution.execute_code("py-tuned", program, None).await?;
    assert_eq!(ran.stdout, "changed\n");
    let builtin = code(execution.update_environment("python3", &patch, None).await);
    assert_eq!(builtin, "execution.environment.conflict");
    Ok(())
}

async fn members_read_the_catalog_but_only_admins_change_it(
    server: TestServer,
) -> anyhow::Result<()> {
    let Some((owner, py)) = python(&server).await? else {
        return Ok(());
    };
    let team = create_workspace(&owner, "Team").await?;
    owner.use_workspace(Some(team.id.to_string()));
    let member = connect(&server).await?;
    member
        .call(Call::post("/v1/auth/register").json(json!({
            "email": "member@example.com", "password": "correct horse battery", "name": "M"
        })))
        .await?;
    owner
        .call(
            Call::post(format!("/v1/workspaces/{}/members", team.id))
                .json(json!({ "email": "member@example.com", "role": Role::Member })),
        )
        .await?;
    member
        .authenticate(Credentials::Password {
            email: "member@example.com".into(),
            password: "correct horse battery".into(),
        })
        .await?;
    member.use_workspace(Some(team.id.to_string()));

    let denied = refused(
        member
            .execution()
            .create_environment(&variant(&py, "py-m"))
            .await,
    )?;
    assert_eq!(denied.status(), Some(403));
    let created = owner
        .execution()
        .create_environment(&variant(&py, "py-team"))
        .await?;
    let seen = member.execution().environments().await?;
    assert!(seen.iter().any(|e| e.name == "py-team" && !e.builtin));
    let patch = EnvironmentPatch::default();
    let id = created.id.unwrap_or_default();
    let denied = refused(
        member
            .execution()
            .update_environment(&id, &patch, None)
            .await,
    )?;
    assert_eq!(denied.status(), Some(403));
    let denied = refused(member.execution().delete_environment(&id).await)?;
    assert_eq!(denied.status(), Some(403));
    // Members may run in it; another workspace does not see it.
    let ran = member
        .execution()
        .execute_code("py-team", "print(6 * 7)", None)
        .await?;
    assert_eq!(ran.stdout, "42\n");
    owner.use_workspace(None);
    let elsewhere = code(
        owner
            .execution()
            .execute_code("py-team", "print(1)", None)
            .await,
    );
    assert_eq!(elsewhere, "execution.environment.unknown");
    Ok(())
}

fn parameter(
    name: &str,
    kind: ParameterType,
    required: bool,
    default: Option<serde_json::Value>,
) -> ScriptParameter {
    ScriptParameter {
        name: name.into(),
        kind,
        required,
        default,
        description: None,
    }
}

async fn scripts_get_typed_parameters_and_hold_their_environment(
    server: TestServer,
) -> anyhow::Result<()> {
    let Some((client, py)) = python(&server).await? else {
        return Ok(());
    };
    let execution = client.execution();
    let env = execution
        .create_environment(&variant(&py, "py-scripts"))
        .await?;
    let script = execution
        .create_script(&ScriptIn {
            name: "greet".into(),
            description: Some("says hello".into()),
            environment: "py-scripts".into(),
            code: "import os, sys\nprint(sys.argv[1:])\n\
                   print(os.environ['KIRO_PARAM_NAME'], os.environ['KIRO_PARAM_COUNT'])"
                .into(),
            parameters: vec![
                parameter("name", ParameterType::String, true, None),
                parameter("count", ParameterType::Integer, false, Some(json!(2))),
                parameter("loud", ParameterType::Boolean, false, None),
                parameter("ratio", ParameterType::Number, false, None),
            ],
            default_limits: Default::default(),
        })
        .await?;
    assert_eq!(script.version, 1);
    let values = BTreeMap::from([
        ("name".to_owned(), json!("Ada")),
        ("loud".to_owned(), json!(true)),
    ]);
    let ran = execution.execute_script(&script.id, values).await?;
    assert_eq!(
        ran.stdout, "['--name=Ada', '--count=2', '--loud=true']\nAda 2\n",
        "{ran:?}"
    );

    let bad = BTreeMap::from([
        ("count".to_owned(), json!("many")),
        ("colour".to_owned(), json!("red")),
    ]);
    let e = refused(execution.execute_script(&script.id, bad).await)?;
    assert_eq!(
        (e.status(), e.code()),
        (Some(422), Some("execution.script.parameters"))
    );
    assert_eq!(
        fields(&e),
        ["parameters.colour", "parameters.name", "parameters.count"]
    );
    let unknown = ScriptIn {
        name: "nowhere".into(),
        environment: "cobol".into(),
        ..script_in(&script)
    };
    assert_eq!(
        code(execution.create_script(&unknown).await),
        "execution.environment.unknown"
    );
    let dup = code(execution.create_script(&script_in(&script)).await);
    assert_eq!(dup, "execution.script.conflict");
    let page = execution.scripts(Some(10), None).await?;
    assert_eq!(page.items, std::slice::from_ref(&script));

    // The environment stays while the script runs in it.
    let id = env.id.unwrap_or_default();
    let in_use = refused(execution.delete_environment(&id).await)?;
    assert_eq!(in_use.code(), Some("execution.environment.in_use"));
    assert_eq!(details(&in_use)["scripts"], json!(["greet"]));
    let moved = ScriptPatch {
        environment: Some("python3".into()),
        ..ScriptPatch::default()
    };
    let updated = execution.update_script(&script.id, &moved, Some(1)).await?;
    assert_eq!(updated.version, 2);
    let stale = refused(execution.update_script(&script.id, &moved, Some(1)).await)?;
    assert_eq!(stale.code(), Some("resource.conflict"));
    assert_eq!(details(&stale)["current"]["version"], 2);
    execution.delete_environment(&id).await?;
    assert_eq!(
        code(execution.environment(&id).await),
        "execution.environment.not_found"
    );
    execution.delete_script(&script.id).await?;
    assert_eq!(
        code(execution.script(&script.id).await),
        "execution.script.not_found"
    );
    Ok(())
}

fn script_in(script: &kiro_sdk::kiro_types::execution::Script) -> ScriptIn {
    ScriptIn {
        name: script.name.clone(),
        description: script.description.clone(),
        environment: script.environment.clone(),
        code: script.code.clone(),
        parameters: script.parameters.clone(),
        default_limits: script.default_limits,
    }
}

on_both_backends!(
    custom_environments_run_code_and_bad_ones_are_refused,
    members_read_the_catalog_but_only_admins_change_it,
    scripts_get_typed_parameters_and_hold_their_environment,
);
