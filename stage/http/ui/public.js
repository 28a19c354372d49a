// The public page's check: the sealed dataset, ranked in this browser by
// the same engine compiled to WebAssembly, must give the sealed result
// byte for byte.
const main = document.querySelector("#public");
const status = document.querySelector("#recompute-status");
const slug = main.dataset.slug;

async function engine() {
  if (globalThis.afkar && afkar.evaluate) return;
  if (typeof globalThis.Go !== "function") throw new Error("the engine's loader (wasm_exec.js) is not served here");
  const go = new Go();
  const ready = new Promise((resolve) => window.addEventListener("afkar-ready", resolve, { once: true }));
  const response = await fetch("/widget/afkar.wasm");
  if (!response.ok) throw new Error("the engine (afkar.wasm) is not served here");
  const { instance } = await WebAssembly.instantiateStreaming(response, go.importObject);
  go.run(instance);
  await ready;
}

async function recompute() {
  status.textContent = "…";
  try {
    const [dataset, result] = await Promise.all([
      fetch(`/s/${slug}/dataset.json`).then((r) => r.text()),
      fetch(`/s/${slug}/result.json`).then((r) => r.text()),
    ]);
    await engine();
    const mine = afkar.evaluate(dataset);
    const same = mine === result;
    const digest = JSON.parse(mine).input_digest;
    status.dataset.same = String(same);
    status.dataset.digest = digest || "";
    status.textContent = same
      ? `recomputed here: identical, ${digest}`
      : `recomputed here: DIFFERENT (${digest})`;
  } catch (e) {
    status.dataset.same = "error";
    status.textContent = String(e.message || e);
  }
}

document.querySelector("#recompute").addEventListener("click", recompute);
