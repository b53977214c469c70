// The scanner's decoding thread (DESIGN.md §3.4), started by app/src/adapters/qr_reader.rs only
// when the scanner opens and the browser has no BarcodeDetector for QR codes. It sits beside
// the decoder modules in /pkg/<build>/, so one build's worker never loads another's decoder.
//
// Each message is one RGBA frame, `{ id, width, height, pixels, fallback }`, with `pixels` (an
// ArrayBuffer) transferred, not copied. The answer is `{ id, found, pixels }`, `found` being the
// code's bytes or null. rqrr always runs; with `fallback` set, rxing (a module of its own, more
// than twice rqrr's size) is loaded on first need and tried when rqrr finds nothing or bytes that
// are not UTF-8. A decoder that traps answers `{ id, failed }`:
// its instance cannot be trusted afterwards, so the app replaces the whole worker.

import initPrimary, { decode as decodePrimary } from './decoder.js';

const primary = initPrimary({ module_or_path: new URL('./decoder_bg.wasm', import.meta.url) });
let fallback = null;

function loadFallback() {
  fallback ??= import('./decoder_fallback.js').then(async (module) => {
    await module.default({
      module_or_path: new URL('./decoder_fallback_bg.wasm', import.meta.url),
    });
    return module;
  });
  return fallback;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(bytes) {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

self.onmessage = async ({ data }) => {
  const { id, width, height, pixels, fallback: useFallback } = data;
  try {
    await primary;
    const frame = new Uint8Array(pixels);
    let found = decodePrimary(width, height, frame) ?? null;
    // rqrr returns the code's bytes as they are; a code in another character set (Shift_JIS,
    // Latin-1) is better read by rxing, which honours the set the code declares.
    if ((found === null || !isUtf8(found)) && useFallback) {
      const rxing = await loadFallback();
      found = rxing.decode(width, height, frame) ?? found;
    }
    self.postMessage({ id, found, pixels }, [pixels]);
  } catch (error) {
    self.postMessage({ id, failed: String(error) });
  }
};
