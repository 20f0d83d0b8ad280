#!/usr/bin/env bash
# Rust checks for rust-wasm/: native tests (the core is sans-I/O, so they run without a browser),
# then formatting and clippy with rustup's toolchain when it is installed (required when CI is set).
# The wasm32 build itself is checked by scripts/build-wasm.sh (npm test runs it first).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
use_wasm_toolchain
cd rust-wasm
step "cargo test (native, $(rustc -V))"
cargo test --locked
if command -v rustup >/dev/null && rustup run stable cargo clippy --version >/dev/null 2>&1; then
  step "cargo fmt --check, cargo clippy (rustup stable)"
  # Clippy must compile every crate with rustup's rustc: with the wasm toolchain's rustc wrapper
  # first on PATH, dependencies would be built by Debian's rustc and clippy-driver would refuse
  # them (E0514). So: PATH without the wasm toolchain, RUSTC pinned, and an own target dir.
  (
    PATH=$(tr ':' '\n' <<<"$PATH" | grep -v '/wasm-rust/' | paste -sd:)
    export PATH RUSTC
    RUSTC=$(rustup which --toolchain stable rustc)
    rustup run stable cargo fmt --check || die "rust-wasm is not formatted: run 'cargo fmt' in rust-wasm/"
    CARGO_TARGET_DIR=target/clippy rustup run stable cargo clippy --locked --all-targets -- -D warnings
    # The wasm shell (src/wasm/) only exists for wasm32, which rustup's stable lacks (and the
    # wasm32 std built by Debian's rustc cannot load into rustup's clippy: E0514). Its crates
    # (wasm-bindgen, js-sys, web-sys) also compile natively, so `--cfg ably_lint_wasm` builds the
    # shell for the host, for clippy only. Own target dir: RUSTFLAGS differ.
    step "cargo clippy on the wasm shell (native, --cfg ably_lint_wasm)"
    CARGO_TARGET_DIR=target/clippy-shell RUSTFLAGS="--cfg ably_lint_wasm" \
      rustup run stable cargo clippy --locked --lib -- -D warnings
  )
elif [[ -n ${CI:-} ]]; then
  # CI requests clippy and rustfmt (.github/workflows/*.yml): missing there means a broken setup.
  die "rustup's clippy/rustfmt are not installed, and CI is set: lint must run in CI"
else
  echo "(rustup's clippy/rustfmt not installed: skipping fmt and clippy; with CI set this fails)"
fi
# The real wasm32 build, warnings denied (what clippy above cannot see: code behind other
# wasm32-only cfgs, wasm32 type sizes). Own target dir, so the release build's cache survives.
if [[ -d $(rustc --print target-libdir --target wasm32-unknown-unknown 2>/dev/null) ]]; then
  # Each module alone too (scripts/build-wasm.sh builds them apart): code one client needs but
  # the other's feature gates away shows up only there.
  for features in realtime,rest realtime rest; do
    step "cargo check --target wasm32-unknown-unknown --features $features, warnings denied"
    CARGO_TARGET_DIR=target/wasm-check RUSTFLAGS=-Dwarnings \
      cargo check --locked --lib --target wasm32-unknown-unknown --no-default-features --features "$features"
  done
else
  echo "(no wasm32 std for $(rustc -V): skipping the wasm32 check; run 'npm run setup')"
fi
