//! From what the subscribers received to the figures of `kiro-bench fanout`,
//! per group of subscribers (those of one server) and for all of them.
//!
//! The latency of a delivery is its receipt time minus the time the writer
//! got the response to that rename (the commit happened before it). A
//! delivery can beat the response to the writer; it then counts as 1 µs and is
//! counted as early. The second figure, receipt minus the event's `at`,
//! needs no writer timestamp but `at` only has millisecond precision.

use std::time::Duration;

use anyhow::Context;
use hdrhistogram::Histogram;

use crate::subscriber::{Received, new_histogram};

/// The figures of a group of subscribers.
pub struct Figures {
    pub name: String,
    pub subscribers: u64,
    pub deliveries: u64,
    /// Deliveries per second over the run's window.
    pub per_second: f64,
    /// Receipt − the writer's PATCH response, µs.
    pub latency: Histogram<u64>,
    /// Receipt − the event's `at`, µs.
    pub since_at: Histogram<u64>,
    /// Deliveries that arrived before the writer had its response.
    pub early: u64,
    pub missing: u64,
    pub duplicates: u64,
    pub out_of_order: u64,
    pub unexpected: u64,
    pub first_problem: Option<String>,
    /// The last receipt, µs since the run's time base.
    pub last_receipt: u64,
}

impl Figures {
    pub fn new(name: &str) -> anyhow::Result<Self> {
        Ok(Self {
            name: name.to_owned(),
            subscribers: 0,
            deliveries: 0,
            per_second: 0.0,
            latency: new_histogram()?,
            since_at: new_histogram()?,
            early: 0,
            missing: 0,
            duplicates: 0,
            out_of_order: 0,
            unexpected: 0,
            first_problem: None,
            last_receipt: 0,
        })
    }

    /// Adds one subscriber; `acked[seq - 1]` is when rename `seq` was answered.
    pub fn add(&mut self, received: &Received, acked: &[u64]) -> anyhow::Result<()> {
        self.subscribers += 1;
        for &(seq, receipt) in &received.deliveries {
            let Some(&ack) = acked.get((seq as usize).wrapping_sub(1)) else {
                self.unexpected += 1;
                continue;
            };
            self.deliveries += 1;
            if receipt < ack {
                self.early += 1;
            }
            self.latency
                .saturating_record(receipt.saturating_sub(ack).max(1));
            self.last_receipt = self.last_receipt.max(receipt);
        }
        self.since_at
            .add(&received.since_at)
            .context("merging latencies")?;
        self.missing += received.missing;
        self.duplicates += received.duplicates;
        self.out_of_order += received.out_of_order;
        self.unexpected += received.unexpected;
        if self.first_problem.is_none() {
            self.first_problem.clone_from(&received.first_problem);
        }
        Ok(())
    }

    /// Adds another group's figures (for the total of a scenario).
    pub fn merge(&mut self, other: &Figures) -> anyhow::Result<()> {
        self.subscribers += other.subscribers;
        self.deliveries += other.deliveries;
        self.latency
            .add(&other.latency)
            .context("merging latencies")?;
        self.since_at
            .add(&other.since_at)
            .context("merging latencies")?;
        self.early += other.early;
        self.missing += other.missing;
        self.duplicates += other.duplicates;
        self.out_of_order += other.out_of_order;
        self.unexpected += other.unexpected;
        if self.first_problem.is_none() {
            self.first_problem.clone_from(&other.first_problem);
        }
        self.last_receipt = self.last_receipt.max(other.last_receipt);
        Ok(())
    }

    /// Sets the delivery rate over `window` (first write to last receipt).
    pub fn finish(&mut self, window: Duration) {
        let secs = window.as_secs_f64();
        self.per_second = if secs > 0.0 {
            self.deliveries as f64 / secs
        } else {
            0.0
        };
    }

    /// No delivery was lost, repeated, reordered or foreign.
    pub fn is_clean(&self) -> bool {
        self.missing + self.duplicates + self.out_of_order + self.unexpected == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn received(deliveries: Vec<(u32, u64)>, missing: u64) -> anyhow::Result<Received> {
        Ok(Received {
            group: 0,
            deliveries,
            since_at: new_histogram()?,
            duplicates: 0,
            out_of_order: 0,
            missing,
            unexpected: 0,
            first_problem: None,
        })
    }

    #[test]
    fn latency_is_receipt_minus_response_and_early_ones_count_as_one() -> anyhow::Result<()> {
        let acked = [1_000, 2_000, 3_000];
        let mut figures = Figures::new("g")?;
        figures.add(
            &received(vec![(1, 1_500), (2, 1_900), (3, 3_700)], 0)?,
            &acked,
        )?;
        figures.add(&received(vec![(1, 1_200), (9, 9_000)], 2)?, &acked)?;
        assert_eq!(figures.subscribers, 2);
        assert_eq!(figures.deliveries, 4);
        assert_eq!(figures.early, 1);
        assert_eq!(figures.unexpected, 1);
        assert_eq!(figures.missing, 2);
        assert_eq!(figures.latency.min(), 1);
        assert_eq!(figures.latency.max(), 700);
        assert_eq!(figures.last_receipt, 3_700);
        figures.finish(Duration::from_secs(2));
        assert_eq!(figures.per_second, 2.0);
        assert!(!figures.is_clean());
        Ok(())
    }
}
