//! Key phrases. SKELETON: the helper replaces the bodies; signatures are the contract.

/// The `n` best key phrases of a text, best first.
pub fn keyphrases(text: &str, n: usize) -> Vec<String> {
    let _ = (text, n);
    Vec::new()
}
