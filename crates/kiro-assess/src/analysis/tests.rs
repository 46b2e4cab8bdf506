#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;

fn physics() -> Document {
    Document::from_pages(vec![
        "1 Electric Fields\nAn electric field is a region where a charge feels a force. The electric field points away from positive charges. Field lines show the electric field.".into(),
        "2 Magnetic Fields\nA magnetic field surrounds every magnet. Moving charges feel a force in a magnetic field. The magnetic field of the Earth protects us from the solar wind.".into(),
        "3 Induction\nElectromagnetic induction creates a current when the magnetic field changes. Faraday discovered electromagnetic induction in 1831. Generators use electromagnetic induction.".into(),
    ])
}

#[test]
fn analysis_finds_sections_topics_and_objectives() {
    let a = analyze(&physics());
    assert_eq!(a.sections.len(), 3);
    assert!(!a.topics.is_empty());
    assert!(a.key_terms.len() <= 20);
    assert_eq!(a.estimated_reading_time, 1);
    let names: Vec<&str> = a.topics.iter().map(|t| t.name.as_str()).collect();
    assert!(
        names
            .iter()
            .any(|n| n.to_lowercase().contains("magnetic field")),
        "{names:?}"
    );
    for t in &a.topics {
        assert!((0.0..=1.0).contains(&t.importance));
        assert!(t.coverage > 0.0 && t.coverage <= 100.0);
        assert!(t.pages.windows(2).all(|w| w[0] < w[1]));
    }
    for (i, x) in a.topics.iter().enumerate() {
        for y in &a.topics[i + 1..] {
            assert!(!x.name.to_lowercase().contains(&y.name.to_lowercase()));
            assert!(!y.name.to_lowercase().contains(&x.name.to_lowercase()));
        }
    }
    assert!(
        a.topics
            .windows(2)
            .all(|w| w[0].importance >= w[1].importance)
    );
    assert!(a.objectives.iter().all(|o| o.id.starts_with("obj-")));
}

#[test]
fn empty_and_foreign_documents_do_not_panic() {
    let a = analyze(&Document::from_pages(vec![]));
    assert!(a.topics.is_empty());
    assert_eq!(a.estimated_reading_time, 1);
    let de = Document::from_pages(vec!["Die Topologie untersucht Räume. Ein topologischer Raum ist eine Menge mit einer Topologie. Offene Mengen bilden die Topologie.".into()]);
    assert!(!analyze(&de).topics.is_empty());
    let ru = Document::from_pages(vec![
        "Пакет устанавливается командой apt. Пакет содержит файлы. Команда apt обновляет пакет."
            .into(),
    ]);
    let _ = analyze(&ru);
}
