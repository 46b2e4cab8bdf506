//! A container's life cycle as a state machine: which action is allowed in which state and
//! where it leads. Anything else is a conflict (the server's 409) naming what was needed.

use serde::{Deserialize, Serialize};

/// Where a container stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ContainerState {
    /// Its work directory exists; nothing runs.
    Created,
    /// Its init runs; `exec` may run commands in it.
    Running,
    /// Its processes were killed; its files are kept.
    Stopped,
}

/// What can be done to a container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Start,
    Exec,
    Stop,
    Delete,
}

impl ContainerState {
    pub fn as_str(self) -> &'static str {
        match self {
            ContainerState::Created => "created",
            ContainerState::Running => "running",
            ContainerState::Stopped => "stopped",
        }
    }
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Start => "start",
            Action::Exec => "exec",
            Action::Stop => "stop",
            Action::Delete => "delete",
        }
    }

    /// The states the action needs, for the conflict message.
    pub fn needs(self) -> &'static str {
        match self {
            Action::Start | Action::Delete => "created or stopped",
            Action::Exec | Action::Stop => "running",
        }
    }
}

/// The state after `action` in `state`, or `None` when the action is not allowed there.
/// `Delete` leads nowhere: `Some(None)` means the container is gone.
pub fn transition(state: ContainerState, action: Action) -> Option<Option<ContainerState>> {
    use ContainerState::*;
    match (state, action) {
        (Created | Stopped, Action::Start) => Some(Some(Running)),
        (Running, Action::Exec) => Some(Some(Running)),
        (Running, Action::Stop) => Some(Some(Stopped)),
        (Created | Stopped, Action::Delete) => Some(None),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn action() -> impl Strategy<Value = Action> {
        prop_oneof![
            Just(Action::Start),
            Just(Action::Exec),
            Just(Action::Stop),
            Just(Action::Delete)
        ]
    }

    #[test]
    fn the_life_cycle_allows_exactly_these_moves() {
        use ContainerState::*;
        assert_eq!(transition(Created, Action::Start), Some(Some(Running)));
        assert_eq!(transition(Created, Action::Exec), None);
        assert_eq!(transition(Running, Action::Start), None);
        assert_eq!(transition(Running, Action::Delete), None);
        assert_eq!(transition(Stopped, Action::Start), Some(Some(Running)));
        assert_eq!(transition(Stopped, Action::Stop), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Any sequence of actions: exec only ever succeeds on a running container, a
        /// deleted container accepts nothing, and a refused action changes nothing.
        #[test]
        fn container_state_machine_invariants(actions in proptest::collection::vec(action(), 0..30)) {
            let mut state = Some(ContainerState::Created);
            for action in actions {
                let Some(current) = state else { break };
                match transition(current, action) {
                    Some(next) => {
                        if action == Action::Exec || action == Action::Stop {
                            prop_assert_eq!(current, ContainerState::Running);
                        }
                        if action == Action::Delete {
                            prop_assert_ne!(current, ContainerState::Running);
                        }
                        state = next;
                    }
                    None => prop_assert!(!matches!((current, action), (ContainerState::Running, Action::Exec))),
                }
            }
        }
    }
}
