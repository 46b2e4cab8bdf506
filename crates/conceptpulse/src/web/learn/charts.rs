//! Charts drawn on the server as inline SVG (no JavaScript, no chart library): horizontal
//! bars (mastery bands, strengths and gaps) and lines over time (retention and scores).
//! Each chart has a `<title>` and a `<desc>` that states every value, and its labels and
//! values are text, so a screen reader or a text browser reads what the picture shows. The
//! geometry is computed here; the templates only place it (and escape every label).

use askama::Template;
use chrono::{DateTime, Utc};

/// Bar geometry, in SVG units.
const BAR_HEIGHT: u32 = 22;
const BAR_GAP: u32 = 10;
const LABEL_WIDTH: u32 = 170;
const BAR_AREA: u32 = 320;
const VALUE_WIDTH: u32 = 70;
/// Labels longer than this are shortened (the full text is in the bar's `<title>`).
const LABEL_CHARS: usize = 24;

/// Line chart geometry.
const LINE_WIDTH: u32 = 560;
const LINE_HEIGHT: u32 = 220;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 30.0;

/// One bar to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct BarInput {
    pub label: String,
    /// 0..=`max`.
    pub value: f64,
    pub text: String,
    /// A CSS class picking the bar's colour.
    pub class: &'static str,
}

/// One bar, placed.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub full: String,
    pub text: String,
    pub class: &'static str,
    pub y: u32,
    pub text_y: u32,
    pub width: u32,
    pub value_x: u32,
}

#[derive(Debug, Template)]
#[template(path = "learn/bar_chart.html")]
pub struct BarChart {
    pub id: &'static str,
    pub title: String,
    pub desc: String,
    pub width: u32,
    pub height: u32,
    pub label_width: u32,
    pub bar_height: u32,
    pub bars: Vec<Bar>,
}

/// `text` cut to `max` characters with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Horizontal bars of `items`, scaled so that `max` fills the bar area.
pub fn bars(id: &'static str, title: &str, items: &[BarInput], max: f64) -> BarChart {
    let placed: Vec<Bar> = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let i = u32::try_from(i).unwrap_or(u32::MAX / 64);
            let y = BAR_GAP + i * (BAR_HEIGHT + BAR_GAP);
            let share = if max > 0.0 {
                (item.value / max).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let width = (share * f64::from(BAR_AREA)).round() as u32;
            Bar {
                label: shorten(&item.label, LABEL_CHARS),
                full: item.label.clone(),
                text: item.text.clone(),
                class: item.class,
                y,
                text_y: y + BAR_HEIGHT / 2 + 5,
                width,
                value_x: LABEL_WIDTH + width + 6,
            }
        })
        .collect();
    let rows = u32::try_from(items.len()).unwrap_or(0).max(1);
    let desc = if items.is_empty() {
        "No data yet.".to_owned()
    } else {
        items
            .iter()
            .map(|i| format!("{}: {}", i.label, i.text))
            .collect::<Vec<_>>()
            .join("; ")
            + "."
    };
    BarChart {
        id,
        title: title.to_owned(),
        desc,
        width: LABEL_WIDTH + BAR_AREA + VALUE_WIDTH,
        height: BAR_GAP + rows * (BAR_HEIGHT + BAR_GAP),
        label_width: LABEL_WIDTH,
        bar_height: BAR_HEIGHT,
        bars: placed,
    }
}

/// A series of values 0–100 over time.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesInput {
    pub name: &'static str,
    pub class: &'static str,
    pub points: Vec<(DateTime<Utc>, f64)>,
}

/// A point, placed.
#[derive(Debug, Clone, PartialEq)]
pub struct Dot {
    pub x: String,
    pub y: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: &'static str,
    pub class: &'static str,
    /// `x,y x,y …` for a polyline.
    pub path: String,
    pub dots: Vec<Dot>,
}

/// An axis label.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub at: String,
    pub label: String,
}

#[derive(Debug, Template)]
#[template(path = "learn/line_chart.html")]
pub struct LineChart {
    pub id: &'static str,
    pub title: String,
    pub desc: String,
    pub width: u32,
    pub height: u32,
    pub left: String,
    pub right: String,
    pub bottom: String,
    pub label_y: String,
    pub series: Vec<Series>,
    pub y_ticks: Vec<Tick>,
    pub x_ticks: Vec<Tick>,
    pub empty: bool,
}

fn day(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}

fn percent(value: f64) -> String {
    format!("{}%", value.round())
}

/// Lines of `series` (values 0–100) over the time they span.
pub fn lines(id: &'static str, title: &str, series: &[SeriesInput]) -> LineChart {
    let (w, h) = (f64::from(LINE_WIDTH), f64::from(LINE_HEIGHT));
    let times: Vec<i64> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|(at, _)| at.timestamp()))
        .collect();
    let (first, last) = (
        times.iter().copied().min().unwrap_or(0),
        times.iter().copied().max().unwrap_or(0),
    );
    let plot_w = w - LEFT - RIGHT;
    let plot_h = h - TOP - BOTTOM;
    let x_of = |t: i64| -> f64 {
        if last == first {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * (t - first) as f64 / (last - first) as f64
        }
    };
    let y_of = |v: f64| -> f64 { TOP + plot_h * (1.0 - v.clamp(0.0, 100.0) / 100.0) };
    let placed: Vec<Series> = series
        .iter()
        .map(|s| {
            let dots: Vec<Dot> = s
                .points
                .iter()
                .map(|(at, v)| Dot {
                    x: format!("{:.1}", x_of(at.timestamp())),
                    y: format!("{:.1}", y_of(*v)),
                    label: format!("{} {}: {}", s.name, day(*at), percent(*v)),
                })
                .collect();
            Series {
                name: s.name,
                class: s.class,
                path: dots
                    .iter()
                    .map(|d| format!("{},{}", d.x, d.y))
                    .collect::<Vec<_>>()
                    .join(" "),
                dots,
            }
        })
        .collect();
    let y_ticks = [0.0, 50.0, 100.0]
        .iter()
        .map(|v| Tick {
            at: format!("{:.1}", y_of(*v)),
            label: percent(*v),
        })
        .collect();
    let empty = times.is_empty();
    let mut x_ticks = Vec::new();
    if !empty {
        let first_at = DateTime::from_timestamp(first, 0).unwrap_or_default();
        x_ticks.push(Tick {
            at: format!("{:.1}", x_of(first)),
            label: day(first_at),
        });
        if last != first {
            let last_at = DateTime::from_timestamp(last, 0).unwrap_or_default();
            x_ticks.push(Tick {
                at: format!("{:.1}", x_of(last)),
                label: day(last_at),
            });
        }
    }
    let desc = if empty {
        "No data yet.".to_owned()
    } else {
        series
            .iter()
            .map(|s| {
                let values = if s.points.is_empty() {
                    "no data yet".to_owned()
                } else {
                    s.points
                        .iter()
                        .map(|(at, v)| format!("{} {}", day(*at), percent(*v)))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                format!("{}: {values}", s.name)
            })
            .collect::<Vec<_>>()
            .join("; ")
            + "."
    };
    LineChart {
        id,
        title: title.to_owned(),
        desc,
        width: LINE_WIDTH,
        height: LINE_HEIGHT,
        left: format!("{LEFT:.1}"),
        right: format!("{:.1}", w - RIGHT),
        bottom: format!("{:.1}", h - BOTTOM),
        label_y: format!("{:.1}", h - 8.0),
        series: placed,
        y_ticks,
        x_ticks,
        empty,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: f64) -> BarInput {
        BarInput {
            label: label.into(),
            value,
            text: format!("{value}"),
            class: "band-learning",
        }
    }

    #[test]
    fn bars_scale_to_the_maximum_and_say_their_values() {
        let chart = bars(
            "c",
            "Bands",
            &[bar("Mastered", 4.0), bar("Learning", 1.0)],
            4.0,
        );
        assert_eq!(chart.bars[0].width, BAR_AREA);
        assert_eq!(chart.bars[1].width, BAR_AREA / 4);
        assert!(chart.bars[1].y > chart.bars[0].y);
        assert_eq!(chart.desc, "Mastered: 4; Learning: 1.");
        let empty = bars("e", "None", &[], 0.0);
        assert_eq!(empty.desc, "No data yet.");
        assert!(empty.height > 0);
    }

    #[test]
    fn long_labels_are_shortened_but_kept_whole_in_the_title() {
        let long = "a very long topic name that goes on and on";
        let chart = bars("c", "T", &[bar(long, 1.0)], 1.0);
        assert!(chart.bars[0].label.ends_with('…'));
        assert!(chart.bars[0].label.chars().count() <= LABEL_CHARS);
        assert_eq!(chart.bars[0].full, long);
    }

    #[test]
    fn labels_are_escaped_in_the_svg() {
        let chart = bars("c", "T", &[bar("<script>alert(1)</script>", 1.0)], 1.0);
        let svg = chart.render().unwrap_or_default();
        assert!(
            svg.contains("&#60;script&#62;") || svg.contains("&lt;script&gt;"),
            "{svg}"
        );
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("<title id=\"c-title\">T</title>"));
    }

    #[test]
    fn lines_span_the_time_range_and_read_as_text() {
        let t0 = DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        let t1 = t0 + chrono::Duration::days(2);
        let chart = lines(
            "r",
            "Retention",
            &[SeriesInput {
                name: "Retention",
                class: "retention",
                points: vec![(t0, 100.0), (t1, 50.0)],
            }],
        );
        let dots = &chart.series[0].dots;
        assert_eq!(dots[0].x, format!("{LEFT:.1}"));
        assert_eq!(dots[1].x, format!("{:.1}", f64::from(LINE_WIDTH) - RIGHT));
        assert_eq!(dots[0].y, format!("{TOP:.1}"), "100% at the top");
        assert_eq!(chart.x_ticks.len(), 2);
        assert_eq!(chart.desc, "Retention: 2023-11-14 100%, 2023-11-16 50%.");
        let none = lines("n", "None", &[]);
        assert!(none.empty);
        assert_eq!(none.desc, "No data yet.");
    }
}
