/**
 * A small RFC 4180 CSV reader that keeps line numbers, and a JSON-array splitter that does the same, so that
 * every problem in a data file can be reported as file:line.
 *
 * CSV dialect: UTF-8 (an initial BOM is ignored), comma separator, double-quote quoting with "" for a quote,
 * LF or CRLF line ends, quoted fields may span lines. Each record is returned with the line it starts on and,
 * per field, whether it was quoted (an unquoted empty field means null, a quoted one the empty string).
 */

export interface CsvField {
  text: string;
  quoted: boolean;
}

export interface CsvRecord {
  line: number;
  fields: CsvField[];
}

export interface SyntaxProblem {
  line: number;
  message: string;
}

export function parseCsv(input: string): { records: CsvRecord[]; problems: SyntaxProblem[] } {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  const problems: SyntaxProblem[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const recordLine = line;
    const fields: CsvField[] = [];
    let broken = false;
    for (;;) {
      // One field.
      if (text[i] === '"') {
        i++;
        let value = '';
        let closed = false;
        while (i < n) {
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (c === '\n') line++;
          value += c;
          i++;
        }
        if (!closed) {
          problems.push({ line: recordLine, message: 'a quoted field is not closed' });
          return { records, problems };
        }
        fields.push({ text: value, quoted: true });
        if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          broken = true;
          while (i < n && text[i] !== '\n') i++;
        }
      } else {
        let j = i;
        while (j < n && text[j] !== ',' && text[j] !== '\n' && text[j] !== '\r') j++;
        const value = text.slice(i, j);
        if (value.includes('"')) broken = true;
        fields.push({ text: value, quoted: false });
        i = j;
      }
      if (i < n && text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') {
      i++;
      line++;
    }
    if (broken) {
      problems.push({
        line: recordLine,
        message: 'malformed CSV: a quote inside an unquoted field, or text after a closing quote',
      });
      continue;
    }
    // A blank line (no content at all) is not a record.
    if (fields.length === 1 && fields[0]!.text === '' && !fields[0]!.quoted) continue;
    records.push({ line: recordLine, fields });
  }
  return { records, problems };
}

/** Splits a JSON array text into its top-level elements, each with the line it starts on (not parsed yet). */
export function splitJsonArray(input: string): { elements: Array<{ line: number; text: string }>; problems: SyntaxProblem[] } {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const elements: Array<{ line: number; text: string }> = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  const skipSpace = () => {
    while (i < n && /\s/.test(text[i]!)) {
      if (text[i] === '\n') line++;
      i++;
    }
  };
  skipSpace();
  if (text[i] !== '[') return { elements, problems: [{ line, message: 'must be a JSON array of row objects' }] };
  i++;
  skipSpace();
  if (text[i] === ']') {
    i++;
    skipSpace();
    return { elements, problems: i < n ? [{ line, message: 'text after the closing ]' }] : [] };
  }
  while (i < n) {
    skipSpace();
    const start = i;
    const startLine = line;
    let depth = 0;
    let inString = false;
    for (; i < n; i++) {
      const c = text[i]!;
      if (c === '\n') line++;
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) break;
    }
    elements.push({ line: startLine, text: text.slice(start, i) });
    if (i >= n) return { elements, problems: [{ line, message: 'the JSON array is not closed' }] };
    if (text[i] === ']') {
      i++;
      skipSpace();
      return { elements, problems: i < n ? [{ line, message: 'text after the closing ]' }] : [] };
    }
    i++; // the comma
  }
  return { elements, problems: [{ line, message: 'the JSON array is not closed' }] };
}
