//! Running the `sikkerby` binary from the CLI's tests. Each test file uses part of it.
#![allow(dead_code)]

pub mod form_burst;

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// The binary with `--database-url url` and `args`, not started yet (add environment or pipes).
pub fn command(url: &str, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sikkerby"));
    command.arg("--database-url").arg(url).args(args);
    command
}

/// Runs `command` with `stdin` piped in and its output captured.
pub fn run_with_stdin(mut command: Command, stdin: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start sikkerby");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}
