#!/usr/bin/env bash
# Build the JavaScript package: the crate for wasm32 (release), then wasm-bindgen's ES module
# glue into web/pkg/ (git-ignored). Needs the wasm32-unknown-unknown target and
# wasm-bindgen-cli at the version of the wasm-bindgen crate in Cargo.lock.
set -euo pipefail
cd "$(dirname "$0")"
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' ../Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ]; then
  echo "build.sh: wasm-bindgen-cli $want is needed (found: ${have:-none}); cargo install wasm-bindgen-cli --version $want" >&2
  exit 1
fi
cargo build --locked --release -p wgpu-resample-web --target wasm32-unknown-unknown
rm -rf pkg
wasm-bindgen --target web --out-dir pkg \
  ../target/wasm32-unknown-unknown/release/wgpu_resample_web.wasm
ls -l pkg
