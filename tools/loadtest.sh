#!/usr/bin/env bash
# Load test of `lagebild serve` on loopback: ingests the German 10kGNAD test split
# (1,028 articles) into a database, starts the server, and runs wrk (Debian package `wrk`) against
# a search page and an entity page (HTML and JSON), printing requests/s and p99.
#
#   tools/loadtest.sh                      # defaults below
#   DURATION=30s CONNECTIONS=32 tools/loadtest.sh
#
# Environment: LAGEBILD_BIN (default: target/release/lagebild, built if missing),
# CORPUS (default ../shared/data/corpus/tenkgnad), DB (default /tmp/lagebild-load.db,
# reused when present), QUERY (default Regierung), THREADS, CONNECTIONS, DURATION.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${LAGEBILD_BIN:-${CARGO_TARGET_DIR:-target}/release/lagebild}
CORPUS=${CORPUS:-../shared/data/corpus/tenkgnad}
DB=${DB:-/tmp/lagebild-load.db}
QUERY=${QUERY:-Regierung}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
DURATION=${DURATION:-15s}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
if [ ! -x "$BIN" ]; then
  echo "building $BIN ..." >&2
  cargo build --release -p lagebild-cli
fi
if [ ! -s "$DB" ]; then
  # `ingest` reads JSON Lines, not the corpus's `label;'text'` CSV: convert it. The
  # corpus has no dates; the articles are spread over 2024 (synthetic dates) so
  # that the time series of the entity pages have work to do.
  JSONL=$(mktemp --suffix=.jsonl)
  python3 - "$CORPUS/test.csv" >"$JSONL" <<'PY'
import csv, datetime, json, sys
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    for i, row in enumerate(csv.reader(f, delimiter=";", quotechar="'")):
        if len(row) != 2:
            continue
        day = datetime.date(2024, 1, 1) + datetime.timedelta(days=i % 366)
        print(json.dumps({"id": f"tenkgnad-test-{i}", "text": row[1], "source": row[0],
                          "published": day.isoformat(), "language": "de"}, ensure_ascii=False))
PY
  echo "ingesting $(wc -l <"$JSONL") articles of $CORPUS into $DB ..." >&2
  /usr/bin/time -f "ingest: %e s, %M KiB peak" "$BIN" ingest --db "$DB" "$JSONL"
  rm -f "$JSONL"
fi
"$BIN" stats --db "$DB"

LOG=$(mktemp)
"$BIN" serve --db "$DB" --addr 127.0.0.1:0 --rate-limit 0 >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 100); do
  grep -q 'http://' "$LOG" && break
  sleep 0.1
done
BASE=$(grep -o 'http://[0-9.:]*' "$LOG" | head -1)
[ -n "$BASE" ] || { cat "$LOG" >&2; exit 3; }
# The most mentioned entity (the heaviest entity page).
ENTITY=$(curl -s "$BASE/api/entities?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
echo "server $BASE, query '$QUERY', entity $ENTITY"

run() {
  local name=$1 url=$2
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url")
  local rps p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  printf '%-22s %10s req/s   p99 %8s   %s\n' "$name" "$rps" "$p99" "${non2xx:+non-2xx: $non2xx}"
}
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency"
run "search page" "$BASE/search?q=$QUERY"
run "search API" "$BASE/api/search?q=$QUERY"
run "entity page" "$BASE/entities/$ENTITY"
run "entity API" "$BASE/api/entities/$ENTITY"
