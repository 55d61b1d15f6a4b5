#!/usr/bin/env bash
# Measures minutes-watch side by side with reference tools, in one run, on
# the same files, and prints every figure as a ratio to its reference:
#   1. PDF to document JSON (`minutes-watch classify`) vs `pdftotext`, corpus PDFs
#   2. text minutes to document JSON vs `wc -w` (reading the bytes once)
#   3. the daemon end to end (latency, backlog throughput, peak memory, idle CPU)
#   4. the pure stages in MB/s on one core (criterion)
# Usage: benches/compare.sh [--quick]   (--quick: smaller backlog, shorter idle)
# Needs ../shared beside the repository; installs poppler-utils if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

shared=../shared
if [ ! -d "$shared/seeds" ]; then
    echo "SKIPPED: $shared/seeds not found beside the repository" >&2
    exit 0
fi
if ! command -v pdftotext >/dev/null 2>&1; then
    echo "installing poppler-utils for pdftotext..." >&2
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null
    else sudo apt-get update -qq && sudo apt-get install -y -qq poppler-utils >/dev/null; fi
fi
quick=0; [ "${1:-}" = "--quick" ] && quick=1

cargo build --release --quiet
bin=target/release/minutes-watch
[ -n "${CARGO_TARGET_DIR:-}" ] && bin="$CARGO_TARGET_DIR/release/minutes-watch"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "minutes-watch $($bin --version | awk '{print $2}'), $(pdftotext -v 2>&1 | head -1)"
echo

now() { date +%s.%N; }
# Median of three timed runs of a command over every file given.
time3() {
    local cmd=$1; shift
    local runs=()
    for _ in 1 2 3; do
        local t0; t0=$(now)
        for f in "$@"; do eval "$cmd \"\$f\"" >/dev/null 2>&1 || true; done
        runs+=("$(awk -v a="$(now)" -v b="$t0" 'BEGIN {print a - b}')")
    done
    printf '%s\n' "${runs[@]}" | sort -g | sed -n 2p
}

shopt -s nullglob
pdfs=("$shared"/corpus/pdf/*.pdf)
if [ ${#pdfs[@]} -gt 0 ]; then
    ours=$(time3 "$bin classify" "${pdfs[@]}")
    # To standard output: pdftotext would otherwise write beside the input.
    pdftotext_stdout() { pdftotext -q -enc UTF-8 "$1" -; }
    ref=$(time3 "pdftotext_stdout" "${pdfs[@]}")
    printf 'PDF -> document JSON, %d corpus PDFs, one classify process per file: %.2f s vs pdftotext %.2f s = %.2f x (target <= 1.3 x)\n' \
        "${#pdfs[@]}" "$ours" "$ref" "$(awk -v a="$ours" -v b="$ref" 'BEGIN {print a / b}')"
    # One process for all files: start-up (compiling the taxonomy) paid once,
    # as the daemon pays it.
    batch() { "$bin" classify "${pdfs[@]}" >/dev/null 2>&1 || true; }
    runs=(); for _ in 1 2 3; do t0=$(now); batch; runs+=("$(awk -v a="$(now)" -v b="$t0" 'BEGIN {print a - b}')"); done
    ours_batch=$(printf '%s\n' "${runs[@]}" | sort -g | sed -n 2p)
    printf 'PDF -> document JSON, %d corpus PDFs, one classify process for all: %.2f s vs pdftotext %.2f s = %.2f x\n' \
        "${#pdfs[@]}" "$ours_batch" "$ref" "$(awk -v a="$ours_batch" -v b="$ref" 'BEGIN {print a / b}')"
fi

texts=("$shared"/seeds/*.txt)
ours=$(time3 "$bin classify" "${texts[@]}")
ref=$(time3 "wc -w" "${texts[@]}")
printf 'text -> document JSON, %d seed files: %.3f s vs wc -w %.3f s = %.1f x\n' \
    "${#texts[@]}" "$ours" "$ref" "$(awk -v a="$ours" -v b="$ref" 'BEGIN {print a / b}')"
echo

if [ $quick = 1 ]; then export BACKLOG=${BACKLOG:-1000} IDLE_SECS=${IDLE_SECS:-10} LATENCY_FILES=${LATENCY_FILES:-40}; fi
cargo bench --quiet --bench daemon
echo
cargo bench --quiet --bench stages -- --noplot 2>/dev/null | grep -E '^stages/|thrpt' || true
