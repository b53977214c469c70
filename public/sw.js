// tokhai's service worker. `cargo xtask` prepends BUILD (this build's id) and PRECACHE (every
// file of that build), so the list is never kept by hand.
//
// Strategy: the whole build is cached at install; requests for it are answered from the cache,
// and every app route gets the cached shell, so the app opens with no network. The page checks
// /sw.js (served no-cache) on each start and while it stays open; a new build installs beside
// the old one and waits. Until the person agrees to reload, the old worker keeps answering the
// open page from the old build's cache, so a screen it opens later still gets its own build's
// chunks, which the server no longer has. On "reload" the page tells the waiting worker to take
// over: it deletes the old cache, claims the page, and the page reloads into the new build. A
// build is never mixed with another. The API is never cached: submissions go through the
// app's outbox instead.

const CACHE = `tokhai-${BUILD}`;
const SHELL = '/index.html';

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // Files under /pkg/<build>/ never change under their name, so the copies the page has just
    // downloaded (in the HTTP cache) are this build's bytes: taking them from there means a
    // first visit downloads the shell once, not twice. Every other file is fetched afresh, not
    // revalidated: a build deployed within the same second as the last has the same
    // Last-Modified, and a 304 would put the older build's index.html into this build's cache.
    await cache.addAll(PRECACHE.map((url) => new Request(url, {
      cache: url.startsWith('/pkg/') ? 'default' : 'reload',
    })));
    // The first worker of a browser starts at once (no page runs another build); a later one
    // waits for the page's "take over".
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(
      names
        .filter((name) => name.startsWith('tokhai-') && name !== CACHE)
        .map((name) => caches.delete(name)),
    );
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(fromCache(SHELL, request));
  } else {
    event.respondWith(fromCache(request, request));
  }
});

async function fromCache(key, request) {
  const cached = await caches.match(key, { cacheName: CACHE });
  return cached || fetch(request);
}

// The page asks which build this worker serves, to offer a reload when it differs from its own,
// and tells a waiting worker to take over once the person agreed to reload.
self.addEventListener('message', (event) => {
  const type = event.data && event.data.type;
  if (type === 'build?' && event.source) {
    event.source.postMessage({ type: 'build', build: BUILD });
  } else if (type === 'take-over') {
    event.waitUntil(self.skipWaiting());
  }
});

// A tap on an exposure notification opens the alerts screen, in a window of the app if one is
// open.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(
    self.clients.matchAll({ type: 'window' }).then((windows) => {
      const open = windows.find((client) => 'navigate' in client);
      if (open) {
        return open.navigate('/alerts').then((client) => client && client.focus());
      }
      return self.clients.openWindow('/alerts');
    }),
  );
});
