//! Integration tests of the engine: real sandboxes, real cgroups, real runtimes. Tests that
//! need root or a tool say so and return early when it is missing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

mod basics;
mod containers;
mod environments;
mod hostile;
mod isolation;
mod wire;
