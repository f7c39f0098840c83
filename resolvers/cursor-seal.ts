/**
 * Sealed cursors: a department's cursor usually encodes its sort key, which for people is the citizen ID, so a
 * hub cursor that carried it in clear would show citizen IDs to consumers that may not read them. Cursors are
 * therefore encrypted and authenticated (AES-256-GCM) under a key derived from the hub's secret.
 *
 * Contract: `seal(secret, text)` is deterministic (the IV is an HMAC of the text), so the same position always
 * has the same cursor; `unseal` returns null for anything not sealed by this hub with this secret.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';

const keys = new Map<string, { encryption: Buffer; iv: Buffer }>();

function keysFor(secret: string) {
  let found = keys.get(secret);
  if (!found) {
    const derive = (info: string) => Buffer.from(hkdfSync('sha256', secret, 'yilao-yixiao-hub', info, 32));
    found = { encryption: derive('cursor-encryption'), iv: derive('cursor-iv') };
    keys.set(secret, found);
  }
  return found;
}

export function seal(secret: string, text: string): string {
  const { encryption, iv: ivKey } = keysFor(secret);
  const iv = createHmac('sha256', ivKey).update(text, 'utf8').digest().subarray(0, 12);
  const cipher = createCipheriv('aes-256-gcm', encryption, iv);
  const sealed = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

export function unseal(secret: string, cursor: string): string | null {
  const raw = Buffer.from(cursor, 'base64url');
  if (raw.length < 29) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keysFor(secret).encryption, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
