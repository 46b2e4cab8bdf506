//! Containers on both backends: the life cycle with its conflicts, files that persist across
//! stop and start, limits per exec, and nothing left running after stop.

use std::sync::Arc;

use kiro_sandbox::container::ContainerBackend;
use kiro_sandbox::container::native::NativeBackend;
use kiro_sandbox::container::runc::RuncBackend;
use kiro_sandbox::{
    ContainerSpec, ContainerState, Containers, ExecRequest, Isolation, LimitsRequest, SandboxError,
    TimeLimit, Verdict,
};

use crate::support::{is_root, sandbox_with_uids};

/// Containers on a fresh state directory (dropped after them: fields drop in order).
struct TestContainers {
    containers: Containers,
    _state: tempfile::TempDir,
}

impl std::ops::Deref for TestContainers {
    type Target = Containers;
    fn deref(&self) -> &Containers {
        &self.containers
    }
}

fn containers(
    first_uid: u32,
    backend: impl FnOnce(&kiro_sandbox::Sandbox) -> Option<Box<dyn ContainerBackend>>,
) -> Option<TestContainers> {
    if !is_root() {
        eprintln!("SKIPPED: containers need root");
        return None;
    }
    let test = sandbox_with_uids(Isolation::Native, first_uid)?;
    let backend = backend(&test.sandbox)?;
    let (sandbox, state) = test.into_parts();
    Some(TestContainers {
        containers: Containers::new(Arc::new(sandbox), backend).unwrap(),
        _state: state,
    })
}

fn exec(
    containers: &Containers,
    id: &str,
    script: &str,
) -> Result<kiro_sandbox::RunOutcome, SandboxError> {
    containers.exec(
        id,
        &ExecRequest {
            command: vec!["/usr/bin/bash".into(), "-c".into(), script.into()],
            ..ExecRequest::default()
        },
        &(),
    )
}

fn conflict(result: Result<impl std::fmt::Debug, SandboxError>, action: &str) {
    match result {
        Err(SandboxError::Conflict { action: a, .. }) => assert_eq!(a, action),
        other => panic!("expected a conflict on {action}, got {other:?}"),
    }
}

fn life_cycle(containers: &Containers, isolation: Isolation) {
    let created = containers
        .create(&ContainerSpec {
            environment: "bash".into(),
            limits: LimitsRequest::default(),
        })
        .unwrap();
    let id = created.id.clone();
    assert_eq!(created.state, ContainerState::Created);
    conflict(exec(containers, &id, "true"), "exec");
    conflict(containers.stop(&id), "stop");
    assert_eq!(
        containers.start(&id).unwrap().state,
        ContainerState::Running
    );
    conflict(containers.start(&id), "start");
    conflict(containers.delete(&id), "delete");

    let wrote = exec(containers, &id, "echo kept > /work/note; hostname; id -u").unwrap();
    assert_eq!(wrote.verdict, Verdict::Accepted, "{wrote:#?}");
    assert_eq!(wrote.isolation, isolation);
    let mut lines = wrote.stdout.lines();
    assert_eq!(lines.next(), Some("sandbox"));
    assert_ne!(lines.next(), Some("0"), "the exec must not run as root");
    let refused = exec(containers, &id, "echo x > /usr/evil").unwrap();
    assert!(
        matches!(refused.verdict, Verdict::NonZeroExit { .. }),
        "{refused:#?}"
    );

    let slow = containers
        .exec(
            &id,
            &ExecRequest {
                command: vec!["/usr/bin/sleep".into(), "30".into()],
                stdin: String::new(),
                limits: LimitsRequest {
                    wall_time_ms: Some(400),
                    ..LimitsRequest::default()
                },
            },
            &(),
        )
        .unwrap();
    assert_eq!(
        slow.verdict,
        Verdict::TimeLimitExceeded {
            limit: TimeLimit::Wall
        },
        "{slow:#?}"
    );

    assert_eq!(containers.stop(&id).unwrap().state, ContainerState::Stopped);
    conflict(exec(containers, &id, "true"), "exec");
    containers.start(&id).unwrap();
    let read = exec(containers, &id, "cat /work/note").unwrap();
    assert_eq!(
        read.stdout, "kept\n",
        "files survive stop and start: {read:#?}"
    );
    containers.stop(&id).unwrap();
    containers.delete(&id).unwrap();
    assert!(matches!(
        containers.get(&id),
        Err(SandboxError::ContainerNotFound(_))
    ));
    assert!(matches!(
        containers.start(&id),
        Err(SandboxError::ContainerNotFound(_))
    ));
}

#[test]
fn a_native_container_keeps_its_files_and_enforces_its_life_cycle() {
    let Some(containers) = containers(62_400, |_| Some(Box::new(NativeBackend))) else {
        return;
    };
    life_cycle(&containers, Isolation::Native);
}

#[test]
fn a_runc_container_keeps_its_files_and_enforces_its_life_cycle() {
    let Some(containers) = containers(62_500, |sandbox| match RuncBackend::new(sandbox) {
        Ok(backend) => Some(Box::new(backend)),
        Err(error) => {
            eprintln!("SKIPPED: {error}");
            None
        }
    }) else {
        return;
    };
    life_cycle(&containers, Isolation::Runc);
}

#[test]
fn an_unknown_environment_or_excessive_limits_are_refused_at_create() {
    let Some(containers) = containers(62_600, |_| Some(Box::new(NativeBackend))) else {
        return;
    };
    let unknown = containers.create(&ContainerSpec {
        environment: "nope".into(),
        limits: LimitsRequest::default(),
    });
    assert!(
        matches!(unknown, Err(SandboxError::UnknownEnvironment { .. })),
        "{unknown:?}"
    );
    let greedy = containers.create(&ContainerSpec {
        environment: "bash".into(),
        limits: LimitsRequest {
            memory_bytes: Some(1 << 40),
            ..LimitsRequest::default()
        },
    });
    assert!(
        matches!(greedy, Err(SandboxError::Invalid(_))),
        "{greedy:?}"
    );
    assert!(containers.list().is_empty());
}
