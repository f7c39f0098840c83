/**
 * Benchmark: 出生一件事 end to end — cases completed per minute and the dispatch lag (a step's READY → DISPATCHED)
 * p50/p99, with 1 and then 2 hub processes on one database, side by side, through the hubs' HTTP endpoint and
 * the sandbox departments with their latencies (an injected latency per department request, and 人社 issuing a
 * card `SOCIAL_SECURITY_CARD_DELAY_MS` after accepting it, then calling back).
 *
 * Each run submits `--cases` applications (each with all five steps) from `--submitters` clients at a time,
 * spread over its hubs (one hub's database pool cannot take many more simultaneous submissions), and waits
 * until every case is COMPLETED; the hub database gives the timings (submitted → closed, ready → dispatched), and
 * the departments' databases are the oracle: every case must have produced exactly one certificate,
 * registration, person, vaccination archive, enrolment and card application (printed; exit status 1 otherwise).
 * The hubs run with the production defaults of the workflow settings; each run has a workflow application of its
 * own, so the second run's hubs never pick up the first run's work.
 *
 *   npm run bench:births -- --cases 40 --submitters 8 --latency 50
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { clearFaults, setFaults } from '../departments/control';
import { DEFAULT_DEMO_API_KEY } from '../server/config';
import { freePort, option, startBenchDepartments } from './support';

const SCALE = 0.1;
const ROOT = path.resolve(__dirname, '..');
const HTTP_DEPARTMENTS = ['public-security', 'health', 'medical-insurance', 'social-security'] as const;
const STEPS = 5;

const headers = { 'content-type': 'application/json', authorization: `Bearer ${DEFAULT_DEMO_API_KEY}`, 'x-purpose': 'DEMO' };

const SUBMIT = `mutation Submit($input: BirthApplicationInput!, $key: String!) {
  submitBirthApplication(input: $input, idempotencyKey: $key) { id status } }`;

interface Family {
  motherId: string;
  motherName: string;
  fatherId: string;
  headId: string;
  regionCode: string;
  birthDate: string;
}

/** China-time date `days` ago. */
const daysAgo = (days: number) => new Date(Date.now() + 8 * 3600_000 - days * 86_400_000).toISOString().slice(0, 10);

/**
 * Registered mothers of 渝中 with their household heads, and fathers, each with a birth date (10–300 days ago)
 * that no earlier case of this hub database used for her, so reruns never meet the duplicate guard.
 */
async function families(departments: pg.Client, hub: pg.Client, count: number): Promise<Family[]> {
  const used = await hub.query<{ mother: string; date: string }>(
    `SELECT mother_citizen_id AS mother, input -> 'child' ->> 'birthDate' AS date FROM birth_application`,
  );
  const usedDates = new Map<string, Set<string>>();
  for (const row of used.rows) usedDates.set(row.mother, (usedDates.get(row.mother) ?? new Set()).add(row.date));
  const mothers = await departments.query<{ citizen_id: string; name: string; household_head_id: string; region_code: string }>(
    `SELECT citizen_id::text, name, household_head_id::text, region_code::text FROM public_security.person
      WHERE sex = 'F' AND residence_type = 'REGISTERED_RESIDENT' AND region_code::text LIKE '500103%'
        AND birth_date BETWEEN current_date - interval '40 years' AND current_date - interval '22 years'
        AND length(name) BETWEEN 2 AND 3
      ORDER BY citizen_id LIMIT $1`,
    [count],
  );
  const fathers = await departments.query<{ citizen_id: string }>(
    `SELECT citizen_id::text FROM public_security.person
      WHERE sex = 'M' AND birth_date BETWEEN current_date - interval '45 years' AND current_date - interval '22 years'
      ORDER BY citizen_id LIMIT $1`,
    [count],
  );
  if (mothers.rows.length < count || fathers.rows.length < count)
    throw new Error(`the data set has fewer than ${count} families`);
  return mothers.rows.map((m, i) => {
    let days = 10;
    while (usedDates.get(m.citizen_id)?.has(daysAgo(days))) days++;
    if (days > 300) throw new Error(`mother ${i} has used every birth date: drop the bench's hub database`);
    return {
      motherId: m.citizen_id,
      motherName: m.name,
      fatherId: fathers.rows[i]!.citizen_id,
      headId: m.household_head_id,
      regionCode: m.region_code,
      birthDate: daysAgo(days),
    };
  });
}

function applicationInput(f: Family) {
  return {
    child: {
      name: `${f.motherName.slice(0, 1)}若安`,
      sex: 'FEMALE',
      birthDate: f.birthDate,
      birthTime: '08:30',
      birthPlace: '重庆医科大学附属第一医院',
      birthOrder: 1,
      birthWeightG: 3200,
    },
    mother: { citizenId: f.motherId, phone: '13800000001' },
    father: { citizenId: f.fatherId, phone: '13800000002' },
    marriageCertificateNumber: 'J500103-2024-000123',
    householdHeadCitizenId: f.headId,
    householdConsent: true,
    enrolmentRegionCode: f.regionCode,
    items: ['VACCINATION_ARCHIVE', 'MEDICAL_INSURANCE', 'SOCIAL_SECURITY_CARD'],
  };
}

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 480; i++) {
    if (child.exitCode !== null) throw new Error(`a hub exited (${child.exitCode}) before it was healthy`);
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('a hub did not start within 120 s');
}

/** Runs the tasks with at most `limit` at a time; the results in the tasks' order. */
async function inParallel<T>(limit: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
};

interface RunResult {
  hubs: number;
  cases: number;
  wallSeconds: number;
  perMinute: number;
  caseP50s: number;
  caseP99s: number;
  lagP50ms: number;
  lagP99ms: number;
  steps: number;
  exactlyOnce: number;
  problems: string[];
}

async function run(
  submitters: number,
  hubCount: number,
  cases: Family[],
  connectorEnv: Record<string, string>,
  hubDb: pg.Client,
  departments: pg.Client,
): Promise<RunResult> {
  const app = `bench-births-${Date.now()}-${hubCount}`;
  const children: ChildProcess[] = [];
  const urls: string[] = [];
  try {
    // One after the other: the first applies migrations and creates the demo consumer, the next find them.
    for (let i = 0; i < hubCount; i++) {
      const port = await freePort();
      const env = {
        ...process.env,
        ...connectorEnv,
        PORT: String(port),
        HOST: '127.0.0.1',
        HUB_ENV: 'test',
        LOG_LEVEL: 'warn',
        HUB_SANDBOX_DEPARTMENTS: 'false',
        HUB_MIGRATE_ON_START: i === 0 ? 'true' : 'false',
        HUB_RATE_LIMIT_PER_MINUTE: '1000000',
        HUB_WORKFLOWS: 'true',
        HUB_WORKFLOW_APP: app,
      };
      const log = fs.openSync(path.join(os.tmpdir(), `${app}-hub${i + 1}.log`), 'w');
      const child = spawn(process.execPath, ['--import', 'tsx', 'demo/main.ts'], { cwd: ROOT, env, stdio: ['ignore', log, log] });
      fs.closeSync(log);
      children.push(child);
      const url = `http://127.0.0.1:${port}`;
      await waitHealthy(url, child);
      urls.push(url);
    }
    const started = Date.now();
    const answers = await inParallel(
      submitters,
      cases.map((family, i) => async () => {
        const response = await fetch(`${urls[i % urls.length]}/graphql`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ query: SUBMIT, variables: { input: applicationInput(family), key: `${app}-${i}` } }),
        });
        const body = (await response.json()) as { data?: { submitBirthApplication: { id: string } | null }; errors?: unknown };
        const id = body.data?.submitBirthApplication?.id;
        if (!id)
          throw new Error(
            `submission ${i} failed (hub logs: ${os.tmpdir()}/${app}-hub*.log): ${JSON.stringify(body.errors).slice(0, 300)}`,
          );
        return id;
      }),
    );
    for (;;) {
      const { rows } = await hubDb.query<{ status: string; n: number }>(
        `SELECT status::text, count(*)::int AS n FROM birth_application WHERE id = ANY($1) GROUP BY status`,
        [answers],
      );
      const by = Object.fromEntries(rows.map((r) => [r.status, r.n]));
      const stuck = Object.keys(by).filter((s) => ['REJECTED', 'CANCELLED', 'NEEDS_CORRECTION'].includes(s));
      if (stuck.length) throw new Error(`cases ended ${JSON.stringify(by)}`);
      if ((by.COMPLETED ?? 0) === answers.length) break;
      if (Date.now() - started > 15 * 60_000) throw new Error(`not all cases completed within 15 min: ${JSON.stringify(by)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const timing = await hubDb.query<{ case_ms: number; closed: Date }>(
      `SELECT extract(epoch FROM closed_at - submitted_at) * 1000 AS case_ms, closed_at AS closed
         FROM birth_application WHERE id = ANY($1)`,
      [answers],
    );
    const lags = await hubDb.query<{ lag_ms: number }>(
      `SELECT extract(epoch FROM dispatched_at - ready_at) * 1000 AS lag_ms FROM birth_application_step
        WHERE application_id = ANY($1) AND ready_at IS NOT NULL AND dispatched_at IS NOT NULL`,
      [answers],
    );
    const lastClosed = Math.max(...timing.rows.map((r) => r.closed.getTime()));
    const wallSeconds = (lastClosed - started) / 1000;
    const caseMs = timing.rows.map((r) => Number(r.case_ms));
    const lagMs = lags.rows.map((r) => Number(r.lag_ms));
    const oracle = await departments.query<{
      id: string;
      certificates: number;
      registrations: number;
      people: number;
      archives: number;
      enrolments: number;
      cards: number;
    }>(
      `WITH c AS (SELECT split_part(idempotency_key, ':', 2) AS id, certificate_number, child_citizen_id
                    FROM health.birth_certificate WHERE split_part(idempotency_key, ':', 2) = ANY($1))
       SELECT ids.id,
              (SELECT count(*)::int FROM c WHERE c.id = ids.id) AS certificates,
              (SELECT count(*)::int FROM public_security.birth_registration r JOIN c USING (certificate_number) WHERE c.id = ids.id) AS registrations,
              (SELECT count(*)::int FROM public_security.person p JOIN c ON p.citizen_id = c.child_citizen_id WHERE c.id = ids.id) AS people,
              (SELECT count(*)::int FROM health.vaccination_archive a JOIN c ON a.citizen_id = c.child_citizen_id WHERE c.id = ids.id) AS archives,
              (SELECT count(*)::int FROM medical_insurance.enrolment e JOIN c ON e.citizen_id = c.child_citizen_id WHERE c.id = ids.id) AS enrolments,
              (SELECT count(*)::int FROM social_security.card_application s JOIN c ON s.citizen_id = c.child_citizen_id WHERE c.id = ids.id) AS cards
         FROM unnest($1::text[]) AS ids(id)`,
      [answers],
    );
    const problems: string[] = [];
    let exactlyOnce = 0;
    for (const row of oracle.rows) {
      const { id, ...counts } = row;
      if (Object.values(counts).every((n) => n === 1)) exactlyOnce++;
      else problems.push(`case ${id}: ${JSON.stringify(counts)}`);
    }
    if (lagMs.length !== answers.length * STEPS)
      problems.push(`${lagMs.length} steps dispatched, expected ${answers.length * STEPS}`);
    return {
      hubs: hubCount,
      cases: answers.length,
      wallSeconds,
      perMinute: (answers.length / wallSeconds) * 60,
      caseP50s: quantile(caseMs, 0.5) / 1000,
      caseP99s: quantile(caseMs, 0.99) / 1000,
      lagP50ms: quantile(lagMs, 0.5),
      lagP99ms: quantile(lagMs, 0.99),
      steps: lagMs.length,
      exactlyOnce,
      problems,
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      children.map((child) => (child.exitCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r)))),
    );
  }
}

const f1 = (x: number) => x.toFixed(1);
const f0 = (x: number) => String(Math.round(x));

async function main(): Promise<void> {
  const caseCount = option('cases', 40);
  const latencyMs = option('latency', 50);
  const submitters = option('submitters', 8);
  const { sandbox, hubDatabaseUrl, departmentsDbUrl } = await startBenchDepartments('_bench_births', SCALE, 'bench:births');
  const departments = new pg.Client({ connectionString: departmentsDbUrl });
  const hubDb = new pg.Client({ connectionString: hubDatabaseUrl });
  try {
    await departments.connect();
    await hubDb.connect();
    for (const department of HTTP_DEPARTMENTS) await setFaults(departmentsDbUrl, department, { latencyMs });
    const all = await families(departments, hubDb, caseCount * 2);
    const results: RunResult[] = [];
    for (const hubCount of [1, 2]) {
      const offset = (hubCount - 1) * caseCount;
      process.stdout.write(`${hubCount} hub process${hubCount > 1 ? 'es' : ''}: ${caseCount} cases…\n`);
      results.push(
        await run(submitters, hubCount, all.slice(offset, offset + caseCount), sandbox.connectorEnv, hubDb, departments),
      );
    }
    const [one, two] = results as [RunResult, RunResult];
    const ratio = (a: number, b: number) => `${(b / a).toFixed(2)}×`;
    process.stdout.write(
      `\n出生一件事, ${caseCount} cases per run (5 steps each) submitted by ${submitters} clients at once, scale ${SCALE}, ${latencyMs} ms per department request, ` +
        `card issued ${process.env.SOCIAL_SECURITY_CARD_DELAY_MS ?? 3000} ms after acceptance, node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n\n` +
        '| | 1 hub | 2 hubs | 2 hubs / 1 hub |\n|---|---|---|---|\n' +
        `| cases completed per minute | ${f1(one.perMinute)} | ${f1(two.perMinute)} | ${ratio(one.perMinute, two.perMinute)} |\n` +
        `| wall time, first submission → last completion (s) | ${f1(one.wallSeconds)} | ${f1(two.wallSeconds)} | ${ratio(one.wallSeconds, two.wallSeconds)} |\n` +
        `| case duration p50 / p99 (s) | ${f1(one.caseP50s)} / ${f1(one.caseP99s)} | ${f1(two.caseP50s)} / ${f1(two.caseP99s)} | ${ratio(one.caseP50s, two.caseP50s)} / ${ratio(one.caseP99s, two.caseP99s)} |\n` +
        `| dispatch lag READY → DISPATCHED p50 (ms) | ${f0(one.lagP50ms)} | ${f0(two.lagP50ms)} | ${ratio(one.lagP50ms, two.lagP50ms)} |\n` +
        `| dispatch lag READY → DISPATCHED p99 (ms) | ${f0(one.lagP99ms)} | ${f0(two.lagP99ms)} | ${ratio(one.lagP99ms, two.lagP99ms)} |\n` +
        `| steps dispatched | ${one.steps} | ${two.steps} | |\n` +
        `| cases with exactly one of everything at the departments | ${one.exactlyOnce}/${one.cases} | ${two.exactlyOnce}/${two.cases} | |\n`,
    );
    const problems = [...one.problems, ...two.problems];
    for (const line of problems.slice(0, 20)) process.stdout.write(`  NOT EXACTLY ONCE ${line}\n`);
    if (problems.length) process.exitCode = 1;
  } finally {
    for (const department of HTTP_DEPARTMENTS) await clearFaults(departmentsDbUrl, department).catch(() => undefined);
    await departments.end().catch(() => undefined);
    await hubDb.end().catch(() => undefined);
    await sandbox.stop();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
