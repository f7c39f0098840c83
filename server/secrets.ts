/**
 * The hub's secret outside production: an operator who has not set HUB_AUDIT_HMAC_KEY (demo mode, tests) gets a
 * random secret made on first start and kept in a file only this user can read, so subject hashes and cursors
 * stay stable across restarts and no published key ever protects real-looking data. Production never comes here
 * (the configuration refuses to start without the operator's secret).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function localSecret(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // `wx`: when several processes start at once, one writes and the others read what it wrote.
    fs.writeFileSync(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return fs.readFileSync(file, 'utf8').trim();
}
