//! Planning views as pure renderers: a project's Gantt chart and the team's utilisation
//! heat map as inline SVG, computed from the planning wire types alone (no routes or SDK
//! calls here), and the day spans both the web and the terminal Gantt draw.

pub mod gantt;
pub mod heatmap;
pub mod timeline;
