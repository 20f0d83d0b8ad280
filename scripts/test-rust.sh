#!/usr/bin/env bash
# Rust checks for rust-wasm/: native tests (the core is sans-I/O, so they run without a browser),
# then formatting and clippy with rustup's toolchain when it is installed.
# The wasm32 build itself is checked by scripts/build-wasm.sh (npm test runs it first).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
plain_path=$PATH # fmt and clippy run with rustup's toolchain, without the wasm toolchain first
use_wasm_toolchain
cd rust-wasm
step "cargo test (native, $(rustc -V))"
cargo test --locked
export PATH=$plain_path
if command -v rustup >/dev/null && rustup run stable cargo clippy --version >/dev/null 2>&1; then
  step "cargo fmt --check, cargo clippy (rustup stable)"
  rustup run stable cargo fmt --check || die "rust-wasm is not formatted: run 'cargo fmt' in rust-wasm/"
  # Own target dir: rustup's rustc and Debian's rustc must not share build artefacts.
  CARGO_TARGET_DIR=target/clippy rustup run stable cargo clippy --locked --all-targets -- -D warnings
else
  echo "(rustup's clippy/rustfmt not installed: skipping fmt and clippy)"
fi
