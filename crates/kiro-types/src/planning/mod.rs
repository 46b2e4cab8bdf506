//! Planning DTOs: projects, tasks, dependencies, milestones, resource allocations and
//! utilisation, schedules (critical path, slack, violations), reports and metrics.
//!
//! Names and fields follow the `KiroPlanningService` data models of the original design
//! (camelCase on the wire); dates of the plan are calendar days (`YYYY-MM-DD`), and the
//! scheduler counts calendar days, not working days.

mod project;
mod report;
mod resource;
mod schedule;
mod task;

pub use project::*;
pub use report::*;
pub use resource::*;
pub use schedule::*;
pub use task::*;

/// Hours in one person's full working day: 100 % of an allocation, and the capacity above
/// which a person is over-allocated.
pub const HOURS_PER_DAY: f64 = 8.0;

/// Generates `as_str`/`parse` for a lower-case wire enum.
macro_rules! wire_enum {
    ($ty:ident { $($variant:ident = $name:literal),* $(,)? }) => {
        impl $ty {
            /// Every value, in order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),*];

            /// The name stored and sent on the wire.
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $name),* }
            }

            /// Parses the wire name.
            pub fn parse(name: &str) -> Option<$ty> {
                Self::ALL.iter().copied().find(|v| v.as_str() == name)
            }
        }
    };
}
pub(crate) use wire_enum;
