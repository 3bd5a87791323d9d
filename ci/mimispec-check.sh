#!/usr/bin/env bash
# Run mimispec against your implementation in CI. Copy this file into your
# repository and set the variables below (or pass them in the environment).
#
#   MIMISPEC_IMPL    the command that starts your adapter, e.g. "./target/release/my-adapter"
#   MIMISPEC_EXPECT  optional: your expectations file (known failures, error-map)
#   MIMISPEC_VERSION optional: the mimispec version to install (pins the corpus)
#   MIMISPEC_OUT     where reports go (default: mimispec-report)
#
# Exit status: 0 when nothing fails, 1 when a case fails, 2 when the run
# could not be made (bad flags, missing program, no hello).
set -euo pipefail
: "${MIMISPEC_IMPL:?set MIMISPEC_IMPL to the command that starts your adapter}"
out="${MIMISPEC_OUT:-mimispec-report}"
mkdir -p "$out"

if ! command -v mimispec >/dev/null; then
    if [ -n "${MIMISPEC_VERSION:-}" ]; then
        cargo install --locked mimispec --version "$MIMISPEC_VERSION"
    else
        cargo install --locked mimispec
    fi
fi
mimispec --version

args=(run --impl "$MIMISPEC_IMPL" --json "$out/report.json" --junit "$out/junit.xml")
if [ -n "${MIMISPEC_EXPECT:-}" ]; then
    args+=(--expect "$MIMISPEC_EXPECT")
fi
exec mimispec "${args[@]}" "$@"
