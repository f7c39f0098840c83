/**
 * What every log line leaves out: credential headers, redacted by path (pino's `redact`). Shared by the hub and
 * the sandbox departments, which log the same request shapes.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];
