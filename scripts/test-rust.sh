#!/usr/bin/env bash
# Rust checks for rust-wasm/: native tests, and the crate compiling for wasm32.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
use_wasm_toolchain
cd rust-wasm
step "cargo test (native, $(rustc -V))"
cargo test --locked
step "cargo build --target wasm32-unknown-unknown (the core must build for the browser)"
cargo build --locked --lib --target wasm32-unknown-unknown
