#!/usr/bin/env bash
# Run mimispec against your implementation in CI: installs the suite version
# you name, runs it, writes every report. Used as is by the GitHub action
# (ci/github/action.yml) and the GitLab template (ci/gitlab/); copy it for
# any other CI.
#
#   MIMISPEC_IMPL     the command that starts your adapter (required)
#   MIMISPEC_SOURCE   which suite to install (required; it pins the corpus too):
#                       version:0.1.0             from the crates.io registry
#                       git:URL@REV               a git repository at a tag or commit
#                       path:DIR                  a checkout of mimispec
#   MIMISPEC_EXPECT   your expectations file (known failures, error map)
#   MIMISPEC_OUT      where the reports go (default: mimispec-report)
#   MIMISPEC_ROOT     where mimispec is installed (default: $HOME/.mimispec);
#                     cache this folder keyed on MIMISPEC_SOURCE
#   MIMISPEC_INSTALL_FLAGS  extra `cargo install` flags (e.g. --debug)
# Further arguments are passed to `mimispec run` (e.g. --filter, --one-shot).
#
# Writes report.json, junit.xml, report.html and summary.md to MIMISPEC_OUT,
# and appends summary.md to $GITHUB_STEP_SUMMARY when that is set.
# Exit status: mimispec's own: 0 nothing failed, 1 a case failed, 2 the run
# could not be made or tested nothing.
set -euo pipefail
: "${MIMISPEC_IMPL:?set MIMISPEC_IMPL to the command that starts your adapter}"
: "${MIMISPEC_SOURCE:?set MIMISPEC_SOURCE to version:X, git:URL@REV or path:DIR}"
out="${MIMISPEC_OUT:-mimispec-report}"
root="${MIMISPEC_ROOT:-$HOME/.mimispec}"
bin="$root/bin/mimispec"
stamp="$root/source"
read -r -a flags <<<"${MIMISPEC_INSTALL_FLAGS:-}"

install() {
    case "$MIMISPEC_SOURCE" in
    version:*)
        cargo install --locked --root "$root" "${flags[@]}" --version "${MIMISPEC_SOURCE#version:}" mimispec ;;
    git:*@*)
        local spec="${MIMISPEC_SOURCE#git:}"
        cargo install --locked --root "$root" "${flags[@]}" --git "${spec%@*}" --rev "${spec##*@}" mimispec ;;
    path:*)
        cargo install --locked --root "$root" "${flags[@]}" --path "${MIMISPEC_SOURCE#path:}/harness" ;;
    *)
        echo "mimispec-check: MIMISPEC_SOURCE=$MIMISPEC_SOURCE: use version:X, git:URL@REV or path:DIR" >&2
        exit 2 ;;
    esac
    printf '%s\n' "$MIMISPEC_SOURCE" >"$stamp"
}

# A cached install is reused only for the same source; a path is always
# reinstalled (the checkout may have changed; cargo skips what is fresh).
if [[ "$MIMISPEC_SOURCE" == path:* || ! -x "$bin" || "$(cat "$stamp" 2>/dev/null)" != "$MIMISPEC_SOURCE" ]]; then
    install
fi
"$bin" --version

mkdir -p "$out"
args=(run --impl "$MIMISPEC_IMPL" --json "$out/report.json" --junit "$out/junit.xml"
    --html "$out/report.html" --markdown "$out/summary.md")
if [ -n "${MIMISPEC_EXPECT:-}" ]; then
    args+=(--expect "$MIMISPEC_EXPECT")
fi
status=0
"$bin" "${args[@]}" "$@" || status=$?
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$out/summary.md" ]; then
    cat "$out/summary.md" >>"$GITHUB_STEP_SUMMARY"
fi
exit "$status"
