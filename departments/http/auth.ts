/**
 * API-key authentication of a department's exchange API: `Authorization: Bearer <key>`.
 *
 * Contract: a request without the header, with another scheme or with a wrong key is answered 401
 * UNAUTHENTICATED (with `WWW-Authenticate: Bearer`); the key is compared in constant time and never logged.
 */
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { UnauthenticatedError } from './errors';

const digest = (value: string) => crypto.createHash('sha256').update(value, 'utf8').digest();

export function requireApiKey(apiKey: string): RequestHandler {
  const expected = digest(apiKey);
  return (req, res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    if (!match || !crypto.timingSafeEqual(digest(match[1]!), expected)) {
      res.set('WWW-Authenticate', 'Bearer realm="exchange"');
      next(new UnauthenticatedError());
      return;
    }
    next();
  };
}
