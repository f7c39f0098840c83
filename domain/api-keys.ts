/**
 * API keys: 32 random bytes, shown once at creation; the hub stores only their SHA-256 (a key is high-entropy,
 * so a fast hash is enough and a lookup by hash needs no per-key salt).
 */
import { randomBytes } from 'node:crypto';
import { sha256 } from './digest';

const KEY_PREFIX = 'hub_';

export function newApiKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

export const hashApiKey = sha256;

/** What listings show of a key: enough to tell keys apart, too little to use. */
export function keyPrefixOf(key: string): string {
  return `${key.slice(0, 8)}…`;
}
