/**
 * Global setup: builds the web pages when their build is missing or older than their sources (so the browser tests
 * always test the code in the tree), and says once, on a machine without Chromium, that the browser tests are
 * skipped and how to enable them.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { browserAvailable, CHROMIUM_PATH } from '../helpers/chromium';

const ROOT = path.resolve(__dirname, '..', '..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(file) : fs.statSync(file).mtimeMs);
  }
  return newest;
}

export default function globalSetup(): void {
  const built = path.join(ROOT, 'web', 'dist', 'index.html');
  const sources = Math.max(newestMtime(path.join(ROOT, 'web', 'app')), fs.statSync(path.join(ROOT, 'vite.config.mts')).mtimeMs);
  if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < sources) {
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  }
  if (!browserAvailable()) {
    console.log(`Browser tests skipped: no Chromium at ${CHROMIUM_PATH}. Enable them with: apt-get install -y chromium`);
  }
}
