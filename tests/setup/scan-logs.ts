/**
 * Jest global teardown: after the whole run, every log line the hubs under test wrote (.data/test-logs) is
 * scanned for personal data. Any finding fails the run (non-zero exit) with the file and the masked finding.
 */
import fs from 'node:fs';
import path from 'node:path';
import { findPersonalData } from '../helpers/personal-data';

const LOG_DIR = path.resolve(__dirname, '..', '..', '.data', 'test-logs');

export default function scanLogs(): void {
  if (!fs.existsSync(LOG_DIR)) return;
  const findings: string[] = [];
  for (const file of fs.readdirSync(LOG_DIR).filter((name) => name.endsWith('.log'))) {
    for (const finding of findPersonalData(fs.readFileSync(path.join(LOG_DIR, file), 'utf8')))
      findings.push(`${file}: ${finding}`);
  }
  if (findings.length > 0) {
    throw new Error(`Personal data found in the logs of this test run:\n  ${findings.slice(0, 20).join('\n  ')}`);
  }
  process.stdout.write(`\nLog scan: no personal data in ${fs.readdirSync(LOG_DIR).length} log files of this run.\n`);
}
