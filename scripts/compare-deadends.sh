#!/usr/bin/env bash
# Side by side with deadends.dev on the same inputs: its 2,522 published
# signatures and its 20 benchmark scenarios, through our matcher (the
# shipped catalog) and through its own lookup_all (its Python SDK, offline
# with its bundled data). Figures go to BENCHMARKS.md by hand.
#
#   scripts/compare-deadends.sh /path/to/deadends.dev   # a git checkout or bare mirror
#
# Nothing of the peer's is committed here; its data is read from the copy.
set -euo pipefail
src=${1:?usage: $0 PATH-TO-DEADENDS-REPOSITORY}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$src" archive HEAD data/canons generator benchmarks | tar -x -C "$tmp"

echo "== ErrorCanon (in-process, shipped catalog)"
DEADENDS_DIR="$tmp" go test ./internal/match -run TestPeerSideBySide -v -count=1 | sed -n 's/^ *peer_test.go:[0-9]*: //p'

echo "== deadends.dev lookup_all (in-process, its bundled data)"
python3 - "$tmp" <<'PY'
import glob, json, sys, time
root = sys.argv[1]
sys.path.insert(0, root)
from generator.lookup import lookup_all
sigs = [json.load(open(f))["error"]["signature"] for f in sorted(glob.glob(root + "/data/canons/**/*.json", recursive=True))]
t = time.perf_counter(); lookup_all("warm up"); load = time.perf_counter() - t
n = int(len(sigs) ** 0.5 * 6)  # a sample: a full pass takes minutes
t = time.perf_counter()
answered = sum(1 for s in sigs[::max(1, len(sigs) // n)] if lookup_all(s))
el, k = time.perf_counter() - t, len(sigs[::max(1, len(sigs) // n)])
print(f"peer signatures: {len(sigs)}; sample of {k}: {answered} answered; {el / k * 1e3:.1f} ms per call; first call (loading its data) {load * 1e3:.0f} ms")
PY
