#!/usr/bin/env bash
# Run mimispec against your implementation in CI. Copy this file into your
# repository and set the variables below (or pass them in the environment).
#
#   MIMISPEC_IMPL    the command that starts your adapter, e.g. "./target/release/my-adapter"
#   MIMISPEC_EXPECT  optional: your expectations file (known failures, error-map)
#   MIMISPEC_GIT     where to install mimispec from: a git URL (with MIMISPEC_REV,
#                    a tag or commit, to pin the suite and its corpus) ...
#   MIMISPEC_PATH    ... or a local checkout of mimispec
#   MIMISPEC_OUT     where reports go (default: mimispec-report)
#
# Exit status: 0 when nothing fails, 1 when a case fails, 2 when the run
# could not be made (bad flags, missing program, no hello).
set -euo pipefail
: "${MIMISPEC_IMPL:?set MIMISPEC_IMPL to the command that starts your adapter}"
out="${MIMISPEC_OUT:-mimispec-report}"
mkdir -p "$out"

# The corpus is built into the binary, so the revision installed pins it.
if ! command -v mimispec >/dev/null; then
    if [ -n "${MIMISPEC_GIT:-}" ]; then
        cargo install --locked --git "$MIMISPEC_GIT" ${MIMISPEC_REV:+--rev "$MIMISPEC_REV"} mimispec
    elif [ -n "${MIMISPEC_PATH:-}" ]; then
        cargo install --locked --path "$MIMISPEC_PATH/harness"
    else
        echo "mimispec-check: set MIMISPEC_GIT (and MIMISPEC_REV) or MIMISPEC_PATH" >&2
        exit 2
    fi
fi
mimispec --version

args=(run --impl "$MIMISPEC_IMPL" --json "$out/report.json" --junit "$out/junit.xml")
if [ -n "${MIMISPEC_EXPECT:-}" ]; then
    args+=(--expect "$MIMISPEC_EXPECT")
fi
exec mimispec "${args[@]}" "$@"
