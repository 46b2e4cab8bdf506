//! `kiro-bench qg`: the local engine's single-sentence wh-questions scored with corpus BLEU-1..4
//! against the human questions of the SQuAD sentence-level split (Du et al. 2017).

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use kiro_assess::questions::{question_for_sentence, tokenize};

/// Options of `kiro-bench qg`.
#[derive(Debug, clap::Args)]
pub struct QgArgs {
    /// The directory holding src-<split>.txt and tgt-<split>.txt.
    #[arg(long, default_value = "../shared/corpus/qg")]
    pub corpus: PathBuf,
    /// `test` (report) or `dev` (tune).
    #[arg(long, default_value = "test")]
    pub split: String,
}

/// Runs the benchmark and prints its figures.
pub fn run(args: &QgArgs) -> anyhow::Result<()> {
    let read = |name: String| {
        let path = args.corpus.join(&name);
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
    };
    let sources = read(format!("src-{}.txt", args.split))?;
    let targets = read(format!("tgt-{}.txt", args.split))?;
    let sources: Vec<&str> = sources.lines().collect();
    let targets: Vec<&str> = targets.lines().collect();
    anyhow::ensure!(
        sources.len() == targets.len(),
        "src and tgt differ in length"
    );
    eprintln!(
        "qg: {} sentences of the {} split",
        sources.len(),
        args.split
    );
    let started = Instant::now();
    let mut covered = 0usize;
    let mut bleu = Bleu::default();
    for (src, tgt) in sources.iter().zip(&targets) {
        let question = match question_for_sentence(src) {
            Some(q) => {
                covered += 1;
                q
            }
            None => fallback(src),
        };
        let hyp: Vec<String> = tokenize(&question)
            .into_iter()
            .map(|t| t.to_lowercase())
            .collect();
        let reference: Vec<String> = tgt.split_whitespace().map(str::to_lowercase).collect();
        bleu.add(&hyp, &reference);
    }
    let seconds = started.elapsed().as_secs_f64();
    let scores: Vec<f64> = (1..=4).map(|n| 100.0 * bleu.score(n)).collect();
    let coverage = 100.0 * covered as f64 / sources.len().max(1) as f64;
    let rate = sources.len() as f64 / seconds.max(1e-9);
    println!(
        "question generation, SQuAD sentence split ({}), {} sentences",
        args.split,
        sources.len()
    );
    for (n, s) in scores.iter().enumerate() {
        println!("  BLEU-{}: {s:.2}", n + 1);
    }
    println!("  rule coverage: {coverage:.1} % (the rest scored with the fallback)");
    println!("  speed: {rate:.0} sentences/s");
    println!(
        "{}",
        serde_json::json!({
            "bench": "qg", "split": args.split, "sentences": sources.len(),
            "bleu1": scores[0], "bleu2": scores[1], "bleu3": scores[2], "bleu4": scores[3],
            "coverage": coverage, "sentences_per_second": rate,
        })
    );
    Ok(())
}

/// "what is" and the start of the sentence, for sentences no rule handles.
fn fallback(sentence: &str) -> String {
    let start: Vec<&str> = sentence.split_whitespace().take(10).collect();
    format!("what is {} ?", start.join(" "))
}

/// Corpus BLEU accumulators: clipped n-gram matches and totals for n = 1..4, and lengths.
#[derive(Debug, Default)]
struct Bleu {
    matches: [u64; 4],
    totals: [u64; 4],
    hyp_len: u64,
    ref_len: u64,
}

impl Bleu {
    fn add(&mut self, hyp: &[String], reference: &[String]) {
        self.hyp_len += hyp.len() as u64;
        self.ref_len += reference.len() as u64;
        for n in 1..=4 {
            let h = ngrams(hyp, n);
            let r = ngrams(reference, n);
            self.totals[n - 1] += h.values().sum::<u64>();
            self.matches[n - 1] += h
                .iter()
                .map(|(g, c)| (*c).min(r.get(g).copied().unwrap_or(0)))
                .sum::<u64>();
        }
    }

    /// Cumulative BLEU-n (uniform weights over 1..n) with the brevity penalty, 0–1.
    fn score(&self, n: usize) -> f64 {
        let mut log_sum = 0.0;
        for k in 0..n {
            if self.matches[k] == 0 || self.totals[k] == 0 {
                return 0.0;
            }
            log_sum += (self.matches[k] as f64 / self.totals[k] as f64).ln();
        }
        let (c, r) = (self.hyp_len as f64, self.ref_len as f64);
        let bp = if c >= r {
            1.0
        } else {
            (1.0 - r / c.max(1.0)).exp()
        };
        bp * (log_sum / n as f64).exp()
    }
}

fn ngrams(words: &[String], n: usize) -> HashMap<&[String], u64> {
    let mut out = HashMap::new();
    if words.len() >= n {
        for w in words.windows(n) {
            *out.entry(w).or_default() += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn toks(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn identical_sentences_score_one_and_disjoint_zero() {
        let mut b = Bleu::default();
        b.add(
            &toks("what is the capital of france ?"),
            &toks("what is the capital of france ?"),
        );
        assert!((b.score(4) - 1.0).abs() < 1e-12);
        let mut b = Bleu::default();
        b.add(&toks("a b c d"), &toks("e f g h"));
        assert_eq!(b.score(1), 0.0);
    }
}
