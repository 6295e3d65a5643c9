#!/usr/bin/env bash
# Install Python trafilatura from PyPI into a throwaway virtual environment, run it
# on the pages of ../shared/data/extract, and score it beside Lagebild in one run.
#
#   tools/extract/run_trafilatura.sh [--data DIR] [--only NAME] [--limit N] [--fast]
#
# Outputs go to $OUT (default target/trafilatura-out); the venv to $VENV (default: a
# temporary folder removed at the end; set KEEP_VENV=1 to keep it for reuse).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="$root/../shared/data/extract"
args=()
eval_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --only|--limit) args+=("$1" "$2"); eval_args+=("$1" "$2"); shift 2 ;;
    --fast) args+=("$1"); shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
out="${OUT:-$root/target/trafilatura-out}"
venv="${VENV:-}"
if [ -z "$venv" ]; then
  venv="$(mktemp -d)/venv"
  [ "${KEEP_VENV:-0}" = 1 ] || trap 'rm -rf "$(dirname "$venv")"' EXIT
fi
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  # lxml_html_clean: trafilatura's justext fallback imports lxml.html.clean, which
  # lxml ships separately since 5.2.
  "$venv/bin/pip" install --quiet trafilatura lxml_html_clean
fi
"$venv/bin/python" "$here/run_trafilatura.py" --data "$data" --out "$out" "${args[@]}"
cd "$root"
cargo run --release --quiet -p lagebild-cli -- eval extract --data "$data" --compare "$out" "${eval_args[@]}"
