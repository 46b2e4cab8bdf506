//! kiro-sandbox: the execution engine. It runs untrusted code and says what happened, and
//! knows nothing of HTTP or SQL (the server maps its types and errors onto the API).
//!
//! - [`Sandbox`] probes the host ([`capabilities`]), picks the isolation ([`Isolation`]:
//!   native, bubblewrap, or — only when configured — none), holds the [`environment`]s and
//!   the per-uid slots, and runs commands and submissions ([`submission`]: compile once, judge
//!   each test case).
//! - The native sandbox: the supervisor ([`supervisor`]) starts the `kiro-sandbox-init`
//!   helper ([`init`]) in a fresh single-threaded process, which builds the namespaces, a
//!   read-only root, the pid-1 init, the uid drop, landlock and seccomp; per-job [`cgroup`]s
//!   limit memory, processes and total CPU; the supervisor enforces wall time and output.
//! - Results carry a [`Verdict`] in Judge0's vocabulary with a fixed precedence, and
//!   [`ResourceUsage`] with the source of each figure.
//! - [`container`]s are long-lived sandboxes with a persistent work directory, behind a
//!   backend trait with the native implementation and runc.
//!
//! Unsafe code is denied crate-wide and allowed only in `sys` (fork, wait4, pidfd, fd flags).

pub mod capabilities;
pub mod cgroup;
pub mod compare;
pub mod container;
pub mod environment;
pub mod error;
pub mod init;
pub mod isolation;
mod launch;
pub mod limits;
pub mod outcome;
pub mod output;
mod sandbox;
mod slots;
mod spec;
pub mod submission;
pub mod supervisor;
mod sys;
pub mod usage;
pub mod verdict;
mod workdir;

pub use capabilities::Capabilities;
pub use compare::Comparison;
pub use container::{Container, ContainerSpec, ContainerState, Containers, ExecRequest};
pub use environment::{Environment, Network};
pub use error::{Problem, SandboxError};
pub use isolation::Isolation;
pub use limits::{Limits, LimitsRequest};
pub use outcome::RunOutcome;
pub use output::{OutputSink, Stream};
pub use sandbox::{Sandbox, SandboxConfig};
pub use submission::{CaseOutcome, ExecuteRequest, ExecutionOutcome, TestCase};
pub use supervisor::HelperCommand;
pub use usage::{ResourceUsage, Source};
pub use verdict::{TimeLimit, Verdict};
