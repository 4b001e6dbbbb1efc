#!/usr/bin/env bash
# Drives `errorcanon mcp` (stdio) with the MCP Inspector's CLI mode, an
# outside client from the npm registry: tools/list, then a tools/call of
# match_error with a real Python traceback. Exits non-zero on any failure.
#
#   scripts/mcp-inspector.sh            # builds the binary into a temp dir
#   ERRORCANON_BIN=./errorcanon scripts/mcp-inspector.sh
#   INSPECTOR_VERSION=latest scripts/mcp-inspector.sh
#
# Needs go (unless ERRORCANON_BIN is set), node and npx; the first run
# downloads the inspector (about 40 s), later runs take a few seconds.
# The inspector is pinned so CI is reproducible; it asks for node >= 22
# but its CLI mode runs on Debian's node 20 (npm prints EBADENGINE
# warnings on stderr, which are ignored).
set -euo pipefail

cd "$(dirname "$0")/.."
version="${INSPECTOR_VERSION:-2.12.0}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

bin="${ERRORCANON_BIN:-}"
if [[ -z "$bin" ]]; then
  bin="$work/errorcanon"
  go build -o "$bin" ./cmd/errorcanon
fi

fail() {
  echo "mcp-inspector: FAIL: $1" >&2
  if [[ -n "${2:-}" && -f "$2" ]]; then
    echo "--- output:" >&2
    head -c 4000 "$2" >&2
    echo >&2
  fi
  exit 1
}

inspect() {
  # npx prints npm's warnings on stderr; the inspector prints the JSON
  # result on stdout.
  npx -y "@modelcontextprotocol/inspector@$version" --cli "$bin" mcp "$@"
}

start=$SECONDS

# 1. tools/list: every tool is there, with its input schema.
inspect --method tools/list >"$work/list.json" 2>"$work/list.err" || fail "tools/list exited $?" "$work/list.err"
for tool in match_error batch_match get_error search_errors list_domains list_errors get_related get_stats; do
  grep -q "\"name\": \"$tool\"" "$work/list.json" || fail "tools/list lacks $tool" "$work/list.json"
done
grep -q '"inputSchema"' "$work/list.json" || fail "tools/list has no input schemas" "$work/list.json"
grep -q '"outputSchema"' "$work/list.json" || fail "tools/list has no output schemas" "$work/list.json"

# 2. tools/call match_error with a traceback as Python 3.12 prints it.
trace='Traceback (most recent call last):
  File "/home/dev/app/main.py", line 3, in <module>
    from app.http import fetch
  File "/home/dev/app/app/http.py", line 1, in <module>
    import requests
ModuleNotFoundError: No module named '"'"'requests'"'"''
inspect --method tools/call --tool-name match_error --tool-arg "text=$trace" >"$work/call.json" 2>"$work/call.err" ||
  fail "tools/call match_error exited $?" "$work/call.err"
grep -q '"isError": true' "$work/call.json" && fail "match_error answered an error" "$work/call.json"
grep -q 'python/module-not-found-error' "$work/call.json" || fail "match_error did not find python/module-not-found-error" "$work/call.json"
grep -q "Don't (dead ends)" "$work/call.json" || fail "the answer lacks the dead ends" "$work/call.json"
grep -q 'Do (best first)' "$work/call.json" || fail "the answer lacks the workarounds" "$work/call.json"
grep -q '"structuredContent"' "$work/call.json" || fail "the answer lacks structured content" "$work/call.json"
grep -q '"matched": true' "$work/call.json" || fail "structured content does not say matched" "$work/call.json"

# 3. An unknown id is a tool error result (the inspector exits 5 and says
# tool_is_error), not a protocol failure or a dead server.
rc=0
inspect --method tools/call --tool-name get_error --tool-arg "id=python/no-such-entry" >"$work/bad.json" 2>"$work/bad.err" || rc=$?
[[ $rc -ne 0 ]] || fail "get_error with an unknown id succeeded" "$work/bad.json"
cat "$work/bad.json" "$work/bad.err" >"$work/bad.all"
grep -q 'tool_is_error' "$work/bad.all" || fail "get_error with an unknown id did not answer a tool error (exit $rc)" "$work/bad.all"

echo "mcp-inspector: ok (inspector $version, $((SECONDS - start)) s)"
