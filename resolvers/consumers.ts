/**
 * Consumers (departmental systems) and their API keys, grants, purposes and region scope: the one place that
 * creates, changes and authenticates them. The CLI (`npm run consumer`) and the administrator's mutations both
 * call these functions.
 *
 * Contract: inputs are validated (zod, plus existence of purposes, catalogue items and the region) and a bad
 * input throws BAD_USER_INPUT naming the field and changes nothing. A new key is returned exactly once, by
 * `createConsumer` and `rotateKey`; rotating revokes every earlier key of the consumer at once. Revoking a
 * consumer is final (its keys stop working on the next request); suspending is reversible.
 */
import { z } from 'zod';
import type { ConsumerRole, ConsumerStatus, Prisma } from '../prisma/generated/client';
import { regionCodeSchema } from '../domain/regions';
import { BadUserInputError, NotFoundError } from '../domain/errors';
import type { PrismaClient } from '../prisma/client';
import type { AuthenticatedConsumer } from '../domain/consumer';
import { hashApiKey, keyPrefixOf, newApiKey } from '../domain/api-keys';

export type { AuthenticatedConsumer };

/** The key lookup's one row: a consumer as the summary describes it, without its keys and creation time. */
type ConsumerByKeyRow = Omit<ConsumerSummary, 'keys' | 'createdAt'>;

function toAuthenticated(row: ConsumerByKeyRow): AuthenticatedConsumer {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    department: row.department,
    status: row.status,
    roles: new Set(row.roles),
    purposes: new Set(row.purposes),
    regionCode: row.regionCode,
    rateLimitPerMinute: row.rateLimitPerMinute,
    grants: new Map(row.grants.map((grant) => [grant.itemCode, new Set(grant.purposes)])),
  };
}

/**
 * The consumer holding `key` (any status), or null when no unrevoked key matches: one statement (key, consumer
 * and grants together), as every request's authentication asks it.
 */
export async function findConsumerByKey(prisma: PrismaClient, key: string): Promise<AuthenticatedConsumer | null> {
  const rows = await prisma.$queryRaw<ConsumerByKeyRow[]>`
    SELECT c.id::text AS id, c.code, c.name, c.department, c.status::text AS status, c.roles::text[] AS roles, c.purposes,
           c.region_code AS "regionCode", c.rate_limit_per_minute AS "rateLimitPerMinute",
           coalesce((SELECT json_agg(json_build_object('itemCode', g.item_code, 'purposes', g.purposes))
                       FROM consumer_grant g WHERE g.consumer_id = c.id), '[]'::json) AS grants
      FROM api_key k JOIN consumer c ON c.id = k.consumer_id
     WHERE k.key_hash = ${hashApiKey(key)} AND k.revoked_at IS NULL`;
  const row = rows[0];
  return row ? toAuthenticated(row) : null;
}

const grantSchema = z.object({
  item: z.string().min(1),
  /** Purposes approved for a 有条件共享 item; ignored for unconditional items. */
  purposes: z
    .array(z.string().min(1))
    .nullish()
    .transform((purposes) => purposes ?? []),
});

export const consumerInputSchema = z.object({
  code: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be 2-64 lower-case letters, digits or hyphens'),
  name: z.string().trim().min(1, 'must not be empty').max(200),
  department: z.string().trim().min(1, 'must not be empty').max(200),
  // Optional lists may come as null (GraphQL) or be left out (CLI): both mean none.
  roles: z
    .array(z.enum(['ADMIN', 'AUDITOR', 'DEVELOPER', 'REPORTER']))
    .nullish()
    .transform((roles) => roles ?? []),
  purposes: z.array(z.string().min(1)).min(1, 'must name at least one purpose'),
  regionCode: regionCodeSchema.nullish().transform((code) => code ?? null),
  rateLimitPerMinute: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .nullish()
    .transform((limit) => limit ?? null),
  grants: z
    .array(grantSchema)
    .nullish()
    .transform((grants) => grants ?? []),
});
export type ConsumerInput = z.input<typeof consumerInputSchema>;

function badInput(field: string, reason: string, message: string): never {
  throw new BadUserInputError(message, { field, reason });
}

/** Validates a consumer definition against the schema and the hub database. */
async function validated(prisma: PrismaClient, input: ConsumerInput) {
  const parsed = consumerInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    badInput(
      issue.path.join('.') || 'input',
      'INVALID_CONSUMER',
      `Invalid consumer 接入方定义无效: ${issue.path.join('.')} ${issue.message}`,
    );
  }
  const consumer = parsed.data;
  const [purposes, items] = await Promise.all([prisma.purpose.findMany(), prisma.catalogueItem.findMany()]);
  const knownPurposes = new Set(purposes.map((p) => p.code));
  for (const purpose of consumer.purposes) {
    if (!knownPurposes.has(purpose)) badInput('purposes', 'UNKNOWN_PURPOSE', `Unknown purpose 未知用途: ${purpose}`);
  }
  const itemsByCode = new Map(items.map((item) => [item.code, item]));
  const grants = consumer.grants.map((grant, index) => {
    const item = itemsByCode.get(grant.item);
    if (!item) badInput(`grants.${index}.item`, 'UNKNOWN_CATALOGUE_ITEM', `Unknown catalogue item 未知目录项: ${grant.item}`);
    if (item.class === 'UNCONDITIONAL') return { itemCode: item.code, purposes: [] };
    if (grant.purposes.length === 0) {
      badInput(
        `grants.${index}.purposes`,
        'PURPOSES_REQUIRED',
        `${item.code} is 有条件共享: name the purposes its agreement approves`,
      );
    }
    for (const purpose of grant.purposes) {
      if (!consumer.purposes.includes(purpose)) {
        badInput(
          `grants.${index}.purposes`,
          'PURPOSE_NOT_ALLOWED',
          `${item.code}: purpose ${purpose} is not among the consumer's purposes`,
        );
      }
    }
    return { itemCode: item.code, purposes: [...new Set(grant.purposes)] };
  });
  if (consumer.regionCode && !(await prisma.region.findUnique({ where: { code: consumer.regionCode } }))) {
    badInput('regionCode', 'UNKNOWN_REGION', `Region ${consumer.regionCode} is not in the region tree 区划不存在`);
  }
  return { ...consumer, grants, roles: [...new Set(consumer.roles)], purposes: [...new Set(consumer.purposes)] };
}

export interface ConsumerSummary {
  id: string;
  code: string;
  name: string;
  department: string;
  status: ConsumerStatus;
  roles: ConsumerRole[];
  purposes: string[];
  regionCode: string | null;
  rateLimitPerMinute: number | null;
  grants: Array<{ itemCode: string; purposes: string[] }>;
  keys: Array<{ keyPrefix: string; createdAt: Date; revokedAt: Date | null }>;
  createdAt: Date;
}

const SUMMARY = {
  grants: { orderBy: { itemCode: 'asc' } },
  keys: { orderBy: { createdAt: 'asc' } },
} satisfies Prisma.ConsumerInclude;

export async function createConsumer(
  prisma: PrismaClient,
  input: ConsumerInput,
): Promise<{ consumer: ConsumerSummary; apiKey: string }> {
  const { grants, ...consumer } = await validated(prisma, input);
  if (await prisma.consumer.findUnique({ where: { code: consumer.code } })) {
    badInput('code', 'DUPLICATE_CODE', `A consumer with code ${consumer.code} exists 接入方编码已存在`);
  }
  const apiKey = newApiKey();
  const created = await prisma.consumer.create({
    data: {
      ...consumer,
      grants: { create: grants },
      keys: { create: { keyHash: hashApiKey(apiKey), keyPrefix: keyPrefixOf(apiKey) } },
    },
    include: SUMMARY,
  });
  return { consumer: created, apiKey };
}

/** Replaces what a consumer may do (roles, purposes, region, limit, grants); its code and keys stay. */
export async function updateConsumer(prisma: PrismaClient, input: ConsumerInput): Promise<ConsumerSummary> {
  const { grants, code, ...consumer } = await validated(prisma, input);
  const existing = await requireConsumer(prisma, code);
  return prisma.$transaction(async (tx) => {
    await tx.consumerGrant.deleteMany({ where: { consumerId: existing.id } });
    return tx.consumer.update({
      where: { id: existing.id },
      data: { ...consumer, grants: { create: grants } },
      include: SUMMARY,
    });
  });
}

async function requireConsumer(prisma: PrismaClient, code: string) {
  const consumer = await prisma.consumer.findUnique({ where: { code } });
  if (!consumer) throw new NotFoundError(`No consumer ${code} 接入方不存在`, { field: 'code', reason: 'UNKNOWN_CONSUMER' });
  return consumer;
}

export function listConsumers(prisma: PrismaClient): Promise<ConsumerSummary[]> {
  return prisma.consumer.findMany({ include: SUMMARY, orderBy: { code: 'asc' } });
}

/** Issues a new key and revokes every earlier one. Refused for a revoked consumer. */
export async function rotateKey(prisma: PrismaClient, code: string): Promise<{ consumer: ConsumerSummary; apiKey: string }> {
  const existing = await requireConsumer(prisma, code);
  if (existing.status === 'REVOKED') badInput('code', 'CONSUMER_REVOKED', `Consumer ${code} is revoked 接入方已注销`);
  const apiKey = newApiKey();
  const consumer = await prisma.$transaction(async (tx) => {
    await tx.apiKey.updateMany({ where: { consumerId: existing.id, revokedAt: null }, data: { revokedAt: new Date() } });
    await tx.apiKey.create({ data: { consumerId: existing.id, keyHash: hashApiKey(apiKey), keyPrefix: keyPrefixOf(apiKey) } });
    return tx.consumer.findUniqueOrThrow({ where: { id: existing.id }, include: SUMMARY });
  });
  return { consumer, apiKey };
}

/** ACTIVE ↔ SUSPENDED, or REVOKED (final: every key is revoked too). */
export async function setConsumerStatus(prisma: PrismaClient, code: string, status: ConsumerStatus): Promise<ConsumerSummary> {
  const existing = await requireConsumer(prisma, code);
  if (existing.status === 'REVOKED' && status !== 'REVOKED') {
    badInput('status', 'CONSUMER_REVOKED', `Consumer ${code} is revoked for good; create a new one 接入方已注销`);
  }
  return prisma.$transaction(async (tx) => {
    if (status === 'REVOKED') {
      await tx.apiKey.updateMany({ where: { consumerId: existing.id, revokedAt: null }, data: { revokedAt: new Date() } });
    }
    return tx.consumer.update({ where: { id: existing.id }, data: { status }, include: SUMMARY });
  });
}

export const DEMO_CONSUMER_CODE = 'demo';
export const DEMO_PURPOSE = 'DEMO';

/**
 * Creates the all-access demo consumer (every item under purpose DEMO, every role) with `key` as its key, or
 * brings an existing one's grants up to date. An operator's decision stands: a demo consumer that was suspended
 * or revoked is not reactivated, and a demo key that was revoked (or rotated away) is not revived; the result
 * says so, for the start-up log. Serialised by an advisory lock: several hubs may start on one database at once.
 */
export async function ensureDemoConsumer(
  prisma: PrismaClient,
  key: string,
): Promise<{ status: ConsumerStatus; keyUsable: boolean }> {
  const keyHash = hashApiKey(key);
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('hub:demo-consumer'))`;
    const items = await tx.catalogueItem.findMany({ select: { code: true } });
    const consumer = await tx.consumer.upsert({
      where: { code: DEMO_CONSUMER_CODE },
      create: {
        code: DEMO_CONSUMER_CODE,
        name: '演示接入方 Demo consumer (all access)',
        department: '演示 Demo',
        roles: ['ADMIN', 'AUDITOR', 'DEVELOPER'],
        purposes: [DEMO_PURPOSE],
      },
      update: { roles: ['ADMIN', 'AUDITOR', 'DEVELOPER'], purposes: [DEMO_PURPOSE], regionCode: null },
    });
    await tx.consumerGrant.deleteMany({ where: { consumerId: consumer.id } });
    await tx.consumerGrant.createMany({
      data: items.map((item) => ({ consumerId: consumer.id, itemCode: item.code, purposes: [DEMO_PURPOSE] })),
    });
    const current = await tx.apiKey.findUnique({ where: { keyHash } });
    if (current && current.consumerId !== consumer.id) throw new Error('HUB_DEMO_API_KEY is the key of another consumer');
    if (!current && consumer.status !== 'REVOKED') {
      await tx.apiKey.create({ data: { consumerId: consumer.id, keyHash, keyPrefix: keyPrefixOf(key) } });
    }
    return { status: consumer.status, keyUsable: consumer.status === 'ACTIVE' && !current?.revokedAt };
  });
}

/** Whether an active demo consumer exists (production refuses to start with one). */
export async function activeDemoConsumerExists(prisma: PrismaClient): Promise<boolean> {
  const demo = await prisma.consumer.findUnique({ where: { code: DEMO_CONSUMER_CODE } });
  return demo?.status === 'ACTIVE';
}
