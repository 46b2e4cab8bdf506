//! Planning in the terminal: the text Gantt chart (not yet reachable from the command
//! parser).

pub mod gantt;
