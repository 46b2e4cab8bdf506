//! Escaping for the tables the app exports itself (the planning reports the server has no
//! text form of): a Markdown table cell and an RFC 4180 CSV field.

/// `text` as one Markdown table cell: pipes escaped, line breaks as spaces.
pub fn md_cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// `text` as one CSV field, quoted (quotes doubled) when it holds a separator, a quote or a
/// line break.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_and_fields_are_escaped() {
        assert_eq!(md_cell("A|B\r\nC"), "A\\|B  C");
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, \"b\""), "\"a, \"\"b\"\"\"");
    }
}
