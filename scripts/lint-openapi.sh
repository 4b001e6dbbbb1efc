#!/usr/bin/env bash
# Lints the OpenAPI description the server publishes: builds errorcanon,
# starts `errorcanon serve` on a free port of 127.0.0.1, fetches
# /api/v1/openapi.json and lints it with Redocly CLI (npm package
# @redocly/cli, run through npx) and its "recommended" rules. Exits non-zero
# on any error the linter reports, or when the server does not come up.
#
# Needs: go, node and npm (npx), curl. The first run downloads @redocly/cli
# from the npm registry into npm's cache.
# Environment: REDOCLY_VERSION (default below), ERRORCANON_ARTIFACTS (when
# set, the fetched openapi.json is copied there).
set -euo pipefail
cd "$(dirname "$0")/.."

REDOCLY_VERSION="${REDOCLY_VERSION:-2.77.0}"
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1

work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/errorcanon" ./cmd/errorcanon

# Port 0: the kernel picks a free port; serve logs the address it bound.
"$work/errorcanon" serve --addr 127.0.0.1:0 --log-format json --skip-invalid 2>"$work/serve.log" &
pid=$!
addr=""
for _ in $(seq 1 100); do
  addr="$(sed -n 's/.*"msg":"listening","addr":"\([^"]*\)".*/\1/p' "$work/serve.log" | head -n1)"
  [ -n "$addr" ] && break
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 0.1
done
if [ -z "$addr" ]; then
  echo "lint-openapi: errorcanon serve did not start:" >&2
  cat "$work/serve.log" >&2
  exit 1
fi

curl -fsS "http://$addr/api/v1/openapi.json" -o "$work/openapi.json"
if [ -n "${ERRORCANON_ARTIFACTS:-}" ]; then
  mkdir -p "$ERRORCANON_ARTIFACTS" && cp "$work/openapi.json" "$ERRORCANON_ARTIFACTS/openapi.json"
fi

cat >"$work/redocly.yaml" <<'YAML'
extends:
  - recommended
YAML

echo "lint-openapi: linting http://$addr/api/v1/openapi.json with @redocly/cli@$REDOCLY_VERSION"
(cd "$work" && npx --yes "@redocly/cli@$REDOCLY_VERSION" lint --config redocly.yaml openapi.json)
