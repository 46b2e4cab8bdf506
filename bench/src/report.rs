//! Turning measurements into figures: one row per target, a compact text
//! table, ratios against the baseline, and the JSON form of each.

use serde_json::{Value, json};

use crate::load::Measurement;

/// The figures of one target.
pub struct Row {
    pub name: String,
    pub requests: u64,
    pub errors: u64,
    pub rps: f64,
    pub p50_us: u64,
    pub p90_us: u64,
    pub p99_us: u64,
    pub max_us: u64,
    pub first_error: Option<String>,
}

impl Row {
    pub fn new(name: &str, m: &Measurement) -> Self {
        let at = |q: f64| m.latencies.value_at_quantile(q);
        Self {
            name: name.to_owned(),
            requests: m.requests(),
            errors: m.errors,
            rps: m.requests_per_second(),
            p50_us: at(0.50),
            p90_us: at(0.90),
            p99_us: at(0.99),
            max_us: m.latencies.max(),
            first_error: m.first_error.clone(),
        }
    }

    pub fn to_json(&self) -> Value {
        json!({
            "target": self.name,
            "requests": self.requests,
            "errors": self.errors,
            "rps": round1(self.rps),
            "p50_us": self.p50_us,
            "p90_us": self.p90_us,
            "p99_us": self.p99_us,
            "max_us": self.max_us,
        })
    }
}

/// `subject` relative to `baseline`: throughput and latency ratios.
pub struct Ratio {
    pub subject: String,
    pub rps: f64,
    pub p50: f64,
    pub p99: f64,
}

impl Ratio {
    pub fn new(subject: &Row, baseline: &Row) -> Self {
        Self {
            subject: subject.name.clone(),
            rps: ratio(subject.rps, baseline.rps),
            p50: ratio(subject.p50_us as f64, baseline.p50_us as f64),
            p99: ratio(subject.p99_us as f64, baseline.p99_us as f64),
        }
    }

    pub fn to_json(&self) -> Value {
        json!({
            "target": self.subject,
            "rps": round3(self.rps),
            "p50": round3(self.p50),
            "p99": round3(self.p99),
        })
    }
}

/// The table of rows, header first, columns aligned.
pub fn table(rows: &[Row]) -> String {
    let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(0).max(6);
    let mut out = format!(
        "{:<width$}  {:>10}  {:>9}  {:>9}  {:>9}  {:>9}  {:>7}\n",
        "target", "req/s", "p50", "p90", "p99", "max", "errors"
    );
    for r in rows {
        out.push_str(&format!(
            "{:<width$}  {:>10.1}  {:>9}  {:>9}  {:>9}  {:>9}  {:>7}\n",
            r.name,
            r.rps,
            micros(r.p50_us),
            micros(r.p90_us),
            micros(r.p99_us),
            micros(r.max_us),
            r.errors
        ));
    }
    out
}

/// One line per ratio, e.g. `kiro live / hello: throughput 0.52x, p50 1.9x, p99 2.3x`.
pub fn ratio_lines(ratios: &[Ratio], baseline: &str) -> String {
    ratios
        .iter()
        .map(|r| {
            format!(
                "{} / {baseline}: throughput {:.2}x, p50 latency {:.2}x, p99 latency {:.2}x\n",
                r.subject, r.rps, r.p50, r.p99
            )
        })
        .collect()
}

/// A latency in microseconds, shown as µs below 1 ms and as ms above.
pub fn micros(us: u64) -> String {
    if us < 1000 {
        format!("{us}µs")
    } else {
        format!("{:.2}ms", us as f64 / 1000.0)
    }
}

/// Bytes as MiB with one decimal.
pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

pub fn ratio(subject: f64, baseline: f64) -> f64 {
    if baseline > 0.0 {
        subject / baseline
    } else {
        f64::NAN
    }
}

pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latencies_switch_unit_at_one_millisecond() {
        assert_eq!(micros(999), "999µs");
        assert_eq!(micros(1000), "1.00ms");
        assert_eq!(micros(12_345), "12.35ms");
    }

    #[test]
    fn a_ratio_against_zero_is_not_a_number() {
        assert!(ratio(1.0, 0.0).is_nan());
        assert_eq!(ratio(1.0, 4.0), 0.25);
    }
}
