//! Question generation by a large language model, minus the network: the prompt built from
//! the document's analysis and its best source sentences ([`prompt`]), the JSON schema the
//! model must answer in, the request and reply bodies of the two provider wire formats
//! ([`wire`]: Gemini `generateContent` and OpenAI-compatible `/v1/chat/completions`), and the
//! check that turns a reply into questions that meet the same rules as the local engine's
//! ([`parse`]); and the same for marking one essay answer ([`essay`]). The HTTP call itself
//! belongs to whoever embeds the engine.

pub mod essay;
pub mod parse;
pub mod prompt;
pub mod schema;
pub mod wire;

pub use parse::{ParseError, parse_questions};
pub use prompt::{Prompt, question_prompt};
