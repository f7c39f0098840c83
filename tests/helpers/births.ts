/**
 * Fixtures and helpers of the 出生一件事 tests: parents picked from the sandbox's register (one mother per
 * case, so the duplicate guard never joins two tests), the application input, polling a case until a
 * condition holds, and counting the departments' rows (the oracle: exactly one of everything).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestDepartments, type TestDepartments } from './departments';
import { DEMO_API_KEY, startTestHub, TEST_AUDIT_HMAC_KEY, type TestHub } from './hub';

export interface Parents {
  motherId: string;
  motherName: string;
  fatherId: string;
  headId: string;
  regionCode: string;
}

/**
 * Registered mothers (户籍常住 in 渝中) with their household heads, and fathers. Test files share the hub
 * database and their sandboxes hold the same synthetic people: each file takes its own `offset`, so the
 * duplicate guard (one active case per mother and child) never joins two files.
 */
export async function pickParents(departments: TestDepartments, count: number, offset: number): Promise<Parents[]> {
  const mothers = await departments.query<{
    citizen_id: string;
    name: string;
    household_head_id: string;
    region_code: string;
    household_id: string;
  }>(
    `SELECT citizen_id::text, name, household_head_id::text, region_code::text, household_id FROM public_security.person
      WHERE sex = 'F' AND residence_type = 'REGISTERED_RESIDENT' AND region_code::text LIKE '500103%'
        AND birth_date BETWEEN current_date - interval '40 years' AND current_date - interval '22 years'
        AND length(name) BETWEEN 2 AND 3
      ORDER BY citizen_id LIMIT $1 OFFSET $2`,
    [count, offset],
  );
  const fathers = await departments.query<{ citizen_id: string }>(
    `SELECT citizen_id::text FROM public_security.person
      WHERE sex = 'M' AND birth_date BETWEEN current_date - interval '45 years' AND current_date - interval '22 years'
      ORDER BY citizen_id LIMIT $1 OFFSET $2`,
    [count, offset],
  );
  if (mothers.length < count || fathers.length < count) throw new Error('the sandbox has too few parents for the birth tests');
  return mothers.map((m, i) => ({
    motherId: m.citizen_id,
    motherName: m.name,
    fatherId: fathers[i]!.citizen_id,
    headId: m.household_head_id,
    regionCode: m.region_code,
  }));
}

/** A birth date ten days ago (China time). */
export function recentBirthDate(): string {
  return new Date(Date.now() + 8 * 3600_000 - 10 * 86_400_000).toISOString().slice(0, 10);
}

export function applicationInput(parents: Parents, overrides: Record<string, unknown> = {}) {
  return {
    child: {
      name: `${parents.motherName.slice(0, 1)}若安`,
      sex: 'FEMALE',
      birthDate: recentBirthDate(),
      birthTime: '08:30',
      birthPlace: '重庆医科大学附属第一医院',
      birthOrder: 1,
      birthWeightG: 3200,
    },
    mother: { citizenId: parents.motherId, phone: '13800000001' },
    father: { citizenId: parents.fatherId, phone: '13800000002' },
    marriageCertificateNumber: 'J500103-2024-000123',
    householdHeadCitizenId: parents.headId,
    householdConsent: true,
    enrolmentRegionCode: parents.regionCode,
    items: ['VACCINATION_ARCHIVE', 'MEDICAL_INSURANCE', 'SOCIAL_SECURITY_CARD'],
    ...overrides,
  };
}

export const CASE_FIELDS = `id status revision registered overdue dueAt dueAtEstimated
  child { name citizenId }
  correction { step reason field message }
  steps { code state department idempotencyKey attempts identifier replyReason overdue lineage { department sourceRecordId } }
  history { type step actor at }`;

export const SUBMIT = `mutation Submit($input: BirthApplicationInput!, $key: String!) {
  submitBirthApplication(input: $input, idempotencyKey: $key) { ${CASE_FIELDS} } }`;
export const READ = `query Read($id: ID!) { birthApplication(id: $id) { ${CASE_FIELDS} } }`;
export const CANCEL = `mutation Cancel($id: ID!, $reason: String!) { cancelBirthApplication(id: $id, reason: $reason) { ${CASE_FIELDS} } }`;
export const CORRECT = `mutation Correct($id: ID!, $patch: BirthApplicationPatch!, $key: String!) {
  correctBirthApplication(id: $id, patch: $patch, idempotencyKey: $key) { ${CASE_FIELDS} } }`;

export interface CaseView {
  id: string;
  status: string;
  revision: number;
  registered: boolean;
  overdue: boolean;
  dueAt: string;
  dueAtEstimated: boolean;
  child: { name: string; citizenId: string | null };
  correction: { step: string; reason: string; field: string; message: string } | null;
  steps: Array<{
    code: string;
    state: string;
    department: string;
    idempotencyKey: string;
    attempts: number;
    identifier: string | null;
    replyReason: string | null;
    overdue: boolean;
    lineage: { department: string; sourceRecordId: string } | null;
  }>;
  history: Array<{ type: string; step: string | null; actor: string; at: string }>;
}

export const BIRTH_HEADERS = (key: string) => ({ authorization: `Bearer ${key}`, 'x-purpose': 'BIRTH_JOINT_SERVICE' });

type Graphql = (
  query: string,
  variables?: Record<string, unknown>,
) => Promise<{
  body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}>;

/** Polls the case until `done` holds (or fails the test with the last state seen). */
export async function waitForCase(
  graphql: Graphql,
  id: string,
  done: (c: CaseView) => boolean,
  timeoutMs = 45_000,
): Promise<CaseView> {
  const deadline = Date.now() + timeoutMs;
  let last: CaseView | null = null;
  while (Date.now() < deadline) {
    const response = await graphql(READ, { id }).catch(() => null);
    last = (response?.body.data?.birthApplication as CaseView | undefined) ?? last;
    if (last && done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `case ${id} did not reach the expected state; last seen: ${JSON.stringify(last && { status: last.status, steps: last.steps.map((s) => `${s.code}:${s.state}`) })}`,
  );
}

/** The departments' rows for one mother's child (the oracle). */
export async function departmentRows(departments: TestDepartments, motherId: string) {
  const [row] = await departments.query<{
    certificates: number;
    registrations: number;
    people: number;
    archives: number;
    enrolments: number;
    cards: number;
    child: string | null;
  }>(
    `WITH c AS (SELECT * FROM health.birth_certificate WHERE mother_citizen_id = $1 AND idempotency_key LIKE 'birth:%')
     SELECT (SELECT count(*)::int FROM c) AS certificates,
            (SELECT count(*)::int FROM public_security.birth_registration r WHERE r.certificate_number IN (SELECT certificate_number FROM c)) AS registrations,
            (SELECT count(*)::int FROM public_security.person p WHERE p.citizen_id IN (SELECT child_citizen_id FROM c)) AS people,
            (SELECT count(*)::int FROM health.vaccination_archive a WHERE a.citizen_id IN (SELECT child_citizen_id FROM c)) AS archives,
            (SELECT count(*)::int FROM medical_insurance.enrolment e WHERE e.citizen_id IN (SELECT child_citizen_id FROM c)) AS enrolments,
            (SELECT count(*)::int FROM social_security.card_application s WHERE s.citizen_id IN (SELECT child_citizen_id FROM c)) AS cards,
            (SELECT max(child_citizen_id::text) FROM c) AS child`,
    [motherId],
  );
  return row!;
}

/** The shipped connector configuration with short timeouts, so outages show quickly. */
export function fastConnectorsConfig(): string {
  const shipped = fs.readFileSync(path.resolve(__dirname, '..', '..', 'connectors.config.yaml'), 'utf8');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hub-births-')), 'connectors.yaml');
  fs.writeFileSync(
    file,
    shipped
      .replace(/timeoutMs: \d+/, 'timeoutMs: 1500')
      .replace(/breakerFailures: \d+/, 'breakerFailures: 3')
      .replace(/breakerHalfOpenAfterMs: \d+/, 'breakerHalfOpenAfterMs: 500')
      .replace(/healthCheckIntervalMs: \d+/, 'healthCheckIntervalMs: 0'),
  );
  return file;
}

/** Workflow settings for tests: short backoffs and polls, a workflow application of the test's own. */
export function workflowEnv(app: string): Record<string, string> {
  return {
    HUB_WORKFLOWS: 'true',
    HUB_WORKFLOW_APP: app,
    HUB_WORKFLOW_HEARTBEAT_MS: '300',
    HUB_WORKFLOW_EXECUTOR_TIMEOUT_MS: '2000',
    HUB_BIRTH_RETRY_BASE_MS: '100',
    HUB_BIRTH_RETRY_MAX_MS: '500',
    HUB_BIRTH_POLL_MS: '400',
  };
}

/**
 * The environment of a hub process a birth test spawns (tests/helpers/process.ts): demo data and key, the test's
 * departments, connector configuration and workflow application; the test's own hub has migrated the database.
 * `extra` adds or overrides (e.g. `HUB_WORKFLOW_EXECUTOR_ID`).
 */
export function spawnedHubEnv(
  departments: TestDepartments,
  app: string,
  connectorsConfig: string,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...departments.connectorEnv,
    ...workflowEnv(app),
    PORT: '0',
    HOST: '127.0.0.1',
    HUB_ENV: 'test',
    HUB_MIGRATE_ON_START: 'false',
    HUB_SANDBOX_DEPARTMENTS: 'false',
    HUB_DEMO_DATA: 'true',
    HUB_CONNECTORS_CONFIG: connectorsConfig,
    HUB_DEMO_API_KEY: DEMO_API_KEY,
    HUB_AUDIT_HMAC_KEY: TEST_AUDIT_HMAC_KEY,
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/**
 * A birth test's stack: sandbox departments of its own (`name`), a hub with workflows on (application
 * `<name>-<pid>`) and short connector timeouts, `hubEnv` added, and `count` parents from `offset` on (offsets
 * keep the test files' mothers apart).
 */
export async function startBirthTest(
  name: string,
  parents: { count: number; offset: number },
  hubEnv: Record<string, string> = {},
): Promise<{ departments: TestDepartments; hub: TestHub; parents: Parents[] }> {
  const departments = await startTestDepartments(name);
  let hub: TestHub | undefined;
  try {
    hub = await startTestHub(
      { ...workflowEnv(`${name}-${process.pid}`), HUB_CONNECTORS_CONFIG: fastConnectorsConfig(), ...hubEnv },
      departments.connectorEnv,
    );
    return { departments, hub, parents: await pickParents(departments, parents.count, parents.offset) };
  } catch (error) {
    // The test's afterAll never received them: stopped here.
    await hub?.stop();
    await departments.stop();
    throw error;
  }
}
