//! The execution catalog store: custom environments and scripts are scoped by workspace,
//! their names unique per workspace (a clash is `Conflict` naming the constraint, nothing
//! written), updates guarded by version, every write commits with its event, scripts page
//! oldest first, and an environment a script still names cannot be deleted.

use std::collections::BTreeMap;

use kiro_core::events::EventDraft;
use kiro_core::execution::catalog::{
    ENVIRONMENT_IN_USE, ENVIRONMENT_NAME_TAKEN, SCRIPT_NAME_TAKEN,
};
use kiro_core::execution::{ExecutionCatalogStore, kinds};
use kiro_core::store::EventStore;
use kiro_core::{PageRequest, StoreError};
use kiro_store::SqlStore;
use kiro_types::WorkspaceId;
use kiro_types::execution::{
    ExecutionEnvironment, Limits, Network, ParameterType, Script, ScriptLimits, ScriptParameter,
};

use crate::{at, stored_user};

store_tests!(
    environments_are_scoped_named_once_and_updated_under_their_version,
    scripts_page_oldest_first_and_keep_environments_in_use,
);

const LIMITS: Limits = Limits {
    wall_time_ms: 1000,
    cpu_time_ms: 1000,
    memory_bytes: 64 << 20,
    processes: 8,
    output_bytes: 1 << 20,
    work_bytes: 1 << 20,
    tmp_bytes: 1 << 20,
};

fn environment(name: &str) -> ExecutionEnvironment {
    ExecutionEnvironment {
        name: name.into(),
        language: "Python".into(),
        version: "3".into(),
        runtime_paths: vec![],
        source_file: "main.py".into(),
        compile: None,
        run: vec!["/usr/bin/python3".into(), "{source}".into()],
        env: BTreeMap::from([("MODE".into(), "test".into())]),
        default_limits: LIMITS,
        max_limits: LIMITS,
        compile_limits: LIMITS,
        network: Network::None,
        builtin: false,
        id: Some(uuid::Uuid::now_v7().to_string()),
        resource_version: Some(1),
        created_at: Some(at(0)),
        updated_at: Some(at(0)),
    }
}

fn script(ws: WorkspaceId, name: &str, environment: &str, n: i64) -> Script {
    Script {
        id: uuid::Uuid::now_v7().to_string(),
        workspace_id: ws,
        name: name.into(),
        description: None,
        environment: environment.into(),
        code: "print(1)".into(),
        parameters: vec![ScriptParameter {
            name: "n".into(),
            kind: ParameterType::Integer,
            required: true,
            default: None,
            description: None,
        }],
        default_limits: ScriptLimits::default(),
        created_by: "user:test".into(),
        created_at: at(n),
        updated_at: at(n),
        version: 1,
    }
}

fn event(ws: WorkspaceId, kind: kiro_core::events::EventKind, id: &str) -> EventDraft {
    EventDraft::new(ws, kind, id, 1, "test", at(0), serde_json::json!({}))
}

fn id(env: &ExecutionEnvironment) -> String {
    env.id.clone().unwrap_or_default()
}

async fn types(store: &SqlStore) -> anyhow::Result<Vec<String>> {
    Ok(store
        .list_events(None, 0, 1000)
        .await?
        .into_iter()
        .map(|e| e.event_type)
        .filter(|t| t.starts_with("execution."))
        .collect())
}

async fn environments_are_scoped_named_once_and_updated_under_their_version(
    store: SqlStore,
) -> anyhow::Result<()> {
    let (_, w) = stored_user(&store, "envs@x.test").await?;
    let (_, other) = stored_user(&store, "other@x.test").await?;
    let py = environment("py-fast");
    store
        .insert_environment(
            w.id,
            &py,
            &event(w.id, kinds::ENVIRONMENT_CREATED, &id(&py)),
        )
        .await?;
    assert_eq!(store.get_environment(w.id, &id(&py)).await?, py);
    assert_eq!(store.get_environment_by_name(w.id, "py-fast").await?, py);
    assert!(matches!(
        store.get_environment(other.id, &id(&py)).await,
        Err(StoreError::NotFound)
    ));

    let clash = environment("py-fast");
    match store
        .insert_environment(
            w.id,
            &clash,
            &event(w.id, kinds::ENVIRONMENT_CREATED, &id(&clash)),
        )
        .await
    {
        Err(StoreError::Conflict { constraint }) => assert_eq!(constraint, ENVIRONMENT_NAME_TAKEN),
        other => anyhow::bail!("expected a name conflict, got {other:?}"),
    }
    // The same name in another workspace is fine.
    store
        .insert_environment(
            other.id,
            &clash,
            &event(other.id, kinds::ENVIRONMENT_CREATED, &id(&clash)),
        )
        .await?;
    let alpha = environment("alpha");
    store
        .insert_environment(
            w.id,
            &alpha,
            &event(w.id, kinds::ENVIRONMENT_CREATED, &id(&alpha)),
        )
        .await?;
    let names: Vec<String> = store
        .list_environments(w.id)
        .await?
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["alpha", "py-fast"]);

    let mut changed = py.clone();
    changed.env.insert("EXTRA".into(), "1".into());
    changed.resource_version = Some(2);
    let updated = event(w.id, kinds::ENVIRONMENT_UPDATED, &id(&py));
    store
        .update_environment(w.id, &changed, 1, &updated)
        .await?;
    assert!(matches!(
        store.update_environment(w.id, &changed, 1, &updated).await,
        Err(StoreError::Stale)
    ));
    assert_eq!(store.get_environment(w.id, &id(&py)).await?, changed);
    assert!(matches!(
        store
            .update_environment(other.id, &changed, 2, &updated)
            .await,
        Err(StoreError::NotFound)
    ));
    store
        .delete_environment(
            w.id,
            &id(&alpha),
            &event(w.id, kinds::ENVIRONMENT_DELETED, &id(&alpha)),
        )
        .await?;
    assert!(matches!(
        store.get_environment(w.id, &id(&alpha)).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        types(&store).await?,
        [
            "execution.environment.created",
            "execution.environment.created",
            "execution.environment.created",
            "execution.environment.updated",
            "execution.environment.deleted"
        ]
    );
    Ok(())
}

async fn scripts_page_oldest_first_and_keep_environments_in_use(
    store: SqlStore,
) -> anyhow::Result<()> {
    let (_, w) = stored_user(&store, "scripts@x.test").await?;
    let py = environment("py-fast");
    store
        .insert_environment(
            w.id,
            &py,
            &event(w.id, kinds::ENVIRONMENT_CREATED, &id(&py)),
        )
        .await?;
    let scripts: Vec<Script> = (0..3)
        .map(|n| {
            script(
                w.id,
                &format!("s{n}"),
                if n == 0 { "py-fast" } else { "bash" },
                n,
            )
        })
        .collect();
    for s in &scripts {
        store
            .insert_script(w.id, s, &event(w.id, kinds::SCRIPT_CREATED, &s.id))
            .await?;
    }
    let dup = script(w.id, "s1", "bash", 9);
    match store
        .insert_script(w.id, &dup, &event(w.id, kinds::SCRIPT_CREATED, &dup.id))
        .await
    {
        Err(StoreError::Conflict { constraint }) => assert_eq!(constraint, SCRIPT_NAME_TAKEN),
        other => anyhow::bail!("expected a name conflict, got {other:?}"),
    }
    let first = store.list_scripts(w.id, &PageRequest::first(2)).await?;
    assert_eq!(first.items, scripts[..2]);
    let rest = store
        .list_scripts(
            w.id,
            &PageRequest {
                limit: 2,
                after: first.next.clone(),
            },
        )
        .await?;
    assert_eq!(
        (rest.items.as_slice(), rest.next.is_none()),
        (&scripts[2..], true)
    );

    assert_eq!(store.scripts_using(w.id, "py-fast").await?, ["s0"]);
    let deleting = event(w.id, kinds::ENVIRONMENT_DELETED, &id(&py));
    match store.delete_environment(w.id, &id(&py), &deleting).await {
        Err(StoreError::Conflict { constraint }) => assert_eq!(constraint, ENVIRONMENT_IN_USE),
        other => anyhow::bail!("expected in use, got {other:?}"),
    }
    assert_eq!(store.get_environment(w.id, &id(&py)).await?, py);

    let mut moved = scripts[0].clone();
    moved.environment = "bash".into();
    moved.version = 2;
    let updated = event(w.id, kinds::SCRIPT_UPDATED, &moved.id);
    store.update_script(w.id, &moved, 1, &updated).await?;
    assert!(matches!(
        store.update_script(w.id, &moved, 1, &updated).await,
        Err(StoreError::Stale)
    ));
    assert_eq!(store.get_script(w.id, &moved.id).await?, moved);
    store.delete_environment(w.id, &id(&py), &deleting).await?;
    store
        .delete_script(
            w.id,
            &moved.id,
            &event(w.id, kinds::SCRIPT_DELETED, &moved.id),
        )
        .await?;
    assert!(matches!(
        store.get_script(w.id, &moved.id).await,
        Err(StoreError::NotFound)
    ));
    let events = types(&store).await?;
    assert_eq!(
        events
            .iter()
            .filter(|t| *t == "execution.script.created")
            .count(),
        3
    );
    assert_eq!(
        events[events.len() - 3..],
        [
            "execution.script.updated",
            "execution.environment.deleted",
            "execution.script.deleted"
        ]
    );
    Ok(())
}
