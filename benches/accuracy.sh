#!/usr/bin/env bash
# Accuracy on hand labels: classifies the development corpus excerpts, the
# seeds and the corpus PDFs with the release binary, then scores each set
# with `minutes-watch evaluate` against tests/labels/ (format: docs/labels.md).
#   bash benches/accuracy.sh [--verbose]
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared
[ -d "$shared/corpus/pages" ] || { echo "../shared is not present next to the repository" >&2; exit 1; }
cargo build --release --locked --quiet
bin=target/release/minutes-watch
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() {
    local name=$1; shift
    mkdir -p "$work/$name"
    for f in "$@"; do
        # Files that cannot be read (a scan, an encrypted PDF) leave no
        # document: their labels count as missed.
        "$bin" classify "$f" > "$work/$name/$(basename "$f").json" 2>/dev/null || rm -f "$work/$name/$(basename "$f").json"
    done
    echo "== $name"
    "$bin" evaluate "tests/labels/$name" "$work/$name" ${VERBOSE:-}
    echo
}
[ "${1:-}" = "--verbose" ] && VERBOSE=--verbose
run pages "$shared"/corpus/pages/[0-9]*.txt
run seeds "$shared"/seeds/*.txt
run pdf "$shared"/corpus/pdf/*.pdf
