//! A first program for each built-in language, so the playground opens with something that
//! runs: it reads a line of standard input and greets it.

/// The sample for an environment, by its name (`python3`, `node`, …) or else its language.
pub fn sample(name: &str, language: &str) -> &'static str {
    let language = language.to_ascii_lowercase();
    let key = match name {
        "python3" | "node" | "bash" | "c" | "rust" => name,
        _ => language.split_whitespace().next().unwrap_or_default(),
    };
    match key {
        "python" | "python3" => "name = input() or \"world\"\nprint(f\"Hello, {name}!\")\n",
        "javascript" | "node" | "nodejs" => {
            "const name = require(\"fs\").readFileSync(0, \"utf8\").trim() || \"world\";\nconsole.log(`Hello, ${name}!`);\n"
        }
        "bash" | "shell" | "sh" => "read -r name\necho \"Hello, ${name:-world}!\"\n",
        "c" => {
            "#include <stdio.h>\n\nint main(void) {\n    char name[64] = \"world\";\n    if (scanf(\"%63s\", name) != 1) { }\n    printf(\"Hello, %s!\\n\", name);\n    return 0;\n}\n"
        }
        "rust" => {
            "use std::io::Read;\n\nfn main() {\n    let mut name = String::new();\n    std::io::stdin().read_to_string(&mut name).unwrap();\n    let name = name.trim();\n    println!(\"Hello, {}!\", if name.is_empty() { \"world\" } else { name });\n}\n"
        }
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::sample;

    #[test]
    fn each_built_in_language_has_a_sample_and_others_start_empty() {
        for name in ["python3", "node", "bash", "c", "rust"] {
            assert!(sample(name, "").contains("Hello"), "{name}");
        }
        assert!(sample("py312", "Python").contains("input()"));
        assert_eq!(sample("cobol", "COBOL"), "");
    }
}
