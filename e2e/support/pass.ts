// Personal pass codes as a gate or another app reads them (docs/formats.md): base45 both ways,
// the credential's fields, and a code read off the screen with jsQR (a decoder that is not ours).
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { expect, type Locator } from '@playwright/test';

const BASE45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

export function base45(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 3) {
    const [c, d, e] = [...text.slice(i, i + 3)].map((char) => BASE45.indexOf(char));
    if (e === undefined) {
      bytes.push(c + d * 45);
    } else {
      const n = c + d * 45 + e * 2025;
      bytes.push(n >> 8, n & 0xff);
    }
  }
  return Buffer.from(bytes);
}

export function toBase45(bytes: Buffer): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 2) {
    if (i + 1 < bytes.length) {
      let n = bytes[i] * 256 + bytes[i + 1];
      for (let k = 0; k < 3; k++, n = Math.floor(n / 45)) text += BASE45[n % 45];
    } else {
      text += BASE45[bytes[i] % 45] + BASE45[Math.floor(bytes[i] / 45)];
    }
  }
  return text;
}

export async function readCode(qr: Locator): Promise<string> {
  await expect(qr).toBeVisible();
  let data = '';
  // The code is redrawn (each minute, and when the screen settles after a reload): a screenshot
  // that catches the image being replaced is taken again.
  await expect(async () => {
    const png = PNG.sync.read(await qr.screenshot({ timeout: 5_000 }));
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded, 'jsQR found the code').not.toBeNull();
    data = decoded!.data;
  }).toPass({ timeout: 20_000 });
  return data;
}

/// Splits a credential at the start of `bytes` (docs/formats.md): its length and fields.
export function credential(bytes: Buffer) {
  const holder = bytes[0];
  const keyLength = [0, 32, 33][holder];
  const nameAt = 23 + keyLength;
  const length = nameAt + 1 + bytes[nameAt];
  return {
    holder,
    keyId: bytes.readUInt16BE(13),
    validUntil: bytes.readUInt32BE(19),
    deviceKey: bytes.subarray(23, 23 + keyLength),
    name: bytes.subarray(nameAt + 1, length).toString('utf8'),
    nameAt,
    length,
  };
}

/// Fails when a decoded code holds the person's full name or any of their given names (with or
/// without diacritics, in any case), or any of `other` (year of birth, ID number, phone,
/// address). The family name alone is allowed: the masked name (`NGUYỄN T. H`) shows it, as the
/// venue's visitor list does.
export function expectNoPersonalData(code: string, fullName: string, other: string[]) {
  const bare = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/gi, 'd').toLowerCase();
  const decoded = [code, base45(code.slice(3)).toString('utf8')];
  const [, ...givenNames] = fullName.split(/\s+/);
  for (const text of decoded) {
    for (const word of [fullName, ...givenNames.filter((word) => word.length > 1)]) {
      for (const form of [word, word.toUpperCase()]) expect(text, `"${form}" in the code`).not.toContain(form);
      expect(bare(text), `"${word}" without diacritics in the code`).not.toContain(bare(word));
    }
    for (const value of other.filter(Boolean)) expect(text, `"${value}" in the code`).not.toContain(value);
  }
}
