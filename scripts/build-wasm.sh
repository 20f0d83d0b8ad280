#!/usr/bin/env bash
# Builds rust-wasm/ with wasm-pack (--target web) into rust-wasm/pkg/{realtime,rest} (git-ignored),
# which the Vite app imports. Skips the build when no Rust source changed since the last one.
# Usage: scripts/build-wasm.sh [--force] [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
force=0 profile=--release
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    --dev) profile=--dev ;;
    *) die "unknown option '$arg' (known: --force --dev)" ;;
  esac
done

use_wasm_toolchain
PATH="$PWD/node_modules/.bin:$PATH" # wasm-opt from the npm 'binaryen' package
command -v wasm-pack >/dev/null || die "wasm-pack missing: run 'npm run setup' first"
command -v wasm-opt >/dev/null || die "wasm-opt missing: run 'npm ci' (package 'binaryen')"

out=rust-wasm/pkg
stamp=$out/.build-stamp
inputs=$(find rust-wasm/src rust-wasm/.cargo rust-wasm/Cargo.toml rust-wasm/Cargo.lock scripts/build-wasm.sh -type f -newer "$stamp" 2>/dev/null | head -n1 || true)
if ((force == 0)) && [[ -f $stamp && -z $inputs && $(cat "$stamp") == "$profile" ]]; then
  echo "wasm package up to date ($out)"
  exit 0
fi

# Two modules from one crate (Cargo features): the realtime client, which the lab's realtime
# scenarios and cold start load, and the REST client, loaded only when a REST scenario runs, so
# the realtime path never downloads REST.
build_module() { # <client> : rust-wasm/pkg/<client>/ably_<client>.{js,wasm}
  local client=$1 dir=$out/$1
  step "wasm-pack build $profile --target web --features $client (rust-wasm -> $dir)"
  wasm-pack build rust-wasm --target web --mode no-install "$profile" --out-dir "pkg/$client" \
    --out-name "ably_$client" --weak-refs -- --no-default-features --features "$client" \
    || die "wasm-pack build of the $client module failed (see above)"
  local wasm=$dir/ably_${client}_bg.wasm
  # A browser cannot satisfy imports from "env" (an unresolved C/libc symbol): fail here, not at load.
  node -e '
const m = new WebAssembly.Module(require("fs").readFileSync(process.argv[1]));
const bad = WebAssembly.Module.imports(m).filter((i) => i.module === "env");
if (bad.length) { console.error("wasm imports from env: " + bad.map((i) => i.name).join(", ")); process.exit(1); }
' "$wasm" || die "the $client wasm module imports from 'env' (see above)"
  printf 'wasm %s: %s bytes raw, %s bytes gzip -9\n' "$client" "$(stat -c %s "$wasm")" "$(gzip -9c "$wasm" | wc -c)"
}

rm -rf "$out" && mkdir -p "$out"
build_module realtime
build_module rest
echo "$profile" >"$stamp"
