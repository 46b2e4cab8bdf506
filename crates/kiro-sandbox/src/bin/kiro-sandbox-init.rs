//! `kiro-sandbox-init`: the helper the supervisor starts for every sandboxed run (see
//! `kiro_sandbox::init`). It is not meant to be run by hand.

fn main() -> std::process::ExitCode {
    kiro_sandbox::init::main()
}
