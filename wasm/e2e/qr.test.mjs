// The pure parts of ../widget/static/qr.js under Node (20 or later): the
// frame format, reassembly, and the hash and base64url it computes itself.
// TestQRNode in qr_test.go runs it; by hand, from this folder:
//
//	node --experimental-detect-module --test qr.test.mjs
//
// (qr.js is an ES module in a folder without a package.json, which Node
// before 22.7 reads as CommonJS unless told to detect the syntax.)
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";

const qr = await import("../widget/static/qr.js");
const { ChunkCollector, QRTransportError, encodeChunks, parseFrame, DEFAULT_MAX_CHUNK } = qr;

// rng is xorshift32, so that a failure repeats.
function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

// sheet is a juror's sheet of about 20 KB, in three scripts.
function sheet() {
  const r = rng(7);
  const scores = [];
  for (let i = 0; i < 120; i++) {
    scores.push({
      project: `P-${String(i).padStart(4, "0")}`,
      title: ["تعاونية أركان للنساء", "Coopérative d'élevage", "Solar dryers 🌞"][i % 3],
      scores: { social: (r() * 20).toFixed(1), economic: (r() * 20).toFixed(1), youth: String(Math.floor(r() * 21)) },
    });
  }
  return JSON.stringify({ judge: "J-07", stage: "dakhla", scores }, null, 1);
}

const sha8 = (text) => createHash("sha256").update(text, "utf8").digest("hex").slice(0, 8);

async function collect(frames) {
  const c = new ChunkCollector();
  for (const f of frames) assert.equal(c.add(f).error, null, f.slice(0, 30));
  return c.text();
}

test("a 20 KB sheet round-trips through frames in any order", async () => {
  const text = sheet();
  assert.ok(text.length > 15000, `sheet is ${text.length} characters`);
  const frames = await encodeChunks(text);
  assert.ok(frames.length > 1);
  for (const f of frames) {
    assert.ok(f.length <= DEFAULT_MAX_CHUNK, `frame of ${f.length}`);
    assert.match(f, /^AFK1:[0-9a-f]{8}:\d+\/\d+:z:[A-Za-z0-9_-]+$/);
  }
  assert.equal(parseFrame(frames[0]).setId, sha8(text));
  const shuffled = [...frames].reverse();
  shuffled.splice(2, 0, frames[3]);
  assert.equal(await collect(shuffled), text);
});

test("the SHA-256 computed here agrees with node:crypto", async () => {
  const r = rng(3);
  // Lengths around the 55/56/64-byte padding edges, and longer.
  for (const n of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 1000, 70000]) {
    let s = "";
    for (let i = 0; i < n; i++) s += String.fromCharCode(32 + Math.floor(r() * 95));
    const frames = await encodeChunks(s, { compress: false });
    assert.equal(parseFrame(frames[0]).setId, sha8(s), `length ${n}`);
  }
});

test("uncompressed, tiny, empty and awkward texts round-trip", async () => {
  const cases = {
    empty: "",
    one: "x",
    bom: "\uFEFF{\"a\":1}",
    arabic: "أفكار — حاسبة لجنة التحكيم",
    nul: "a\u0000b",
  };
  for (const [name, text] of Object.entries(cases)) {
    for (const compress of [true, false]) {
      const frames = await encodeChunks(text, { compress, maxChunk: 64 });
      assert.equal(await collect(frames), text, `${name}, compress ${compress}`);
    }
  }
  const plain = await encodeChunks(sheet(), { compress: false });
  assert.equal(parseFrame(plain[0]).method, "t");
  assert.equal(await collect(plain), sheet());
});

test("maxChunk bounds every frame, header included", async () => {
  const text = sheet();
  for (const maxChunk of [64, 100, 300, 500, 650, 2000]) {
    const frames = await encodeChunks(text, { maxChunk });
    for (const f of frames) assert.ok(f.length <= maxChunk, `${f.length} > ${maxChunk}`);
    // No frame is wasted: one frame fewer could not hold the payload.
    const n = frames.length;
    const payload = frames.map((f) => parseFrame(f).payload.length).reduce((x, y) => x + y);
    assert.ok(payload > (n - 1) * (maxChunk - 18 - 2 * String(n).length), `${n} frames for ${payload} characters`);
  }
  await assert.rejects(encodeChunks(text, { maxChunk: 63 }), RangeError);
  const big = "x".repeat(100000);
  await assert.rejects(encodeChunks(big + sheet().repeat(20), { maxChunk: 64, compress: false }), (e) => e.code === "too-large");
});

test("frames of another set are refused, repeats ignored, conflicts reported", async () => {
  const a = await encodeChunks(sheet(), { maxChunk: 200 });
  const b = await encodeChunks(sheet().replace("J-07", "J-08"), { maxChunk: 200 });
  const c = new ChunkCollector();
  assert.deepEqual(c.status(), { setId: null, have: 0, total: 0, done: false, error: null });
  c.add(a[0]);
  let st = c.add(a[0]);
  assert.equal(st.have, 1);
  assert.equal(st.error, null);
  st = c.add(b[1]);
  assert.equal(st.error.code, "other-set");
  assert.ok(st.error instanceof QRTransportError);
  assert.equal(st.setId, parseFrame(a[0]).setId);
  assert.equal(st.have, 1);
  st = c.add(a[0].slice(0, -1) + (a[0].endsWith("A") ? "B" : "A"));
  assert.equal(st.error.code, "conflict");
  assert.equal(st.have, 1);
  st = c.add("https://example.org/?dataset=x");
  assert.equal(st.error.code, "frame");
  await assert.rejects(c.text(), (e) => e.code === "incomplete");
  assert.deepEqual(c.missing().slice(0, 2), [2, 3]);
  for (const f of a) st = c.add(f);
  assert.ok(st.done);
  assert.equal(c.add(b[0]).error.code, "other-set", "a complete set is kept until reset()");
  assert.equal(await c.text(), sheet());
  c.reset();
  for (const f of b) st = c.add(f);
  assert.ok(st.done);
  assert.equal(await c.text(), sheet().replace("J-07", "J-08"));
});

test("a damaged set gives an error, never a wrong text", async () => {
  const text = sheet();
  for (const compress of [true, false]) {
    const frames = await encodeChunks(text, { compress, maxChunk: 300 });
    const r = rng(compress ? 11 : 12);
    const damaged = [];
    for (let k = 0; k < 60; k++) {
      const fs = [...frames];
      const i = Math.floor(r() * fs.length);
      const f = parseFrame(fs[i]);
      const head = fs[i].slice(0, fs[i].length - f.payload.length);
      const at = Math.floor(r() * f.payload.length);
      const ch = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[Math.floor(r() * 64)];
      if (ch === f.payload[at]) continue;
      fs[i] = head + f.payload.slice(0, at) + ch + f.payload.slice(at + 1);
      damaged.push(fs);
    }
    // Two payloads swapped, headers intact; a piece dropped; a piece doubled.
    const swap = [...frames];
    const p1 = parseFrame(swap[1]);
    const p2 = parseFrame(swap[2]);
    swap[1] = swap[1].slice(0, -p1.payload.length) + p2.payload;
    swap[2] = swap[2].slice(0, -p2.payload.length) + p1.payload;
    damaged.push(swap);
    const cut = [...frames];
    cut[0] = cut[0].slice(0, -4);
    damaged.push(cut);
    for (const fs of damaged) {
      const c = new ChunkCollector();
      for (const f of fs) c.add(f);
      await assert.rejects(c.text(), (e) => e instanceof QRTransportError && ["corrupt", "integrity"].includes(e.code),
        `compress ${compress}`);
    }
  }
});

test("maxBytes stops a decompression bomb", async () => {
  const frames = await encodeChunks("0".repeat(1 << 20));
  assert.ok(frames.length < 5, `${frames.length} frames`);
  const c = new ChunkCollector({ maxBytes: 1 << 16 });
  for (const f of frames) c.add(f);
  await assert.rejects(c.text(), (e) => e.code === "too-large");
});

test("parseFrame takes only well-formed frames", () => {
  assert.deepEqual(parseFrame(" AFK1:0123abcd:2/3:z:AbC-_9\n"), { setId: "0123abcd", index: 2, total: 3, method: "z", payload: "AbC-_9" });
  for (const bad of [
    "AFK1:0123abcd:4/3:z:AA", // past the end
    "AFK1:0123abcd:0/3:z:AA", // places start at 1
    "AFK1:0123abcd:01/3:z:AA", // no leading zero
    "AFK1:0123ABCD:1/3:z:AA", // lowercase hex
    "AFK1:0123abc:1/3:z:AA", // 8 digits
    "AFK1:0123abcd:1/3:x:AA", // unknown method
    "AFK1:0123abcd:1/3:z:A=", // no padding
    "AFK1:0123abcd:1/10000:z:AA", // at most 9999 frames
    "AFK2:0123abcd:1/3:z:AA",
    "https://example.org/",
  ]) {
    assert.equal(parseFrame(bad), null, bad);
  }
});
