//! Text utilities. SKELETON: the helper replaces the bodies; signatures are the contract.

/// Lower-cased, stemmed tokens of a text, for matching answers and terms.
pub fn stemmed_tokens(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_lowercase).collect()
}
