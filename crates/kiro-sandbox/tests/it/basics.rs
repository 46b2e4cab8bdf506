//! A program runs, prints, exits, and its result says how, under which isolation.

use kiro_sandbox::{Isolation, Source, Verdict};

use crate::support::{native, only_run, run};

#[test]
fn a_python_program_runs_and_its_output_comes_back() {
    let Some(sandbox) = native() else { return };
    let outcome = run(sandbox, "python3", "print('hello', 6 * 7)");
    let run = only_run(&outcome);
    assert_eq!(run.verdict, Verdict::Accepted, "{run:#?}");
    assert_eq!(run.stdout, "hello 42\n");
    assert_eq!(run.isolation, Isolation::Native);
    assert_eq!(run.usage.sources.wall_time, Source::Init);
    assert!(run.usage.peak_memory_bytes > 0);
}

#[test]
fn an_exit_status_is_reported_as_non_zero_exit() {
    let Some(sandbox) = native() else { return };
    let outcome = run(sandbox, "bash", "echo oops >&2; exit 3");
    let run = only_run(&outcome);
    assert_eq!(
        run.verdict,
        Verdict::NonZeroExit { exit_code: 3 },
        "{run:#?}"
    );
    assert_eq!(run.stderr, "oops\n");
    assert_eq!(outcome.verdict, Verdict::NonZeroExit { exit_code: 3 });
}
