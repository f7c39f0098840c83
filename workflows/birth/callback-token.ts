/**
 * Per-step callback tokens: `<base64url(step key)>.<base64url(HMAC-SHA-256(secret, "birth-callback\n" + key))>`.
 * The token names the step it may answer and proves the hub issued it; a forged or altered token names no
 * step. The secret derives from the hub's operator secret (HUB_AUDIT_HMAC_KEY) by domain separation.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const mac = (secret: string, key: string) => createHmac('sha256', secret).update(`birth-callback\n${key}`, 'utf8').digest();

export function callbackToken(secret: string, stepKey: string): string {
  return `${Buffer.from(stepKey, 'utf8').toString('base64url')}.${mac(secret, stepKey).toString('base64url')}`;
}

/** The step key a token was issued for, or null when it is not one the hub issued. */
export function verifyCallbackToken(secret: string, token: string): string | null {
  const [encodedKey, signature, extra] = token.split('.');
  if (!encodedKey || !signature || extra !== undefined) return null;
  const key = Buffer.from(encodedKey, 'base64url').toString('utf8');
  const expected = mac(secret, key);
  const given = Buffer.from(signature, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected) ? key : null;
}
