#!/usr/bin/env bash
# Regenerates reports/: the reference's conformance report against the
# corpus built in, then every interop library's page and the matrix
# (interop/run). Reports are generated, never edited by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run -q --release -p mimispec -- run --html reports/reference.html > reports/reference.txt
grep "^result:" reports/reference.txt
MIMISPEC=target/release/mimispec interop/run
