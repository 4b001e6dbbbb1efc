#!/usr/bin/env bash
# Load test: starts `errorcanon serve` and nginx (serving the same entry
# page bytes) on 127.0.0.1, drives each with wrk at 64 connections for a
# bounded time, and writes the table into BENCHMARKS.md between the
# load-test markers. Installs wrk and nginx from Debian when missing (as
# root). Not run in CI: it takes about a minute and its figures depend on
# the machine.
#
#   scripts/load-test.sh                 # 10 s per row
#   DURATION=30s scripts/load-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-10s}"
CONNS=64
THREADS=2
PORT="${PORT:-18931}"
NGINX_PORT="${NGINX_PORT:-18932}"
ENTRY=/errors/git/not-a-git-repository/

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "load-test: install ${need[*]} (Debian: apt-get install ${need[*]})" >&2
    exit 1
  fi
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/errorcanon" ./cmd/errorcanon
# No rate limits (one client drives 64 connections); the cap on
# concurrent matches stays at its default; one log line in 1000.
"$work/errorcanon" serve --addr "127.0.0.1:$PORT" --match-rate 0 --search-rate 0 --mcp-rate 0 \
  --log-sample 1000 2>"$work/serve.log" &
serve_pid=$!
pids+=("$serve_pid")
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

# nginx serves the page's identity bytes, gzip'd ones when asked
# (gzip_static), as errorcanon does from memory.
mkdir -p "$work/root$ENTRY"
curl -sf "http://127.0.0.1:$PORT$ENTRY" -o "$work/root${ENTRY}index.html"
gzip -k -9 "$work/root${ENTRY}index.html"
cat >"$work/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  include /etc/nginx/mime.types;
  client_body_temp_path $work; proxy_temp_path $work; fastcgi_temp_path $work; uwsgi_temp_path $work; scgi_temp_path $work;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $work/root;
    gzip_static on;
  }
}
CONF
"$NGINX" -c "$work/nginx.conf" -p "$work"
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$NGINX_PORT$ENTRY" >/dev/null && break; sleep 0.1; done

cat >"$work/match.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/plain"
wrk.body = "Traceback (most recent call last):\n  File \"app.py\", line 1, in <module>\n    import yaml\nModuleNotFoundError: No module named 'yaml'\n"
LUA
cat >"$work/mcp.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
wrk.headers["Mcp-Protocol-Version"] = "2025-06-18"
wrk.body = '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"match_error","arguments":{"text":"fatal: not a git repository (or any of the parent directories): .git","limit":3}}}'
LUA
cat >"$work/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local errs = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %.0f %.2f %.2f %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errs, summary.requests))
end
LUA
# Combine a request script with the reporter.
script() { cat "$work/$1.lua" "$work/report.lua" >"$work/$1-run.lua"; echo "$work/$1-run.lua"; }
cp "$work/report.lua" "$work/get.lua"

rows=()
run() { # name url script [header]
  local name=$1 url=$2 s=$3 hdr=${4:-}
  local args=(-t "$THREADS" -c "$CONNS" -d "$DURATION" --timeout 5s -s "$(script "$s")")
  [ -n "$hdr" ] && args+=(-H "$hdr")
  local out
  out=$(wrk "${args[@]}" "$url" | grep '^RESULT')
  read -r _ rps p50 p99 errs total <<<"$out"
  rows+=("| $name | $rps | $p50 | $p99 | $errs of $total |")
  echo "$name: $rps req/s, p50 $p50 ms, p99 $p99 ms, errors $errs of $total" >&2
}
run "entry page (errorcanon)" "http://127.0.0.1:$PORT$ENTRY" get
run "entry page (nginx)" "http://127.0.0.1:$NGINX_PORT$ENTRY" get
run "entry page, gzip (errorcanon)" "http://127.0.0.1:$PORT$ENTRY" get "Accept-Encoding: gzip"
run "entry page, gzip (nginx)" "http://127.0.0.1:$NGINX_PORT$ENTRY" get "Accept-Encoding: gzip"
run "POST /api/v1/match (a traceback)" "http://127.0.0.1:$PORT/api/v1/match" match
run "/search?q=permission+denied" "http://127.0.0.1:$PORT/search?q=permission+denied" get
run "MCP tools/call match_error" "http://127.0.0.1:$PORT/mcp" mcp
rss=$(awk '/VmHWM/ {print $2, $3}' "/proc/$serve_pid/status")

table=$(cat <<TABLE
<!-- load-test: written by scripts/load-test.sh; do not edit by hand -->
Run of $(date -u +%Y-%m-%d) on $(nproc) CPUs (shared), wrk $THREADS threads, $CONNS connections, $DURATION per row, errorcanon and nginx on 127.0.0.1 in the same run:

| target | req/s | p50 ms | p99 ms | errors (non-2xx, socket) |
|---|---|---|---|---|
$(printf '%s\n' "${rows[@]}")

errorcanon's peak RSS over the run: $rss. Entry page, errorcanon / nginx: $(awk -v a="$(echo "${rows[0]}" | cut -d'|' -f3)" -v b="$(echo "${rows[1]}" | cut -d'|' -f3)" 'BEGIN{printf "%.2f", a/b}') identity, $(awk -v a="$(echo "${rows[2]}" | cut -d'|' -f3)" -v b="$(echo "${rows[3]}" | cut -d'|' -f3)" 'BEGIN{printf "%.2f", a/b}') gzip.
<!-- /load-test -->
TABLE
)
echo "$table"
if grep -q '<!-- load-test:' BENCHMARKS.md; then
  python3 - "$table" <<'PY'
import re, sys
p = "BENCHMARKS.md"
s = open(p).read()
s = re.sub(r"<!-- load-test:.*?<!-- /load-test -->", lambda m: sys.argv[1], s, flags=re.S)
open(p, "w").write(s)
PY
else
  printf '\n## Load test\n\n```sh\nscripts/load-test.sh      # DURATION=10s by default; installs wrk and nginx-light from Debian if missing\n```\n\n%s\n' "$table" >>BENCHMARKS.md
fi
