// cxplan's sealed site: the service worker that opens it (see cxplan/publish/sealed.py).
// Every file of the site is stored encrypted under sealed/<name>, where <name> is the
// HMAC-SHA256 of its path. Once the unlock page has put the keys in IndexedDB, this
// worker answers every request inside its scope: it fetches the encrypted file, opens it
// with WebCrypto AES-GCM (the path is the additional data) and answers with its own
// Content-Type. Without keys it passes every request to the network, which holds only
// the unlock page. The keys are non-extractable CryptoKeys: no script can read them.
"use strict";

const SEAL = "cxplan-seal.json";
const WORKER = "cxplan-sw.js";
const SEALED = "sealed/";
const DATABASE = "cxplan-seal";
const STORE = "keys";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

self.addEventListener("install", (event) => event.waitUntil(self.skipWaiting()));
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function database() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function stored(action) {
  const db = await database();
  try {
    return await new Promise((resolve, reject) => {
      const store = db.transaction(STORE, "readwrite").objectStore(STORE);
      const request = action(store);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

const scope = () => new URL(self.registration.scope);
let keys = null;

// The keys for this site, or null. A navigation re-reads them and checks them against
// the published salt: a site sealed again (a new password) makes old keys worthless,
// and they are forgotten so that the unlock page shows.
async function currentKeys(navigation) {
  if (keys && !navigation) return keys;
  let found = (await stored((store) => store.get(scope().pathname))) || null;
  if (found && navigation) {
    let salt;
    try {
      const answer = await fetch(scope().href + SEAL, { cache: "no-cache" });
      salt = answer.ok ? (await answer.json()).salt : null;
    } catch (error) {
      salt = found.salt;  // offline: keep what we have
    }
    if (salt !== found.salt) {
      await stored((store) => store.delete(scope().pathname));
      found = null;
    }
  }
  keys = found;
  return found;
}

async function sealedName(opened, path) {
  const mac = await crypto.subtle.sign("HMAC", opened.names, encoder.encode(path));
  return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, "0")).join("");
}

// The file at `path` (relative to the site's root), opened: {type, body}, or null when
// the site has no such file.
async function open(opened, path) {
  const answer = await fetch(scope().href + SEALED + (await sealedName(opened, path)));
  if (!answer.ok) return null;
  const bytes = new Uint8Array(await answer.arrayBuffer());
  const plain = new Uint8Array(await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: bytes.subarray(0, 12), additionalData: encoder.encode(path) },
    opened.content, bytes.subarray(12)));
  const length = plain[0];
  return { type: decoder.decode(plain.subarray(1, 1 + length)), body: plain.subarray(1 + length) };
}

function respond(file, status) {
  return new Response(file.body, {
    status: status,
    headers: { "Content-Type": file.type, "Cache-Control": "no-store" },
  });
}

async function answer(request, path) {
  const opened = await currentKeys(request.mode === "navigate");
  if (!opened) return fetch(request);
  const wanted = path === "" || path.endsWith("/") ? path + "index.html" : path;
  const file = await open(opened, wanted);
  if (file) return respond(file, 200);
  if (path !== "" && !path.endsWith("/") && (await open(opened, path + "/index.html"))) {
    const url = new URL(request.url);
    url.pathname += "/";
    return Response.redirect(url.href, 301);
  }
  const missing = await open(opened, "404.html");
  if (missing) return respond(missing, 404);
  return new Response("", { status: 404 });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  const root = scope();
  if (request.method !== "GET" || url.origin !== root.origin) return;
  if (!url.pathname.startsWith(root.pathname)) return;
  let path;
  try {
    path = decodeURIComponent(url.pathname.slice(root.pathname.length));
  } catch (error) {
    return;
  }
  if (path === SEAL || path === WORKER || path.startsWith(SEALED)) return;
  event.respondWith(answer(request, path));
});
