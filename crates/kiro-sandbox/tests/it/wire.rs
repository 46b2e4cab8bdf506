//! The engine's results have exactly the shapes of kiro-types' execution DTOs, so the server
//! maps them through serde without a field lost or renamed.

use kiro_sandbox::{ContainerSpec, Containers, Isolation, LimitsRequest};
use kiro_types::execution as wire;
use serde::de::DeserializeOwned;

use crate::support::{native, only_run, run, sandbox_with_uids};

/// Serialises an engine value and reads it back as the wire type; the JSON must not change.
fn same_shape<W: DeserializeOwned + serde::Serialize>(engine: &impl serde::Serialize) {
    let json = serde_json::to_value(engine).unwrap();
    let wire: W = serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert_eq!(serde_json::to_value(&wire).unwrap(), json);
}

#[test]
fn verdicts_usage_limits_and_environments_have_the_wire_shapes() {
    let Some(sandbox) = native() else { return };
    let outcome = run(sandbox, "bash", "kill -SEGV $$");
    let result = only_run(&outcome);
    same_shape::<wire::Verdict>(&result.verdict);
    same_shape::<wire::ResourceUsage>(&result.usage);
    same_shape::<wire::Isolation>(&result.isolation);
    same_shape::<wire::Limits>(&result.limits);
    for verdict in [
        kiro_sandbox::Verdict::TimeLimitExceeded {
            limit: kiro_sandbox::TimeLimit::Cpu,
        },
        kiro_sandbox::Verdict::NonZeroExit { exit_code: 3 },
        kiro_sandbox::Verdict::InternalError {
            message: "x".into(),
        },
    ] {
        same_shape::<wire::Verdict>(&verdict);
    }
    let env = sandbox.environment("python3").unwrap();
    let mut json = serde_json::to_value(&*env).unwrap();
    json["builtin"] = serde_json::Value::Bool(true);
    let _: wire::ExecutionEnvironment = serde_json::from_value(json).unwrap();
}

#[test]
fn containers_have_the_wire_shape() {
    let Some(test) = sandbox_with_uids(Isolation::Native, 62_700) else {
        return;
    };
    let (sandbox, _state) = test.into_parts();
    let containers = Containers::new(
        std::sync::Arc::new(sandbox),
        Box::new(kiro_sandbox::container::native::NativeBackend),
    )
    .unwrap();
    let container = containers
        .create(&ContainerSpec {
            environment: "bash".into(),
            limits: LimitsRequest::default(),
        })
        .unwrap();
    same_shape::<wire::Container>(&container);
}
