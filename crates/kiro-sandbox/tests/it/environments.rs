//! The built-in environments run real programs; compiled ones compile once for all cases;
//! cases are judged exactly, ignoring whitespace, or by a checker; bad requests are refused
//! with every problem named.

use kiro_sandbox::{
    Comparison, ExecuteRequest, Limits, LimitsRequest, SandboxError, TestCase, TimeLimit, Verdict,
};

use crate::support::{has_environment, native, only_run, run};

fn case(stdin: &str, expected: &str) -> TestCase {
    TestCase {
        name: None,
        stdin: stdin.into(),
        expected_output: Some(expected.into()),
    }
}

fn request(
    environment: &str,
    source: &str,
    cases: Vec<TestCase>,
    comparison: Comparison,
) -> ExecuteRequest {
    ExecuteRequest {
        environment: environment.into(),
        source: source.into(),
        cases,
        limits: LimitsRequest::default(),
        comparison,
        args: Vec::new(),
        files: Default::default(),
    }
}

#[test]
fn node_and_bash_programs_run() {
    let Some(sandbox) = native() else { return };
    if has_environment(sandbox, "node") {
        let outcome = run(
            sandbox,
            "node",
            "console.log([1, 2, 3].map(x => x * 2).join(','))",
        );
        assert_eq!(only_run(&outcome).stdout, "2,4,6\n", "{outcome:#?}");
    }
    let outcome = run(
        sandbox,
        "bash",
        "echo $((6 * 7)) $(whoami 2>/dev/null || id -u) $PWD",
    );
    let run = only_run(&outcome);
    assert_eq!(run.verdict, Verdict::Accepted, "{run:#?}");
    assert!(run.stdout.starts_with("42 sandbox /work"), "{run:#?}");
}

#[test]
fn a_c_program_is_compiled_once_and_judged_on_each_case() {
    let Some(sandbox) = native() else { return };
    if !has_environment(sandbox, "c") {
        return;
    }
    let source = "#include <stdio.h>\nint main(void){long a,b; if(scanf(\"%ld %ld\",&a,&b)!=2) return 2; printf(\"%ld\\n\", a+b); return 0;}\n";
    let cases = vec![
        case("1 2", "3"),
        case("40 2\n", "42\n"),
        case("2 2", "5"),
        case("x", ""),
    ];
    let outcome = sandbox
        .execute(
            &request("c", source, cases, Comparison::IgnoreWhitespace),
            &(),
        )
        .unwrap();
    let compile = outcome.compile.as_ref().unwrap();
    assert_eq!(compile.verdict, Verdict::Accepted, "{compile:#?}");
    let verdicts: Vec<&Verdict> = outcome.cases.iter().map(|c| &c.verdict).collect();
    assert_eq!(
        verdicts,
        [
            &Verdict::Accepted,
            &Verdict::Accepted,
            &Verdict::WrongAnswer,
            &Verdict::NonZeroExit { exit_code: 2 }
        ]
    );
    // The worst case decides: a non-zero exit outranks a wrong answer.
    assert_eq!(outcome.verdict, Verdict::NonZeroExit { exit_code: 2 });
}

#[test]
fn a_c_compile_error_stops_before_any_case() {
    let Some(sandbox) = native() else { return };
    if !has_environment(sandbox, "c") {
        return;
    }
    let outcome = sandbox
        .execute(
            &request(
                "c",
                "int main( { return 0; }",
                vec![case("", "")],
                Comparison::Exact,
            ),
            &(),
        )
        .unwrap();
    assert_eq!(outcome.verdict, Verdict::CompilationError);
    assert!(outcome.cases.is_empty());
    assert!(outcome.compile.unwrap().stderr.contains("error"));
}

#[test]
fn crashes_are_runtime_errors_named_by_signal() {
    let Some(sandbox) = native() else { return };
    if !has_environment(sandbox, "c") {
        return;
    }
    let segv = run(
        sandbox,
        "c",
        "int main(void){ volatile int *p = 0; return *p; }",
    );
    assert_eq!(only_run(&segv).verdict, Verdict::signalled(11), "{segv:#?}");
    assert_eq!(
        only_run(&segv).verdict.description(),
        "Runtime Error (SIGSEGV)"
    );
    let abort = run(
        sandbox,
        "c",
        "#include <stdlib.h>\nint main(void){ abort(); }",
    );
    assert_eq!(only_run(&abort).verdict, Verdict::signalled(6));
    let fpe = run(
        sandbox,
        "c",
        "int main(int c, char **v){ volatile int z = c - 1; return 100 / z; }",
    );
    assert_eq!(only_run(&fpe).verdict, Verdict::signalled(8));
}

#[test]
fn a_rust_program_compiles_and_runs() {
    let Some(sandbox) = native() else { return };
    if !has_environment(sandbox, "rust") {
        return;
    }
    let source = "use std::io::Read;\nfn main() { let mut s = String::new(); std::io::stdin().read_to_string(&mut s).unwrap(); let n: u64 = s.trim().parse().unwrap(); println!(\"{}\", (1..=n).sum::<u64>()); }\n";
    let outcome = sandbox
        .execute(
            &request(
                "rust",
                source,
                vec![case("100", "5050")],
                Comparison::IgnoreWhitespace,
            ),
            &(),
        )
        .unwrap();
    assert_eq!(outcome.verdict, Verdict::Accepted, "{outcome:#?}");
}

#[test]
fn exact_comparison_is_byte_for_byte() {
    let Some(sandbox) = native() else { return };
    let source = "print(input().upper())";
    let outcome = sandbox
        .execute(
            &request(
                "python3",
                source,
                vec![case("ab", "AB\n"), case("ab", "AB")],
                Comparison::Exact,
            ),
            &(),
        )
        .unwrap();
    let verdicts: Vec<_> = outcome.cases.iter().map(|c| c.verdict.clone()).collect();
    assert_eq!(verdicts, [Verdict::Accepted, Verdict::WrongAnswer]);
    assert_eq!(outcome.verdict, Verdict::WrongAnswer);
}

#[test]
fn a_checker_script_judges_each_case_in_its_own_sandbox() {
    let Some(sandbox) = native() else { return };
    // Accept any output whose number is within 0.01 of the expected one.
    let checker = "import sys\nexp = float(open(sys.argv[2]).read())\ngot = float(open(sys.argv[3]).read() or 'nan')\nsys.exit(0 if abs(exp - got) < 0.01 else 1)\n";
    let comparison = Comparison::Checker {
        environment: "python3".into(),
        source: checker.into(),
    };
    let cases = vec![case("2", "1.4142"), case("9", "2.9")];
    let outcome = sandbox
        .execute(
            &request("python3", "print(float(input()) ** 0.5)", cases, comparison),
            &(),
        )
        .unwrap();
    let verdicts: Vec<_> = outcome.cases.iter().map(|c| c.verdict.clone()).collect();
    assert_eq!(
        verdicts,
        [Verdict::Accepted, Verdict::WrongAnswer],
        "{outcome:#?}"
    );
    assert!(outcome.cases.iter().all(|c| c.checker.is_some()));
}

#[test]
fn output_streams_to_the_sink_as_it_comes() {
    let Some(sandbox) = native() else { return };
    let seen = std::sync::Mutex::new(Vec::new());
    let sink = |stream: kiro_sandbox::Stream, chunk: &[u8]| {
        seen.lock().unwrap().push((stream, chunk.to_vec()))
    };
    let source = "import sys, time\nprint('one', flush=True)\ntime.sleep(0.2)\nprint('two', file=sys.stderr, flush=True)\n";
    let outcome = sandbox
        .execute(
            &request("python3", source, vec![], Comparison::default()),
            &sink,
        )
        .unwrap();
    assert_eq!(outcome.verdict, Verdict::Accepted);
    // Consecutive chunks of one stream merged: the order of arrival is what matters.
    let mut seen: Vec<(kiro_sandbox::Stream, Vec<u8>)> = seen.into_inner().unwrap();
    seen.dedup_by(|next, prev| {
        let same = next.0 == prev.0;
        if same {
            prev.1.extend_from_slice(&next.1);
        }
        same
    });
    assert_eq!(
        seen,
        [
            (kiro_sandbox::Stream::Stdout, b"one\n".to_vec()),
            (kiro_sandbox::Stream::Stderr, b"two\n".to_vec())
        ]
    );
}

#[test]
fn unknown_environments_limits_above_the_maxima_and_oversized_sources_are_refused() {
    let Some(sandbox) = native() else { return };
    let unknown = sandbox.execute(&request("cobol", "x", vec![], Comparison::default()), &());
    assert!(
        matches!(&unknown, Err(SandboxError::UnknownEnvironment { name, known }) if name == "cobol" && known.iter().any(|k| k == "python3")),
        "{unknown:?}"
    );
    let mut too_much = request(
        "python3",
        &"#".repeat(2 * 1024 * 1024),
        vec![],
        Comparison::default(),
    );
    too_much.limits.wall_time_ms = Some(Limits::DEFAULT_MAXIMUM.wall_time_ms + 1);
    too_much.limits.memory_bytes = Some(u64::MAX);
    match sandbox.execute(&too_much, &()) {
        Err(SandboxError::Invalid(problems)) => {
            let fields: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
            assert_eq!(
                fields,
                ["limits.wallTimeMs", "limits.memoryBytes", "source"]
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_custom_environment_is_validated_and_then_usable() {
    let Some(sandbox) = native() else { return };
    let mut custom = (*sandbox.environment("bash").unwrap()).clone();
    custom.name = "bash-strict".into();
    custom.run = vec!["/usr/bin/bash".into(), "-eu".into(), "{source}".into()];
    custom.default_limits.wall_time_ms = 1_000;
    sandbox.environments().insert(custom.clone()).unwrap();
    let outcome = run(sandbox, "bash-strict", "echo $UNSET_VARIABLE");
    assert_eq!(
        only_run(&outcome).verdict,
        Verdict::NonZeroExit { exit_code: 1 },
        "{outcome:#?}"
    );
    let slow = run(sandbox, "bash-strict", "sleep 5");
    assert_eq!(
        only_run(&slow).verdict,
        Verdict::TimeLimitExceeded {
            limit: TimeLimit::Wall
        }
    );
    custom.name = "bad".into();
    custom.runtime_paths = vec![sandbox.state_dir().to_path_buf()];
    assert!(matches!(
        sandbox.environments().insert(custom),
        Err(SandboxError::Invalid(_))
    ));
}

#[test]
fn a_network_allowlist_lets_through_only_its_ports() {
    let Some(sandbox) = native() else { return };
    let allowed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let other = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let (allowed_port, other_port) = (
        allowed.local_addr().unwrap().port(),
        other.local_addr().unwrap().port(),
    );
    let mut env = (*sandbox.environment("python3").unwrap()).clone();
    env.name = format!("python3-net-{allowed_port}");
    env.network = kiro_sandbox::Network::Allowlist {
        tcp_ports: vec![allowed_port],
    };
    sandbox.environments().insert(env.clone()).unwrap();
    let source = format!(
        "import socket\nfor port in [{allowed_port}, {other_port}]:\n    try:\n        socket.create_connection(('127.0.0.1', port), timeout=2).close()\n        print(port, 'connected')\n    except OSError as e:\n        print(port, 'refused')\n"
    );
    let outcome = run(sandbox, &env.name, &source);
    assert_eq!(
        only_run(&outcome).stdout,
        format!("{allowed_port} connected\n{other_port} refused\n"),
        "{outcome:#?}"
    );
    sandbox.environments().remove(&env.name);
}

#[test]
fn arguments_and_extra_files_reach_the_program() {
    let Some(sandbox) = native() else { return };
    if !has_environment(sandbox, "bash") {
        eprintln!("SKIPPED: bash is not installed");
        return;
    }
    let mut req = request(
        "bash",
        "echo \"$1-$2\"; cat data.txt",
        vec![case("", "a-b\nhello\n")],
        Comparison::Exact,
    );
    req.args = vec!["a".into(), "b".into()];
    req.files.insert("data.txt".into(), "hello\n".into());
    let outcome = sandbox.execute(&req, &()).unwrap();
    assert_eq!(outcome.verdict, Verdict::Accepted, "{outcome:?}");
    req.files.insert("../escape".into(), "x".into());
    match sandbox.execute(&req, &()) {
        Err(SandboxError::Invalid(problems)) => {
            assert!(
                problems.iter().any(|p| p.field == "files.../escape"),
                "{problems:?}"
            );
        }
        other => panic!("a path as a file name must be refused: {other:?}"),
    }
}
