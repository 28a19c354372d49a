// Afkar's service worker: after one visit, the calculator opens and works
// with no network, in both modes. It follows the "offline cookbook"
// patterns (https://web.dev/articles/offline-cookbook):
//
// - install: precache every file of this version in a cache named after
//   the version. A file that an older version's cache holds under the same
//   hashed URL is copied from there, one that the HTTP cache holds (the
//   page has just downloaded most) is taken from there, the others are
//   fetched; each is checked against its SHA-256 (fetch's integrity
//   option), so that a cache never mixes two versions, and nothing is
//   downloaded twice. Then take over from the previous worker at once.
// - activate: delete the caches of other versions; control the open pages.
// - fetch:
//   - the page (a navigation to the scope, with any query, ?dataset= say)
//     from the cache, updated from the network in the background
//     (stale-while-revalidate). The update is kept only when the server
//     still serves this version; a newer one makes the browser fetch the
//     new worker, which precaches it.
//   - the other precached files from the cache first, whatever their ?v=:
//     the cache holds this version's, which the page was built with;
//   - same-origin .json files (datasets) from the network first, else from
//     the copy kept from the last success;
//   - everything else, and every method but GET, from the network as if
//     there were no worker.
//
// widget.Handler replaces the PRECACHE line with this version's list of
// files ({url, integrity}, URLs relative to this script; "./" is the page).
// Served as it is, the worker caches nothing and answers no request.

const PRECACHE = { version: "", files: [] };

/** Every cache of ours starts so; the version's cache is deleted with its version. */
const CACHE_PREFIX = "afkar-";
const CACHE = `${CACHE_PREFIX}${PRECACHE.version}`;
/** Datasets (.json) fetched by the page, one entry a URL, kept across versions. */
const DATA_CACHE = `${CACHE_PREFIX}datasets`;
/** At most this many datasets are kept; the least recently fetched go first. */
const DATA_LIMIT = 32;

const SCOPE = new URL("./", self.location.href);
const PAGE = SCOPE.href;
/** The paths of the precached files, but the page's. */
const PRECACHED = new Set(PRECACHE.files.map((f) => new URL(f.url, SCOPE).pathname).filter((path) => path !== SCOPE.pathname));

self.addEventListener("install", (event) => {
  if (!PRECACHE.version) return;
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      if (PRECACHE.version) {
        for (const name of await caches.keys()) {
          if (name.startsWith(CACHE_PREFIX) && name !== CACHE && name !== DATA_CACHE) await caches.delete(name);
        }
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  if (!PRECACHE.version) return;
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== SCOPE.origin) return;
  if (request.mode === "navigate") {
    if (url.pathname === SCOPE.pathname || url.pathname === `${SCOPE.pathname}index.html`) event.respondWith(servePage(event));
  } else if (PRECACHED.has(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (url.pathname.endsWith(".json")) {
    event.respondWith(networkFirst(event));
  }
});

/**
 * Fills this version's cache, or deletes it and fails, so that a later
 * attempt starts afresh and the previous version stays in charge.
 */
async function precache() {
  const cache = await caches.open(CACHE);
  try {
    await Promise.all(
      PRECACHE.files.map(async ({ url, integrity }) => {
        const key = new URL(url, SCOPE).href;
        const isPage = key === PAGE;
        // A hashed URL names its bytes: an older version's copy will do.
        let response = isPage ? undefined : await caches.match(key, { ignoreVary: true });
        // Else the HTTP cache's copy, where the page's own download left
        // it, under the hashed URL (afkar.wasm?v=…) or the plain one (a
        // module's import), if it has this version's digest.
        for (const candidate of isPage ? [] : [key, key.replace(/\?.*$/, "")]) {
          response ??= await fetch(candidate, { integrity, cache: "only-if-cached", mode: "same-origin" }).then(
            (r) => (r.ok ? r : undefined),
            () => undefined, // not in the HTTP cache, or another version
          );
        }
        // Else the network (the page always: it is revalidated).
        if (!response) {
          response = await fetch(key, { integrity, cache: isPage ? "no-cache" : "default" });
          if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        }
        await cache.put(key, response);
      }),
    );
  } catch (err) {
    await caches.delete(CACHE);
    throw err;
  }
}

/** The cached page at once; the network's copy, if still this version, for next time. */
async function servePage(event) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(PAGE, { ignoreVary: true });
  if (!cached) return fetch(event.request);
  event.waitUntil(refreshPage(cache));
  return cached;
}

async function refreshPage(cache) {
  let response;
  try {
    response = await fetch(PAGE, { cache: "no-cache" });
  } catch {
    return; // offline: the cached page stays
  }
  if (!response.ok) return;
  if (response.headers.get("X-Afkar-Version") === PRECACHE.version) {
    await cache.put(PAGE, response);
    return;
  }
  // Another version: its worker precaches its page and files.
  await self.registration.update().catch(() => {});
}

/** A precached file from this version's cache, any ?v= (else from the network). */
async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
  return cached || fetch(request);
}

/** A dataset from the network, kept for offline use; the kept copy when the network fails. */
async function networkFirst(event) {
  const request = event.request;
  const cache = await caches.open(DATA_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) event.waitUntil(keepDataset(cache, request, response.clone()));
    return response;
  } catch (err) {
    const cached = await cache.match(request, { ignoreVary: true });
    if (cached) return cached;
    throw err;
  }
}

async function keepDataset(cache, request, response) {
  await cache.put(request, response);
  const keys = await cache.keys(); // oldest first: put moves a URL to the end
  for (const old of keys.slice(0, Math.max(0, keys.length - DATA_LIMIT))) await cache.delete(old);
}
