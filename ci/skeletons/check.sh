#!/usr/bin/env bash
# Runs each adapter skeleton in ci/skeletons/ through the external path:
# its own tests, then `mimispec run --impl` persistent over the whole corpus
# and --one-shot over a slice (the first cases of each op). Every case must
# come back unsupported, answered by the skeleton with the sizes of the
# bytes it decoded (report_check.py), and the run must end NOTHING TESTED
# (exit 2): a skeleton tests nothing until an op is filled in.
#
#   ci/skeletons/check.sh [python node rust java]   (default: all four)
#   MIMISPEC=path/to/mimispec ci/skeletons/check.sh   (default: builds the
#       workspace's debug binary with --locked, a no-op after cargo test)
#   ONE_SHOT_PER_OP=N   cases per op in the one-shot slice (default 2)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
case "$target" in /*) ;; *) target=$root/$target ;; esac
per_op=${ONE_SHOT_PER_OP:-2}
export PYTHONDONTWRITEBYTECODE=1
langs=("$@")
[ ${#langs[@]} -gt 0 ] || langs=(python node rust java)

if [ -z "${MIMISPEC:-}" ]; then
    cargo build --locked -q --manifest-path "$root/Cargo.toml" -p mimispec --bin mimispec
    MIMISPEC=$target/debug/mimispec
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$MIMISPEC" schema >"$work/schemas.json"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
need() {
    command -v "$1" >/dev/null && return 0
    echo "$1 is not installed; name the other skeletons to check only them (check.sh LANG...)" >"$log"
    return 1
}

# Runs the skeleton's own tests and builds it (output kept in $log, shown on
# failure); sets $impl, the --impl command.
prepare() {
    local log=$work/$1-prepare.txt
    case "$1" in
    python)
        need python3 || return 1
        # The interpreter itself, not a version manager's shim: one-shot
        # mode starts it once per case.
        python=$(python3 -c 'import sys; print(sys.executable)')
        (cd "$here/python" && "$python" -m unittest -q test_adapter) >"$log" 2>&1 || return 1
        impl="$(printf %q "$python") $(printf %q "$here/python/adapter.py")"
        ;;
    node)
        need node || return 1
        (cd "$here/node" && node --test adapter.test.js) >"$log" 2>&1 || return 1
        impl="node $(printf %q "$here/node/adapter.js")"
        ;;
    rust)
        local manifest=("--manifest-path" "$here/rust/Cargo.toml" "--target-dir" "$target/skeleton-rust")
        { cargo test --locked -q "${manifest[@]}" && cargo build --locked -q "${manifest[@]}"; } >"$log" 2>&1 || return 1
        impl=$(printf %q "$target/skeleton-rust/debug/mimispec-adapter-skeleton")
        ;;
    java)
        need javac || return 1
        mkdir -p "$work/java"
        { javac -Xlint:all -Werror -d "$work/java" "$here/java/Adapter.java" "$here/java/AdapterTest.java" &&
            java -cp "$work/java" AdapterTest; } >"$log" 2>&1 || return 1
        impl="java -cp $(printf %q "$work/java") Adapter"
        ;;
    *)
        echo "no skeleton $1 (python, node, rust, java)" >"$log"
        return 1
        ;;
    esac
}

# One mimispec run of a skeleton; its report is checked case by case.
run() {
    local lang=$1 mode=$2 status start
    shift 2
    start=$(now)
    set +e
    "$MIMISPEC" run --impl "$impl" --json "$work/$lang-$mode.json" "$@" >"$work/$lang-$mode.txt" 2>&1
    status=$?
    set -e
    # Every case answered unsupported tests nothing: mimispec says so and
    # exits 2 (the JSON report is still written).
    if [ "$status" -ne 2 ] || ! grep -q '^result: NOTHING TESTED (every case sent was answered unsupported)' "$work/$lang-$mode.txt"; then
        echo "$lang $mode: FAILED: mimispec exited $status, not 2 with NOTHING TESTED; its output:" >&2
        tail -n 60 "$work/$lang-$mode.txt" >&2
        return 1
    fi
    local verdict
    verdict=$(python3 "$here/report_check.py" check "$work/$lang-$mode.json" "$work/schemas.json" "$lang $mode") || return 1
    echo "$verdict in $(since "$start")"
}

passed=0 failed=()
for lang in "${langs[@]}"; do
    start=$(now)
    if ! prepare "$lang"; then
        echo "$lang: FAILED: its own tests or build:" >&2
        tail -n 60 "$work/$lang-prepare.txt" >&2
        failed+=("$lang tests")
        continue
    fi
    passed=$((passed + 1))
    echo "$lang: own tests and build ok in $(since "$start")"
    if ! run "$lang" persistent; then
        failed+=("$lang persistent")
        continue
    fi
    passed=$((passed + 1))
    filters=()
    while IFS= read -r id; do filters+=(--filter "$id"); done \
        < <(python3 "$here/report_check.py" slice "$work/$lang-persistent.json" "$per_op")
    if run "$lang" one-shot --one-shot "${filters[@]}"; then
        passed=$((passed + 1))
    else
        failed+=("$lang one-shot")
    fi
done
# The plain closing line CI logs are read for.
echo "skeletons: $passed passed, ${#failed[@]} failed"
if [ ${#failed[@]} -gt 0 ]; then
    echo "check.sh: FAILED: ${failed[*]}" >&2
    exit 1
fi
