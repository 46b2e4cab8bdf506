//! The assessment engine: everything between a PDF's bytes and a learner's progress, as pure
//! functions with no network and no storage.
//!
//! - [`extract`] reads a PDF's text page by page (pdf-extract, or `pdftotext` when installed),
//!   normalises it and refuses what is not readable text with a typed [`extract::ExtractError`].
//! - [`analysis`] finds sections, key terms, topics and learning objectives.
//! - [`questions`] generates questions deterministically from the document and a seed, and
//!   checks questions from any engine against the same rules.
//! - [`grade`] marks answers and scores topics; [`mastery`] turns a history into mastery bands
//!   and trends; [`fsrs`] schedules revisions; [`lesson`] assembles correction lessons.
//! - [`llm`] builds prompts for LLM providers and holds their replies to the same rules.

pub mod analysis;
pub mod corpus;
pub mod document;
pub mod extract;
pub mod fsrs;
pub mod grade;
pub mod keyphrase;
pub mod lesson;
pub mod llm;
pub mod mastery;
pub mod questions;
pub mod text;

pub use document::Document;
