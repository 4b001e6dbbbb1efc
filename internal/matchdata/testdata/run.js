// Runs the WebAssembly matcher in Node.js as a browser would: instantiate
// match.wasm, load the match data, match one input; prints the times and
// the answer as JSON.
//
//   node run.js GOROOT/lib/wasm/wasm_exec.js match.wasm match-data.gob input.txt
const fs = require('fs');
const [wasmExec, wasm, data, input] = process.argv.slice(2);
const t0 = performance.now();
require(wasmExec); // defines globalThis.Go
const go = new Go();
WebAssembly.instantiate(fs.readFileSync(wasm), go.importObject).then(({ instance }) => {
  go.run(instance);
  const t1 = performance.now();
  const err = globalThis.errorcanonLoad(new Uint8Array(fs.readFileSync(data)));
  if (err) {
    console.error(err);
    process.exit(1);
  }
  const t2 = performance.now();
  const out = globalThis.errorcanonMatch(fs.readFileSync(input, 'utf8'), 'en', 3);
  const t3 = performance.now();
  const again = globalThis.errorcanonMatch(fs.readFileSync(input, 'utf8'), 'en', 3);
  const t4 = performance.now();
  console.log(JSON.stringify({
    instantiate_ms: t1 - t0, load_ms: t2 - t1, first_match_ms: t3 - t2, first_answer_ms: t3 - t0,
    next_match_ms: t4 - t3, same: again === out, answer: JSON.parse(out),
  }));
  process.exit(0);
});
