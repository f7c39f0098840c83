/**
 * The region tree each hub process keeps (a kept read: server/kept-reads.ts): records' `region` is answered from it, and a
 * change to the `region` table reaches every instance through the database's announcement, not after a TTL.
 * On a hub database of its own, since the test rewrites a region.
 */
import { createPrismaClient } from '../prisma/client';
import { startTestDepartments, type TestDepartments } from './helpers/departments';
import { startTestHub, type TestHub } from './helpers/hub';
import { isolatedHubDatabase, type IsolatedHubDatabase } from './helpers/hub-database';

jest.setTimeout(90_000);

let database: IsolatedHubDatabase;
let departments: TestDepartments;
let hub: TestHub;

beforeAll(async () => {
  database = await isolatedHubDatabase('region_tree');
  departments = await startTestDepartments('region_tree', 0.05);
  hub = await startTestHub(
    { ...database.env, HUB_CONNECTORS_CONFIG: require.resolve('../connectors.config.yaml') },
    departments.connectorEnv,
  );
}, 180_000);

afterAll(async () => {
  await hub?.stop();
  await departments?.stop();
  await database?.drop();
});

const FIRST_FACILITY = '{ elderlyCareInstitutions(first: 1) { edges { node { id region { code name } } } } }';

async function firstFacilityRegion(): Promise<{ code: string; name: string }> {
  const { status, body } = await hub.graphql(FIRST_FACILITY);
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  const region = (body.data as { elderlyCareInstitutions: { edges: { node: { region: { code: string; name: string } } }[] } })
    .elderlyCareInstitutions.edges[0]!.node.region;
  expect(region).not.toBeNull();
  return region;
}

it('answers records’ regions from the tree, and sees a renamed region within moments', async () => {
  const before = await firstFacilityRegion();
  const prisma = createPrismaClient(database.env.DATABASE_URL!);
  try {
    const stored = await prisma.region.findUniqueOrThrow({ where: { code: before.code } });
    expect(before.name).toBe(stored.name);
    // Answered again from the kept tree: the same name.
    expect((await firstFacilityRegion()).name).toBe(stored.name);

    await prisma.region.update({ where: { code: before.code }, data: { name: `${stored.name}（更名）` } });
    const deadline = Date.now() + 3000;
    let seen = (await firstFacilityRegion()).name;
    while (seen === stored.name && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      seen = (await firstFacilityRegion()).name;
    }
    expect(seen).toBe(`${stored.name}（更名）`);
  } finally {
    await prisma.$disconnect();
  }
});
