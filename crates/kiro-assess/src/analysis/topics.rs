//! Topics and learning objectives: key terms clustered by the sentences they share, each
//! cluster named by its strongest term, and one or two Bloom-levelled objectives per topic.

use kiro_types::assessment::{BloomLevel, IdentifiedTopic, LearningObjective};

use super::terms::Term;
use crate::corpus::Corpus;

/// How many topics an analysis keeps.
pub const MAX_TOPICS: usize = 8;

/// Share of the smaller term's sentences two terms must share to sit in one topic.
const JOIN: f64 = 0.5;

/// Share for a term to count as a subtopic of another.
const RELATED: f64 = 0.15;

/// Clusters key terms (best first) into at most [`MAX_TOPICS`] topics, most important first.
pub fn topics(terms: &[Term], corpus: &Corpus) -> Vec<IdentifiedTopic> {
    let mentions: Vec<Vec<usize>> = terms.iter().map(|t| corpus.mentions(&t.surface)).collect();
    let mut clusters: Vec<(usize, Vec<usize>, f64)> = Vec::new();
    for (i, term) in terms.iter().enumerate() {
        if mentions[i].is_empty() {
            continue;
        }
        let home = clusters
            .iter_mut()
            .find(|(seed, _, _)| overlap(&mentions[*seed], &mentions[i]) >= JOIN);
        match home {
            Some((_, members, score)) => {
                members.push(i);
                *score += 0.5 * term.score;
            }
            None => clusters.push((i, vec![i], term.score)),
        }
    }
    clusters.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    clusters.truncate(MAX_TOPICS);
    let best = clusters.first().map_or(1.0, |c| c.2).max(1e-9);
    let total = corpus.sentences.len().max(1) as f64;
    clusters
        .iter()
        .map(|(seed, members, score)| {
            let mut covered: Vec<usize> = members
                .iter()
                .flat_map(|&m| mentions[m].iter().copied())
                .collect();
            covered.sort_unstable();
            covered.dedup();
            let subtopics = terms
                .iter()
                .enumerate()
                .filter(|(j, _)| !members.contains(j) && !mentions[*j].is_empty())
                .filter(|(j, _)| overlap(&mentions[*seed], &mentions[*j]) >= RELATED)
                .map(|(_, t)| t.surface.clone())
                .take(5)
                .collect();
            IdentifiedTopic {
                name: terms[*seed].surface.clone(),
                importance: (score / best).clamp(0.0, 1.0),
                coverage: (100.0 * covered.len() as f64 / total * 10.0).round() / 10.0,
                keywords: members.iter().map(|&m| terms[m].surface.clone()).collect(),
                subtopics,
                pages: corpus.pages_of(&covered),
            }
        })
        .collect()
}

/// Shared sentences over the smaller set.
fn overlap(a: &[usize], b: &[usize]) -> f64 {
    let smaller = a.len().min(b.len());
    if smaller == 0 {
        return 0.0;
    }
    let shared = a.iter().filter(|x| b.binary_search(x).is_ok()).count();
    shared as f64 / smaller as f64
}

/// One or two objectives per topic, climbing Bloom's levels with the topic's rank.
pub fn objectives(topics: &[IdentifiedTopic]) -> Vec<LearningObjective> {
    let mut out = Vec::new();
    for (i, topic) in topics.iter().enumerate() {
        let name = &topic.name;
        let related = topic.subtopics.first().or_else(|| topic.keywords.get(1));
        let other = topics
            .get((i + 1) % topics.len().max(1))
            .filter(|t| t.name != *name);
        let mut push = |text: String, level: BloomLevel| {
            out.push(LearningObjective {
                id: format!("obj-{}", out.len() + 1),
                topic: name.clone(),
                text,
                bloom_level: level,
            });
        };
        match i % 3 {
            0 => push(
                format!("Define {name} and recognise it in the text"),
                BloomLevel::Remember,
            ),
            1 => push(
                format!("Explain {name} in your own words"),
                BloomLevel::Understand,
            ),
            _ => match related {
                Some(r) => push(format!("Apply {name} to {r}"), BloomLevel::Apply),
                None => push(
                    format!("Explain {name} in your own words"),
                    BloomLevel::Understand,
                ),
            },
        }
        if let Some(r) = related.filter(|_| i % 3 == 0) {
            push(
                format!("Explain how {name} relates to {r}"),
                BloomLevel::Understand,
            );
        } else if let Some(o) = other.filter(|_| i % 3 == 1) {
            push(
                format!("Compare {name} and {}", o.name),
                BloomLevel::Analyze,
            );
        }
    }
    out
}
