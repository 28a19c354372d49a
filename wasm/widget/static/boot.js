// Afkar jury calculator: what the page needs before the engine runs.
//
// app.js calls instantiateEngine(imports) once. It
// - fetches afkar.wasm from the URL of <link id="engine-wasm"> (the hashed
//   URL widget.Handler writes, whose download the link started early),
//   else from afkar.wasm next to this file, and compiles it as it arrives;
// - shows the download's progress in #ready: #engine-progress (a
//   <progress>) and #engine-bytes (the percentage and the size of the
//   download, in the page's language: "16% · 1.1 MB"). The bytes counted
//   are the decompressed ones, so the total is the X-Uncompressed-Length
//   header that widget.Handler sets; the size shown is the compressed
//   Content-Length, what the network carries;
// - then registers the service worker (sw.js, next to this file, scope the
//   same folder), once the page has loaded, so that the worker's precache
//   finds the engine in the HTTP cache rather than downloading it again;
// - keeps #net-status up to date: data-online="true" or "false", and the
//   text of i18n key net.online or net.offline (in #net-state), with
//   net.cached (in #net-cached) shown while online once the page is saved
//   for offline use. The text follows the page's language: the spans carry
//   data-i18n, which app.js renders on every change of language.
//
// "Online" means that the server answers: a HEAD request for this file
// that bypasses the caches, made at start, when the browser says it is
// back online, when the page is shown again, and every 30 s while offline.
//
// Every element is optional: a page without them still gets its engine.

import { format } from "./i18n.js";

/** How often to try the server again while offline, in ms. */
const RETRY_OFFLINE_MS = 30_000;

/** Locales for byte counts, with Latin digits as used in Morocco (as app.js's times). */
const NUMBER_LOCALE = { ar: "ar-MA-u-nu-latn", fr: "fr-MA", en: "en-GB" };

/** This module's state: it starts once, whatever the number of calls. */
const boot = {
  started: false,
  online: null, // null until the first check
  cached: false, // the page is in a service worker's cache
  retry: 0, // the offline retry timer
  frame: 0, // the pending progress repaint
  received: 0,
  total: 0, // the plain engine's length, 0 when unknown
  wire: 0, // the download's length, compressed
};

const $ = (id) => document.getElementById(id);

const language = () => document.documentElement.lang || "ar";

/**
 * Fetches and compiles the engine with the Go runtime's imports, showing
 * the progress in #ready, and starts the service worker and the online
 * indicator. Resolves with the WebAssembly instance; rejects with an Error
 * whose message says what failed (an HTTP status, a compile error).
 */
export async function instantiateEngine(imports) {
  start();
  try {
    const url = $("engine-wasm")?.href || new URL("afkar.wasm", import.meta.url).href;
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${new URL(url).pathname}: HTTP ${response.status}`);
    const counted = withProgress(response);
    const streamable = (response.headers.get("content-type") || "").startsWith("application/wasm");
    if (streamable && WebAssembly.instantiateStreaming) {
      return (await WebAssembly.instantiateStreaming(counted, imports)).instance;
    }
    return (await WebAssembly.instantiate(await counted.arrayBuffer(), imports)).instance;
  } finally {
    whenLoaded(registerWorker);
  }
}

function start() {
  if (boot.started) return;
  boot.started = true;
  watchNetwork();
}

// ---------------------------------------------------------------------------
// Progress

/**
 * The response with a body that counts the bytes as they pass. The total
 * is the plain file's length: X-Uncompressed-Length, else Content-Length
 * when the body is not compressed, else unknown (0).
 */
function withProgress(response) {
  const headers = response.headers;
  const plain = Number(headers.get("X-Uncompressed-Length"));
  const length = headers.get("Content-Encoding") ? 0 : Number(headers.get("Content-Length"));
  boot.total = plain > 0 ? plain : length > 0 ? length : 0;
  boot.wire = Number(headers.get("Content-Length")) || boot.total;
  boot.received = 0;
  showProgress();
  if (!response.body || typeof TransformStream !== "function") return response;
  const counter = new TransformStream({
    transform(chunk, controller) {
      boot.received += chunk.byteLength;
      showProgress();
      controller.enqueue(chunk);
    },
  });
  return new Response(response.body.pipeThrough(counter), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/** Repaints the progress at most once a frame. */
function showProgress() {
  if (boot.frame) return;
  boot.frame = requestAnimationFrame(() => {
    boot.frame = 0;
    const bar = $("engine-progress");
    const text = $("engine-bytes");
    const { received, total } = boot;
    if (bar && total > 0) {
      bar.max = total;
      bar.value = Math.min(received, total);
    }
    if (text) {
      const lang = language();
      const size = megabytes(lang);
      text.textContent =
        total > 0 ? `${percent(lang).format(Math.min(received / total, 1))} · ${size.format(boot.wire / 1e6)}` : size.format(received / 1e6);
      text.dataset.received = String(received);
      text.dataset.total = String(total);
    }
  });
}

function megabytes(lang) {
  return numberFormat(lang, { style: "unit", unit: "megabyte", maximumFractionDigits: 1, minimumFractionDigits: 1 });
}

function percent(lang) {
  return numberFormat(lang, { style: "percent", maximumFractionDigits: 0 });
}

function numberFormat(lang, options) {
  try {
    return new Intl.NumberFormat(NUMBER_LOCALE[lang] || lang, options);
  } catch {
    return new Intl.NumberFormat("en-GB", options); // an odd lang attribute
  }
}

// ---------------------------------------------------------------------------
// Service worker

function whenLoaded(fn) {
  if (document.readyState === "complete") fn();
  else window.addEventListener("load", fn, { once: true });
}

async function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  try {
    await navigator.serviceWorker.register(new URL("sw.js", import.meta.url), { scope: new URL("./", import.meta.url).href });
  } catch (err) {
    // Not fatal: the page works online without it (a private window, say).
    console.warn("afkar: no offline copy:", err?.message || err);
    return;
  }
  await navigator.serviceWorker.ready;
  await checkCached();
  navigator.serviceWorker.addEventListener("controllerchange", checkCached);
}

/** Whether a cache holds the page: then it opens with no network. */
async function checkCached() {
  try {
    boot.cached = Boolean(await caches.match(new URL("./", import.meta.url).href));
  } catch {
    boot.cached = false; // storage refused
  }
  renderNetwork();
}

// ---------------------------------------------------------------------------
// Online indicator

function watchNetwork() {
  const check = () => probe().then(setOnline);
  window.addEventListener("online", check);
  window.addEventListener("offline", () => setOnline(false));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") check();
  });
  setOnline(navigator.onLine !== false);
  check();
}

/** Whether the server answers a request that no cache can answer for it. */
async function probe() {
  if (navigator.onLine === false) return false;
  try {
    const response = await fetch(new URL("boot.js", import.meta.url), { method: "HEAD", cache: "no-store" });
    return response.status < 500;
  } catch {
    return false;
  }
}

function setOnline(online) {
  boot.online = online;
  clearTimeout(boot.retry);
  if (!online) boot.retry = setTimeout(() => probe().then(setOnline), RETRY_OFFLINE_MS);
  renderNetwork();
}

function renderNetwork() {
  const node = $("net-status");
  if (!node || boot.online === null) return;
  node.dataset.online = String(boot.online);
  node.dataset.cached = String(boot.cached);
  const state = $("net-state");
  if (state) {
    state.dataset.i18n = boot.online ? "net.online" : "net.offline";
    state.textContent = format(language(), state.dataset.i18n);
  }
  const cached = $("net-cached");
  if (cached) {
    cached.textContent = format(language(), "net.cached");
    cached.hidden = !(boot.online && boot.cached);
  }
}
