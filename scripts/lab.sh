#!/usr/bin/env bash
# `npm run lab`: sets up whatever is missing, builds the app, and runs the lab's main job
# headless in Debian's Chromium, printing the results (src/cli/lab.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
# Arguments first: a typo should not wait for the Rust toolchain, the wasm build and Vite.
bash scripts/setup.sh --skip-rust --skip-chromium --skip-firefox
LAB_CHECK_ARGS_ONLY=1 npx tsx src/cli/lab.ts "$@"
bash scripts/setup.sh
bash scripts/build-wasm.sh
if [[ " $* " == *" --test-"* ]]; then
  # The test-only flags run in the test build's harness page (src/cli/test-harness.ts).
  step "vite build (the test build, dist-e2e/)"
  npx vite build -c e2e/vite.config.ts --logLevel warn
else
  step "vite build"
  npx vite build --logLevel warn
fi
exec npx tsx src/cli/lab.ts "$@"
