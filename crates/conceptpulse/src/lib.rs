//! ConceptPulse, the learning app on kiro-sdk: a server-rendered web UI (the learning loop
//! and the Kiro dashboard) and a CLI. `conceptpulse up` runs both with a Kiro server embedded
//! in the process; everything else reaches Kiro over HTTP through kiro-sdk, exactly as a
//! remote deployment would (DESIGN.md §1).

pub mod cli;
pub mod embedded;
pub mod export;
pub mod settings;
pub mod up;
pub mod verdicts;
pub mod web;
