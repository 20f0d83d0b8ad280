#!/usr/bin/env bash
# Benchmark scripts that drive the lab (npm run bench:aa, npm run bench:sensitivity): sets up
# whatever is missing and builds the wasm package and the page once, like scripts/lab.sh, then
# runs the script, which starts the lab (src/cli/lab.ts) as often as it needs.
# Usage: scripts/bench-lab.sh SCRIPT.ts [its options]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
script=${1:?usage: scripts/bench-lab.sh SCRIPT.ts [options]}
shift
# Arguments first: a typo should not wait for the Rust toolchain, the wasm build and Vite.
bash scripts/setup.sh --skip-rust --skip-chromium
LAB_CHECK_ARGS_ONLY=1 npx tsx "$script" "$@"
bash scripts/setup.sh
bash scripts/build-wasm.sh
step "vite build"
npx vite build --logLevel warn
if [[ "$script" == *bench-sensitivity* ]]; then
  # Its slowed runs use the test-only knob, which runs in the test build (as scripts/lab.sh does
  # for --test-*): a stale dist-e2e/ would measure yesterday's harness.
  step "vite build (the test build, dist-e2e/)"
  npx vite build -c e2e/vite.config.ts --logLevel warn
fi
exec npx tsx "$script" "$@"
