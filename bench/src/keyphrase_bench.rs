//! `kiro-bench keyphrase`: macro F1@10 of the engine's key phrases on Inspec and SemEval2010
//! (gold = all keys, phrases lower-cased and Snowball-stemmed word by word), beside plain YAKE
//! measured in the same run.

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use kiro_assess::keyphrase::{keyphrases, yake_keyphrases};
use rust_stemmers::{Algorithm, Stemmer};

/// Options of `kiro-bench keyphrase`.
#[derive(Debug, clap::Args)]
pub struct KeyphraseArgs {
    /// The directory holding Inspec.zip and SemEval2010.zip.
    #[arg(long, default_value = "../shared/corpus/keyphrase")]
    pub corpus: PathBuf,
}

/// Entries and bytes read from one archive at most (zip-bomb guard).
const MAX_ENTRIES: usize = 10_000;
const MAX_BYTES: u64 = 200 * 1024 * 1024;

/// Runs the benchmark and prints its figures.
pub fn run(args: &KeyphraseArgs) -> anyhow::Result<()> {
    let mut json = serde_json::Map::new();
    println!("key phrases, macro F1@10 (lower-cased, Snowball-stemmed, gold = all keys)");
    for name in ["Inspec", "SemEval2010"] {
        let docs = read_dataset(&args.corpus.join(format!("{name}.zip")), name)?;
        eprintln!("keyphrase: {name}: {} documents", docs.len());
        let started = Instant::now();
        let ours = macro_f1(&docs, |t| keyphrases(t, 10));
        let seconds = started.elapsed().as_secs_f64();
        let yake = macro_f1(&docs, |t| yake_keyphrases(t, 10));
        println!(
            "  {name} ({} docs): kiro {ours:.3}, plain YAKE {yake:.3} ({:.1} docs/s)",
            docs.len(),
            docs.len() as f64 / seconds.max(1e-9)
        );
        json.insert(
            name.to_lowercase(),
            serde_json::json!({"docs": docs.len(), "f1_at_10": ours, "yake_f1_at_10": yake}),
        );
    }
    json.insert("bench".into(), "keyphrase".into());
    println!("{}", serde_json::Value::Object(json));
    Ok(())
}

/// (text, gold keys) per document, in file-name order.
fn read_dataset(path: &Path, name: &str) -> anyhow::Result<Vec<(String, Vec<String>)>> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut archive =
        zip::ZipArchive::new(file).with_context(|| format!("reading {}", path.display()))?;
    anyhow::ensure!(
        archive.len() <= MAX_ENTRIES,
        "{} has too many entries",
        path.display()
    );
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    let mut keys: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut budget = MAX_BYTES;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        let entry_name = entry.name()?.into_owned();
        let (doc, is_text) = if let Some(d) = entry_name
            .strip_prefix(&format!("{name}/docsutf8/"))
            .and_then(|d| d.strip_suffix(".txt"))
        {
            (d.to_owned(), true)
        } else if let Some(d) = entry_name
            .strip_prefix(&format!("{name}/keys/"))
            .and_then(|d| d.strip_suffix(".key"))
        {
            (d.to_owned(), false)
        } else {
            continue;
        };
        anyhow::ensure!(
            entry.size() <= budget,
            "{} is larger than allowed",
            path.display()
        );
        budget -= entry.size();
        let mut content = String::new();
        let size = entry.size();
        entry.by_ref().take(size).read_to_string(&mut content)?;
        if is_text {
            texts.insert(doc, content);
        } else {
            keys.insert(
                doc,
                content
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect(),
            );
        }
    }
    Ok(texts
        .into_iter()
        .filter_map(|(d, t)| keys.remove(&d).map(|k| (t, k)))
        .collect())
}

/// Mean over documents of F1 between the top-10 predictions and the gold keys.
fn macro_f1(docs: &[(String, Vec<String>)], extract: impl Fn(&str) -> Vec<String>) -> f64 {
    let stemmer = Stemmer::create(Algorithm::English);
    let norm = |p: &str| -> String {
        p.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| stemmer.stem(w).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut sum = 0.0;
    for (text, gold) in docs {
        let gold: HashSet<String> = gold.iter().map(|g| norm(g)).collect();
        let mut seen = HashSet::new();
        let predicted: Vec<String> = extract(text)
            .iter()
            .map(|p| norm(p))
            .filter(|p| !p.is_empty() && seen.insert(p.clone()))
            .take(10)
            .collect();
        let hits = predicted.iter().filter(|p| gold.contains(*p)).count() as f64;
        if hits > 0.0 {
            let precision = hits / predicted.len() as f64;
            let recall = hits / gold.len() as f64;
            sum += 2.0 * precision * recall / (precision + recall);
        }
    }
    sum / docs.len().max(1) as f64
}
