/**
 * Runs the hub as a real process (`node --import tsx server/main.ts`, what `npm start` runs) and reads its JSON
 * log lines, for tests of start-up, configuration and shutdown that must see the process from outside.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export interface HubProcess {
  child: ChildProcessWithoutNullStreams;
  logs: Array<Record<string, unknown>>;
  /** Resolves with the base URL once the hub logs that it listens; rejects if it exits first. */
  listening: Promise<string>;
  exited: Promise<number | null>;
}

export function spawnHub(env: NodeJS.ProcessEnv): HubProcess {
  // As an operator runs it: jest's NODE_ENV=test would switch libraries into test behaviour (Apollo, for one,
  // installs no signal handlers then), hiding what happens in production.
  const { NODE_ENV: _jest, ...processEnv } = env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/main.ts'], { cwd: PROJECT_ROOT, env: processEnv });
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (entry.msg === 'hub listening') resolve(String(entry.url));
        } catch {
          // not a log line
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    void exited.then((code) => {
      const lastLogs = logs
        .slice(-5)
        .map((entry) => JSON.stringify(entry))
        .join('\n');
      reject(new Error(`hub exited (${code}) before listening:\n${stderr}${lastLogs}`));
    });
  });
  listening.catch(() => undefined);
  return { child, logs, listening, exited };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
