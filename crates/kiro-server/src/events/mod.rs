//! Real-time events (DESIGN.md §5): the per-process [`hub::EventHub`] that reads committed
//! events in id order and fans them out, the `/v1/events` WebSocket protocol
//! ([`socket`]) with replay and resume, polling, and retention.

pub mod hub;
mod retention;
pub mod routes;
mod socket;
mod subscription;

pub use hub::EventHub;
