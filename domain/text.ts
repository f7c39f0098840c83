/**
 * The text of a value that arrives as `unknown` (a department's record field, a JSON body, an error's extensions):
 * `String(value)` for strings, numbers, booleans, bigints and dates; JSON for other objects and arrays (where
 * `String` would give "[object Object]"); `fallback` for null, undefined and what JSON cannot show (functions, symbols).
 */
export function scalarText(value: unknown, fallback = ''): string {
  if (value === null || value === undefined) return fallback;
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      return value instanceof Date ? String(value) : (JSON.stringify(value) ?? fallback);
  }
}
