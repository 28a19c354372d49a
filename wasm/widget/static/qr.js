// qr.js moves Afkar data between screens and phones by QR code, for a
// meeting with a poor network or none: the organiser's screen shows the
// stage's dataset (or a link to it), a juror's phone shows its sheet back.
//
// A text longer than one code is sent as a set of frames, each a QR code
// of its own:
//
//	AFK1:<setId>:<i>/<n>:<m>:<payload>
//
//	AFK1     the format and its version.
//	setId    the first 8 hex digits of the SHA-256 of the whole text, in
//	         UTF-8: frames of different texts are never mixed, and the
//	         reassembled text is checked against it.
//	i/n      this frame's place, 1 to n, and the number of frames, in
//	         decimal without leading zeros; n is at most 9999.
//	m        how the text's bytes were packed: "z" deflate-raw (RFC 1951)
//	         by CompressionStream, "t" as they are (no CompressionStream
//	         in the sender's browser, or compressing did not shrink them).
//	payload  the i-th piece of the base64url (RFC 4648 §5, no padding) of
//	         the packed bytes; the pieces, joined in order, are the whole.
//
// Each frame is ASCII, put in a byte-mode QR code at error correction
// level M. SHA-256 is computed here in JavaScript, not by crypto.subtle,
// which a page on a plain-http LAN address does not have: the receiver
// must check whatever the sender computed, in whatever context it runs.
//
// The QR encoder and decoder are @paulmillr/qr, vendored under vendor/
// (see vendor/*/README.md). The decoder (34 KB) is imported only when
// something is decoded.

import encodeQR from "./vendor/paulmillr-qr-0.3.0/index.js";

const DECODER = "./vendor/paulmillr-qr-0.3.0/decode.js";

/** FRAME_TAG starts every frame; it names the format and its version. */
export const FRAME_TAG = "AFK1";

/**
 * DEFAULT_MAX_CHUNK is the longest frame, in characters (bytes), that
 * encodeChunks makes unless told otherwise. 500 fits a version-17 code at
 * level M (504 bytes; 85×85 modules), which a phone's camera reads from a
 * laptop screen across a table.
 */
export const DEFAULT_MAX_CHUNK = 500;

/** DEFAULT_MAX_BYTES is the largest text, in UTF-8 bytes, that a ChunkCollector reassembles unless told otherwise (8 MiB). */
export const DEFAULT_MAX_BYTES = 8 << 20;

const MAX_FRAMES = 9999;
const HEADER_FIXED = 18; // "AFK1:" + 8 hex + ":" + "/" + ":" + m + ":"
const FRAME_RE = /^AFK1:([0-9a-f]{8}):([1-9][0-9]{0,3})\/([1-9][0-9]{0,3}):([zt]):([A-Za-z0-9_-]*)$/;

/**
 * QRTransportError is what this module throws, or reports, for bad input
 * and failed transfers. Its code says which, for a caller to translate:
 *
 * - "frame": the text is not an AFK1 frame.
 * - "other-set": the frame belongs to another set than the one being
 *   collected.
 * - "conflict": a frame repeats a place of the set with another payload.
 * - "incomplete": text() before every frame of the set came.
 * - "corrupt": the joined payload does not decode or decompress.
 * - "integrity": the reassembled text does not have the set's hash.
 * - "too-large": the text is past the collector's maxBytes, or needs more
 *   than 9999 frames.
 * - "unsupported": this browser lacks what the set needs
 *   (DecompressionStream for "z").
 * - "camera": the camera cannot be opened (it needs https or localhost).
 * - "image": decodeImage was given something that is not an image.
 */
export class QRTransportError extends Error {
  /**
   * @param {string} code one of the codes above
   * @param {string} message what happened, in English, lowercase
   * @param {{cause?: unknown}} [options]
   */
  constructor(code, message, options) {
    super(message, options);
    this.name = "QRTransportError";
    /** @type {string} */
    this.code = code;
  }
}

/**
 * @typedef {object} Frame
 * @property {string} setId 8 lowercase hex digits
 * @property {number} index this frame's place, 1 to total
 * @property {number} total the number of frames of the set
 * @property {"z"|"t"} method "z" deflate-raw, "t" uncompressed
 * @property {string} payload this frame's piece of the base64url text
 */

/**
 * parseFrame reads one frame, as a scanner returns it (surrounding white
 * space is ignored).
 *
 * @param {string} text
 * @returns {Frame|null} the frame, or null if text is not an AFK1 frame
 *   (a link, another app's code, a damaged read)
 */
export function parseFrame(text) {
  const m = FRAME_RE.exec(String(text).trim());
  if (!m) return null;
  const index = Number(m[2]);
  const total = Number(m[3]);
  if (index > total) return null;
  return { setId: m[1], index, total, method: /** @type {"z"|"t"} */ (m[4]), payload: m[5] };
}

/**
 * encodeChunks splits a text into frames (see the format at the top of
 * this file), ready for renderQR or showSequence. The text is compressed
 * with deflate-raw when the browser has CompressionStream and that makes
 * it shorter. The frames share their length, but for the first ones,
 * which may be one character longer.
 *
 * @param {string} text any well-formed Unicode text (lone surrogates do
 *   not survive UTF-8), typically JSON of 1 to 30 KB
 * @param {object} [options]
 * @param {number} [options.maxChunk] the longest frame, in characters,
 *   header included: DEFAULT_MAX_CHUNK (500) if not given; at least 64.
 *   Level M holds 412 bytes at version 15, 666 at version 20.
 * @param {boolean} [options.compress] false to send the text uncompressed,
 *   for receivers without DecompressionStream (Safari before 16.4);
 *   true if not given
 * @returns {Promise<string[]>} the frames, in order, 1/n first
 * @throws {QRTransportError} "too-large" if more than 9999 frames would
 *   be needed
 */
export async function encodeChunks(text, { maxChunk = DEFAULT_MAX_CHUNK, compress = true } = {}) {
  if (typeof text !== "string") throw new TypeError("encodeChunks: text must be a string");
  if (!Number.isInteger(maxChunk) || maxChunk < 64) {
    throw new RangeError(`encodeChunks: maxChunk must be an integer of at least 64, got ${maxChunk}`);
  }
  const raw = new TextEncoder().encode(text);
  const setId = sha256Hex(raw).slice(0, 8);
  let method = "t";
  let packed = raw;
  if (compress && typeof CompressionStream === "function") {
    const z = await pump(raw, new CompressionStream("deflate-raw"), Infinity);
    if (z.length < raw.length) {
      method = "z";
      packed = z;
    }
  }
  const payload = toBase64url(packed);
  // The header grows with the digits of n, and n with the header.
  let digits = 1;
  let n;
  for (;;) {
    const room = maxChunk - HEADER_FIXED - 2 * digits;
    n = Math.max(1, Math.ceil(payload.length / room));
    if (String(n).length <= digits) break;
    digits = String(n).length;
  }
  if (n > MAX_FRAMES) {
    throw new QRTransportError("too-large", `the text needs ${n} frames of ${maxChunk} characters; at most ${MAX_FRAMES}`);
  }
  const frames = [];
  // Spread the payload evenly: the first (length mod n) pieces get one more.
  const base = Math.floor(payload.length / n);
  const extra = payload.length % n;
  for (let i = 0, at = 0; i < n; i++) {
    const len = base + (i < extra ? 1 : 0);
    frames.push(`${FRAME_TAG}:${setId}:${i + 1}/${n}:${method}:${payload.slice(at, at + len)}`);
    at += len;
  }
  return frames;
}

/**
 * @typedef {object} CollectStatus
 * @property {string|null} setId the set being collected, null before the first frame
 * @property {number} have how many of its frames have come
 * @property {number} total how many it has (0 before the first frame)
 * @property {boolean} done whether every frame has come: text() may be called
 * @property {QRTransportError|null} error why this frame was not taken
 *   ("frame", "other-set" or "conflict"), or null
 */

/**
 * ChunkCollector reassembles a set of frames read in any order, with
 * repeats (a scanner reads the same code many times). It holds one set at
 * a time: once a frame is taken, frames of any other set are refused
 * ("other-set") until reset(), whether the set is complete or not, so a
 * finished set is never overwritten before it is read. The same data
 * encoded twice (another maxChunk, or without compression) is another set.
 *
 * A collector is for one page and one caller at a time.
 */
export class ChunkCollector {
  #maxBytes;
  /** @type {{setId: string, total: number, method: string, parts: (string|undefined)[], have: number}|null} */
  #set = null;

  /**
   * @param {object} [options]
   * @param {number} [options.maxBytes] the largest text, in UTF-8 bytes,
   *   that text() gives (a guard against a decompression bomb):
   *   DEFAULT_MAX_BYTES (8 MiB) if not given
   */
  constructor({ maxBytes = DEFAULT_MAX_BYTES } = {}) {
    this.#maxBytes = maxBytes;
  }

  /**
   * add takes one scanned frame. A repeat of a frame already taken changes
   * nothing and is not an error.
   *
   * @param {string} frameText the text of one QR code
   * @returns {CollectStatus} where the set stands, and why this frame was
   *   refused, if it was
   */
  add(frameText) {
    const f = parseFrame(frameText);
    if (!f) {
      return this.#status(new QRTransportError("frame", `not an ${FRAME_TAG} frame: ${preview(frameText)}`));
    }
    let s = this.#set;
    if (s && (f.setId !== s.setId || f.total !== s.total || f.method !== s.method)) {
      const state = s.have < s.total ? `is incomplete (${s.have} of ${s.total})` : "is complete: read it with text()";
      return this.#status(new QRTransportError("other-set",
        `frame ${f.index}/${f.total} of set ${f.setId} refused: set ${s.setId} ${state}, then call reset()`));
    }
    if (!s) {
      s = this.#set = { setId: f.setId, total: f.total, method: f.method, parts: new Array(f.total), have: 0 };
    }
    const old = s.parts[f.index - 1];
    if (old === undefined) {
      s.parts[f.index - 1] = f.payload;
      s.have++;
    } else if (old !== f.payload) {
      return this.#status(new QRTransportError("conflict",
        `frame ${f.index}/${f.total} of set ${f.setId} differs from the one already read; the first is kept`));
    }
    return this.#status(null);
  }

  /**
   * status tells where the set stands, without adding a frame.
   *
   * @returns {CollectStatus}
   */
  status() {
    return this.#status(null);
  }

  /**
   * missing lists the places, 1 to n, of the frames still to come.
   *
   * @returns {number[]}
   */
  missing() {
    const s = this.#set;
    if (!s) return [];
    const out = [];
    for (let i = 0; i < s.total; i++) if (s.parts[i] === undefined) out.push(i + 1);
    return out;
  }

  /** reset forgets the set, to collect another. */
  reset() {
    this.#set = null;
  }

  /**
   * text reassembles the set: joins the payloads, decodes base64url,
   * decompresses, checks the SHA-256 against the setId and decodes UTF-8
   * strictly. It reads the frames as they are when called: frames added
   * while it runs do not change its result.
   *
   * @returns {Promise<string>} the text, exactly as given to encodeChunks
   * @throws {QRTransportError} "incomplete", "corrupt", "integrity",
   *   "too-large" or "unsupported"; never a wrong text (but for a 2^-32
   *   chance of a hash collision on a damaged set)
   */
  async text() {
    const s = this.#set;
    if (!s) throw new QRTransportError("incomplete", "no frame has been read");
    if (s.have < s.total) {
      throw new QRTransportError("incomplete",
        `set ${s.setId}: ${s.have} of ${s.total} frames read; missing ${this.missing().join(", ")}`);
    }
    return unpack(s.setId, s.method, s.parts.join(""), this.#maxBytes);
  }

  /** @param {QRTransportError|null} error */
  #status(error) {
    const s = this.#set;
    return {
      setId: s ? s.setId : null,
      have: s ? s.have : 0,
      total: s ? s.total : 0,
      done: !!s && s.have === s.total,
      error,
    };
  }
}

async function unpack(setId, method, payload, maxBytes) {
  let bytes;
  try {
    bytes = fromBase64url(payload);
  } catch (e) {
    throw new QRTransportError("corrupt", `set ${setId}: the payload is not base64url: ${e.message}`, { cause: e });
  }
  if (method === "z") {
    if (typeof DecompressionStream !== "function") {
      throw new QRTransportError("unsupported",
        `set ${setId} is compressed and this browser has no DecompressionStream: ask the sender for an uncompressed set`);
    }
    try {
      bytes = await pump(bytes, new DecompressionStream("deflate-raw"), maxBytes);
    } catch (e) {
      if (e instanceof QRTransportError) throw e;
      throw new QRTransportError("corrupt", `set ${setId}: the payload does not decompress: ${e.message}`, { cause: e });
    }
  }
  if (bytes.length > maxBytes) {
    throw new QRTransportError("too-large", `set ${setId}: the text is over ${maxBytes} bytes`);
  }
  const got = sha256Hex(bytes).slice(0, 8);
  if (got !== setId) {
    throw new QRTransportError("integrity", `set ${setId}: the reassembled text has hash ${got}: a frame was misread`);
  }
  try {
    // ignoreBOM keeps a leading U+FEFF: the text comes back byte for byte.
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (e) {
    throw new QRTransportError("corrupt", `set ${setId}: the text is not UTF-8`, { cause: e });
  }
}

// pump runs bytes through a CompressionStream or DecompressionStream,
// failing with "too-large" as soon as the output passes limit bytes.
async function pump(bytes, stream, limit) {
  const reader = new Blob([bytes]).stream().pipeThrough(stream).getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      reader.cancel().catch(() => {});
      throw new QRTransportError("too-large", `the text is over ${limit} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function preview(text) {
  const s = String(text);
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

/**
 * renderQR draws one QR code: byte mode, error correction M unless told
 * otherwise, a quiet zone of 4 modules, black on white whatever the page's
 * theme (scanners need the contrast). Each module is a whole number of
 * device pixels, so the code stays sharp; its side is about size CSS
 * pixels.
 *
 * @param {string} text what the code holds (a frame, a link)
 * @param {object} [options]
 * @param {number} [options.size] the side in CSS pixels, about: 360 if not given
 * @param {"low"|"medium"|"quartile"|"high"} [options.ecc] the error
 *   correction level: "medium" (M, 15%) if not given
 * @param {boolean} [options.svg] true for an SVG element (scales without
 *   blur, for print), false or not given for a canvas
 * @param {string} [options.label] the accessible name (aria-label)
 * @returns {HTMLCanvasElement|SVGSVGElement} a new element with role="img"
 * @throws {Error} if text is too long for a QR code (2331 bytes at M)
 */
export function renderQR(text, { size = 360, ecc = "medium", svg = false, label } = {}) {
  const rows = encodeQR(String(text), "raw", { ecc, encoding: "byte", border: 4 });
  const m = rows.length;
  let el;
  if (svg) {
    el = svgCode(rows, size);
  } else {
    const dpr = globalThis.devicePixelRatio || 1;
    const scale = Math.max(1, Math.round((size * dpr) / m)); // device pixels a module
    el = document.createElement("canvas");
    el.width = el.height = m * scale;
    el.style.width = el.style.height = `${(m * scale) / dpr}px`;
    el.style.imageRendering = "pixelated";
    const ctx = el.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, m * scale, m * scale);
    ctx.fillStyle = "#000";
    runs(rows, (x, y, len) => ctx.fillRect(x * scale, y * scale, len * scale, scale));
  }
  el.setAttribute("role", "img");
  if (label) el.setAttribute("aria-label", label);
  el.dataset.modules = String(m);
  return el;
}

function svgCode(rows, size) {
  const NS = "http://www.w3.org/2000/svg";
  const m = rows.length;
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${m} ${m}`);
  svg.setAttribute("width", String(size));
  svg.setAttribute("height", String(size));
  svg.setAttribute("shape-rendering", "crispEdges");
  const bg = document.createElementNS(NS, "rect");
  bg.setAttribute("width", String(m));
  bg.setAttribute("height", String(m));
  bg.setAttribute("fill", "#fff");
  const path = document.createElementNS(NS, "path");
  let d = "";
  runs(rows, (x, y, len) => { d += `M${x} ${y}h${len}v1h-${len}z`; });
  path.setAttribute("d", d);
  path.setAttribute("fill", "#000");
  svg.append(bg, path);
  return svg;
}

// runs calls draw for each horizontal run of dark modules.
function runs(rows, draw) {
  for (let y = 0; y < rows.length; y++) {
    const row = rows[y];
    for (let x = 0; x < row.length;) {
      if (!row[x]) { x++; continue; }
      let end = x;
      while (end < row.length && row[end]) end++;
      draw(x, y, end - x);
      x = end;
    }
  }
}

/**
 * datasetLink is the link to show as a QR code for phones to open this
 * page with a dataset: page with ?dataset=<dataset> (other query
 * parameters kept, the fragment dropped).
 *
 * @param {string} dataset a path on this origin or a URL, as the page's
 *   ?dataset= parameter takes it
 * @param {string} [page] the page's address: location.href if not given
 * @returns {string}
 */
export function datasetLink(dataset, page = globalThis.location.href) {
  const u = new URL(page);
  u.hash = "";
  u.searchParams.set("dataset", dataset);
  return u.href;
}

/**
 * showSequence shows frames one after another in container, in a new
 * element (class "qr-sequence") with the code, an "i / n" line and three
 * buttons: previous, pause/play, next. Previous and next pause the
 * cycle, so the sender can hold a frame a phone keeps missing. One frame
 * is shown alone, without the line and buttons. Everything is built with
 * createElement and textContent.
 *
 * @param {Element} container where to append the sequence
 * @param {string[]} frames from encodeChunks, or any texts
 * @param {object} [options]
 * @param {number} [options.intervalMs] how long each code stays: 800 if
 *   not given (a phone decoding in JavaScript needs a few tries a code)
 * @param {number} [options.size] each code's side, as for renderQR
 * @param {{previous?: string, next?: string, pause?: string, play?: string}} [options.labels]
 *   the buttons' texts, translated by the caller; English if not given
 * @param {(i: number, n: number) => string} [options.count] the position
 *   line: `${i} / ${n}` if not given
 * @returns {() => void} stop: ends the cycle and removes the element
 */
export function showSequence(container, frames, { intervalMs = 800, size, labels = {}, count = (i, n) => `${i} / ${n}` } = {}) {
  const n = frames.length;
  if (n === 0) throw new RangeError("showSequence: no frames");
  const text = { previous: "Previous", next: "Next", pause: "Pause", play: "Play", ...labels };
  const root = document.createElement("div");
  root.className = "qr-sequence";
  const code = document.createElement("div");
  code.className = "qr-sequence-code";
  const line = document.createElement("p");
  line.className = "qr-sequence-count";
  const codes = new Array(n); // each rendered once, when first shown
  let i = 0;
  let playing = n > 1;
  let timer = 0;

  const show = () => {
    codes[i] ??= renderQR(frames[i], { size, label: count(i + 1, n) });
    code.replaceChildren(codes[i]);
    line.textContent = count(i + 1, n);
    root.dataset.index = String(i + 1);
  };
  const schedule = () => {
    clearTimeout(timer);
    if (playing) timer = setTimeout(() => { i = (i + 1) % n; show(); schedule(); }, intervalMs);
  };
  const button = (label, className, onClick) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  };
  const toggle = button(text.pause, "qr-sequence-toggle", () => setPlaying(!playing));
  const setPlaying = (p) => {
    playing = p;
    toggle.textContent = p ? text.pause : text.play;
    toggle.setAttribute("aria-pressed", String(!p));
    schedule();
  };
  const step = (d) => () => { i = (i + d + n) % n; show(); setPlaying(false); };

  root.append(code);
  if (n > 1) {
    const controls = document.createElement("div");
    controls.className = "qr-sequence-controls";
    controls.append(button(text.previous, "qr-sequence-previous", step(-1)), toggle, button(text.next, "qr-sequence-next", step(1)));
    root.append(line, controls);
    toggle.setAttribute("aria-pressed", "false");
  }
  container.append(root);
  show();
  schedule();
  return () => {
    playing = false;
    clearTimeout(timer);
    root.remove();
  };
}

/**
 * decodeImage reads a QR code from a picture: a photo or screenshot File
 * or Blob (from <input type=file accept=image/* capture=environment>,
 * which works without https), an ImageBitmap, or anything else
 * createImageBitmap takes (canvas, img, ImageData). It uses the browser's
 * BarcodeDetector when there is one with QR support, and the JavaScript
 * decoder otherwise or when that finds nothing, at a few sizes until one
 * reads (a 12 MP photo: 1200, 1020, 840, 2000 and 600 pixels a side).
 *
 * @param {Blob|ImageBitmap|CanvasImageSource|ImageData} source
 * @param {object} [options]
 * @param {boolean} [options.native] false to skip BarcodeDetector
 * @returns {Promise<string|null>} the first code's text, or null if no
 *   code could be read
 * @throws {QRTransportError} "image" if source is not a readable image
 */
export async function decodeImage(source, { native = true } = {}) {
  let bitmap = source;
  const own = !(typeof ImageBitmap === "function" && source instanceof ImageBitmap);
  if (own) {
    try {
      bitmap = await createImageBitmap(source);
    } catch (e) {
      throw new QRTransportError("image", `not a readable image: ${e.message}`, { cause: e });
    }
  }
  try {
    const detector = native ? await barcodeDetector() : null;
    if (detector) {
      try {
        const found = await detector.detect(bitmap);
        if (found.length) return found[0].rawValue;
      } catch { /* fall through to the JavaScript decoder */ }
    }
    const { decodeQR } = await import(DECODER);
    const long = Math.max(bitmap.width, bitmap.height);
    const base = Math.min(long, 1200);
    const sides = [...SCALES.map((k) => k * base), Math.min(long, 2000), 0.5 * base].map(Math.round);
    for (const side of new Set(sides)) {
      const text = tryDecode(decodeQR, pixels(bitmap, side / long));
      if (text !== null) return text;
    }
    return null;
  } finally {
    if (own) bitmap.close();
  }
}

/**
 * scanCamera reads QR codes from the back camera
 * (getUserMedia({video: {facingMode: "environment"}})) into video, about
 * fps times a second, and calls onFrame with the text of each code read,
 * skipping a code equal to the one read just before. It uses the
 * browser's BarcodeDetector when there is one with QR support, the
 * JavaScript decoder otherwise, on the picture scaled to at most 800
 * pixels a side, then 85% and 70% of that, in turn. The camera needs a secure context (https
 * or localhost): on a plain-http LAN address use decodeImage with a photo.
 *
 * @param {HTMLVideoElement} video where the camera's picture is shown
 * @param {(text: string) => (void|Promise<void>)} onFrame called with
 *   each code's text, and awaited; if it throws, scanning stops and the
 *   promise rejects with its error
 * @param {object} [options]
 * @param {AbortSignal} [options.signal] stops scanning and releases the camera
 * @param {number} [options.fps] reads a second: 8 if not given
 * @param {boolean} [options.native] false to skip BarcodeDetector
 * @returns {Promise<void>} resolves when scanning stopped (the signal, or
 *   the camera ended); the camera is released by then
 * @throws {QRTransportError} "camera" if the camera cannot be opened
 */
export async function scanCamera(video, onFrame, { signal, fps = 8, native = true } = {}) {
  if (signal?.aborted) return;
  const media = globalThis.navigator?.mediaDevices;
  if (!media?.getUserMedia) {
    throw new QRTransportError("camera", "no camera access on this page: it needs https or localhost; take a photo and use decodeImage");
  }
  let stream;
  try {
    stream = await media.getUserMedia({ video: { facingMode: "environment" }, audio: false });
  } catch (e) {
    throw new QRTransportError("camera", `the camera could not be opened: ${e.message}`, { cause: e });
  }
  try {
    if (signal?.aborted) return;
    video.muted = true;
    video.playsInline = true;
    video.setAttribute("playsinline", ""); // iOS Safari: no full-screen takeover
    video.srcObject = stream;
    try {
      await video.play();
    } catch (e) {
      throw new QRTransportError("camera", `the camera's picture could not be shown: ${e.message}`, { cause: e });
    }
    const detector = native ? await barcodeDetector() : null;
    const decodeQR = detector ? null : (await import(DECODER)).decodeQR;
    let last = null;
    let attempt = 0;
    while (!signal?.aborted && stream.active) {
      const started = performance.now();
      if (video.readyState >= 2 && video.videoWidth > 0) {
        let texts = [];
        if (detector) {
          try {
            texts = (await detector.detect(video)).map((c) => c.rawValue);
          } catch { /* a frame the detector could not take: try the next */ }
        } else {
          const long = Math.max(video.videoWidth, video.videoHeight);
          const side = Math.min(long, 800) * SCALES[attempt++ % SCALES.length];
          const text = tryDecode(decodeQR, pixels(video, side / long));
          if (text !== null) texts = [text];
        }
        for (const t of texts) {
          if (t === last) continue;
          last = t;
          await onFrame(t);
        }
      }
      await sleep(1000 / fps - (performance.now() - started), signal);
    }
  } finally {
    for (const track of stream.getTracks()) track.stop();
    if (video.srcObject === stream) video.srcObject = null;
  }
}

// SCALES are the sizes, relative to the first, at which the JavaScript
// decoder tries a picture in turn. @paulmillr/qr 0.3.0 misreads about 3 in
// 100 sharp codes at a given size (it finds a wrong alignment pattern and
// its cap() does not clamp at a minimum of 0, so it throws), and reads
// nearly all of them at one of three sizes: a steady phone pointed at a
// steady screen would otherwise never read such a frame.
const SCALES = [1, 0.85, 0.7];

let detectorPromise = null; // the one BarcodeDetector, built on first use

function barcodeDetector() {
  detectorPromise ??= (async () => {
    if (typeof globalThis.BarcodeDetector !== "function") return null;
    try {
      const formats = await globalThis.BarcodeDetector.getSupportedFormats();
      return formats.includes("qr_code") ? new globalThis.BarcodeDetector({ formats: ["qr_code"] }) : null;
    } catch {
      return null;
    }
  })();
  return detectorPromise;
}

// tryDecode returns the decoder's text, or null where it finds no code
// (the decoder throws then).
function tryDecode(decodeQR, image) {
  try {
    return decodeQR(image);
  } catch {
    return null;
  }
}

// pixels draws source scaled by scale and returns its RGBA pixels.
function pixels(source, scale) {
  const w = Math.max(1, Math.round((source.videoWidth || source.width) * scale));
  const h = Math.max(1, Math.round((source.videoHeight || source.height) * scale));
  let canvas;
  if (typeof OffscreenCanvas === "function") {
    canvas = new OffscreenCanvas(w, h);
  } else {
    canvas = document.createElement("canvas");
    canvas.width = w;
    canvas.height = h;
  }
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  ctx.drawImage(source, 0, 0, w, h);
  return ctx.getImageData(0, 0, w, h);
}

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener("abort", done, { once: true });
  });
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const B64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_VALUE[B64.charCodeAt(i)] = i;

function toBase64url(bytes) {
  const out = [];
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out.push(B64[v >> 18] + B64[(v >> 12) & 63] + B64[(v >> 6) & 63] + B64[v & 63]);
  }
  if (bytes.length - i === 1) {
    const v = bytes[i] << 16;
    out.push(B64[v >> 18] + B64[(v >> 12) & 63]);
  } else if (bytes.length - i === 2) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out.push(B64[v >> 18] + B64[(v >> 12) & 63] + B64[(v >> 6) & 63]);
  }
  return out.join("");
}

// fromBase64url decodes canonical unpadded base64url: a stray character,
// a length of 4k+1 or non-zero trailing bits are errors.
function fromBase64url(s) {
  if (s.length % 4 === 1) throw new Error(`length ${s.length} is not possible`);
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let j = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? B64_VALUE[c] : -1;
    if (v < 0) throw new Error(`character ${JSON.stringify(s[i])} at ${i}`);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (acc >> bits) & 0xff;
    }
  }
  if (acc & ((1 << bits) - 1)) throw new Error("non-zero trailing bits");
  return out;
}

// SHA-256 (FIPS 180-4), for the setId.
const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const ror = (x, n) => (x >>> n) | (x << (32 - n));

function sha256Hex(bytes) {
  const H = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const n = bytes.length;
  const buf = new Uint8Array(Math.ceil((n + 9) / 64) * 64);
  buf.set(bytes);
  buf[n] = 0x80;
  const dv = new DataView(buf.buffer);
  dv.setUint32(buf.length - 8, Math.floor(n / 0x20000000)); // the length in bits, big-endian
  dv.setUint32(buf.length - 4, (n * 8) >>> 0);
  const W = new Uint32Array(64);
  for (let off = 0; off < buf.length; off += 64) {
    for (let t = 0; t < 16; t++) W[t] = dv.getUint32(off + 4 * t);
    for (let t = 16; t < 64; t++) {
      const x = W[t - 15];
      const y = W[t - 2];
      W[t] = W[t - 16] + (ror(x, 7) ^ ror(x, 18) ^ (x >>> 3)) + W[t - 7] + (ror(y, 17) ^ ror(y, 19) ^ (y >>> 10));
    }
    let [a, b, c, d, e, f, g, h] = H;
    for (let t = 0; t < 64; t++) {
      const t1 = (h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + W[t]) | 0;
      const t2 = ((ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    H[0] += a;
    H[1] += b;
    H[2] += c;
    H[3] += d;
    H[4] += e;
    H[5] += f;
    H[6] += g;
    H[7] += h;
  }
  return Array.from(H, (w) => w.toString(16).padStart(8, "0")).join("");
}
