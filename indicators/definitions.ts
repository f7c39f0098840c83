/**
 * Indicator definitions as data: the versioned definitions file (definitions.yaml) and its versions in the hub
 * database.
 *
 * Contract:
 * - `definitionSchema` validates one definition; metric names must be in the metric catalogue (metrics.ts),
 *   a denominator that is a population needs a basis, decimals 0–4, factor 1, 100 or 1000;
 * - `syncDefinitionsFile(prisma)` (at start, idempotent, safe with several instances: one transaction under an
 *   advisory lock) stores each file entry whose canonical content is not yet a FILE version of its code as the
 *   next version of that code; administrators' EDIT versions are kept and a later one stays in force;
 * - `currentDefinitions(prisma)` returns the highest version of every code;
 * - `editDefinition` validates a changed definition (the code cannot change) and stores it as the next version.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { BadUserInputError, NotFoundError } from '../domain/errors';
import type { PrismaClient } from '../prisma/client';
import { METRICS, METRIC_NAMES } from './metrics';

export const INDICATOR_CODES = [
  'ELDERLY_CARE_BEDS',
  'BEDS_PER_1000_ELDERLY',
  'NURSING_BEDS',
  'STREET_CENTRES',
  'SAFETY_NET_BEDS',
  'COMMUNITY_STATIONS',
  'HOME_CARE_BEDS',
  'NURSING_BED_SHARE',
  'GOVERNMENT_OPERATED_BED_SHARE',
  'SOCIALLY_OPERATED_FACILITY_RATE',
  'DISABLED_SPECIAL_HARDSHIP_CENTRAL_CARE_RATE',
  'MEAL_ASSISTANCE_COMMUNITY_COVERAGE',
  'BASIC_ELDERLY_SERVICE_COVERAGE',
  'MONTHLY_VISIT_RATE',
  'NEW_RESIDENTIAL_AREA_FACILITY_COMPLIANCE',
  'CARE_WORKER_TRAINING',
  'IT_SERVICE_COMMUNITY_COVERAGE',
  'CHILDCARE_PLACES_PER_1000',
  'CHILDCARE_PLACES',
  'PUBLIC_CHILDCARE_PLACES',
  'INFANT_HEALTH_MANAGEMENT_RATE',
] as const;

export const DEFINITIONS_FILE = path.join(__dirname, 'definitions.yaml');

const metricName = z
  .string()
  .refine((name) => METRIC_NAMES.includes(name), 'must be a metric of the catalogue (indicators/metrics.ts)');
const regionTargets = z.record(z.string().regex(/^\d{6}(\d{3}){0,2}$/), z.record(z.string().regex(/^\d{4}$/), z.number()));

export const definitionSchema = z
  .object({
    code: z.string().regex(/^[A-Z][A-Z0-9_]{2,63}$/),
    row: z.number().int().positive().optional(),
    nameZh: z.string().min(1).max(100),
    nameEn: z.string().min(1).max(200),
    unit: z.string().min(1).max(50),
    factor: z.union([z.literal(1), z.literal(100), z.literal(1000)]),
    decimals: z.number().int().min(0).max(4),
    numerator: metricName,
    denominator: metricName.nullable().default(null),
    basis: z.enum(['RESIDENT', 'REGISTERED']).nullable().default(null),
    kind: z.enum(['BINDING', 'EXPECTED']),
    direction: z.enum(['INCREASE', 'DECREASE', 'MAINTAIN']),
    baseline: z.number().nullable().default(null),
    baselineNote: z.string().max(500).nullable().default(null),
    targets: regionTargets.default({}),
    periodTypes: z
      .array(z.enum(['YEARLY', 'QUARTERLY', 'MONTHLY']))
      .nullable()
      .default(null),
    identities: z
      .array(z.object({ equals: z.array(metricName).min(1), description: z.string().max(300).optional() }))
      .default([]),
  })
  .strict()
  .superRefine((d, ctx) => {
    const usesPopulation = [d.numerator, d.denominator].some((m) => m === 'population' || m === 'aged60Plus' || m === 'under3');
    if (usesPopulation && !d.basis)
      ctx.addIssue({ code: 'custom', path: ['basis'], message: 'a population metric needs a basis' });
    if (d.numerator === 'reported' && d.denominator)
      ctx.addIssue({ code: 'custom', path: ['denominator'], message: 'a reported value has no denominator' });
    if (d.denominator && METRICS[d.denominator]?.kind === 'REPORTED') {
      ctx.addIssue({ code: 'custom', path: ['denominator'], message: 'a denominator cannot be reported' });
    }
  });

export type IndicatorDefinitionData = z.infer<typeof definitionSchema>;

export const definitionsFileSchema = z.object({
  version: z.number().int().positive(),
  source: z.string().min(1),
  baselineYear: z.number().int(),
  targetYear: z.number().int(),
  indicators: z.array(definitionSchema),
});
export type DefinitionsFile = z.infer<typeof definitionsFileSchema>;

/** A definition in force, with its version and the plan it belongs to. */
export interface IndicatorDefinition extends IndicatorDefinitionData {
  version: number;
  source: string;
  baselineYear: number;
  targetYear: number;
}

export function readDefinitionsFile(file = DEFINITIONS_FILE): DefinitionsFile {
  const parsed = definitionsFileSchema.parse(YAML.parse(fs.readFileSync(file, 'utf8')));
  const codes = parsed.indicators.map((d) => d.code);
  if (new Set(codes).size !== codes.length) throw new Error(`${file}: an indicator code appears twice`);
  return parsed;
}

/** The stored form: the definition plus the plan it belongs to. */
interface StoredDefinition extends IndicatorDefinitionData {
  source: string;
  baselineYear: number;
  targetYear: number;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
const hashOf = (value: unknown) => createHash('sha256').update(canonical(value)).digest('hex');

const LOCK = 'indicator-definitions';

export async function syncDefinitionsFile(prisma: PrismaClient, file = DEFINITIONS_FILE): Promise<void> {
  const parsed = readDefinitionsFile(file);
  await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${LOCK}))`;
    const existing = await tx.indicatorDefinition.findMany({
      select: { code: true, version: true, contentHash: true, source: true },
    });
    for (const indicator of parsed.indicators) {
      const stored: StoredDefinition = {
        ...indicator,
        source: parsed.source,
        baselineYear: parsed.baselineYear,
        targetYear: parsed.targetYear,
      };
      const contentHash = hashOf(stored);
      const versions = existing.filter((e) => e.code === indicator.code);
      if (versions.some((v) => v.source === 'FILE' && v.contentHash === contentHash)) continue;
      const version = Math.max(0, ...versions.map((v) => v.version)) + 1;
      const definition: object = stored; // a Json column takes a plain object (an interface has no index signature)
      await tx.indicatorDefinition.create({
        data: {
          code: indicator.code,
          version,
          definition,
          contentHash,
          source: 'FILE',
          changeNote: `definitions file version ${parsed.version}`,
        },
      });
    }
  });
}

function fromRow(row: { version: number; definition: unknown }): IndicatorDefinition {
  const stored = row.definition as StoredDefinition;
  return {
    ...definitionSchema.parse(stripPlan(stored)),
    version: row.version,
    source: stored.source,
    baselineYear: stored.baselineYear,
    targetYear: stored.targetYear,
  };
}

function stripPlan(stored: StoredDefinition): IndicatorDefinitionData {
  const { source: _s, baselineYear: _b, targetYear: _t, ...definition } = stored;
  return definition;
}

export async function currentDefinitions(prisma: PrismaClient): Promise<Map<string, IndicatorDefinition>> {
  const rows = await prisma.$queryRaw<Array<{ code: string; version: number; definition: unknown }>>`
    SELECT DISTINCT ON (code) code, version, definition FROM indicator_definition ORDER BY code, version DESC`;
  const byCode = new Map(rows.map((row) => [row.code, fromRow(row)]));
  // Codes in table order (the plan's rows), then any others.
  return new Map(
    [...byCode.values()].sort((a, b) => (a.row ?? 99) - (b.row ?? 99) || a.code.localeCompare(b.code)).map((d) => [d.code, d]),
  );
}

export async function definitionVersions(prisma: PrismaClient, code: string) {
  const rows = await prisma.indicatorDefinition.findMany({ where: { code }, orderBy: { version: 'asc' } });
  return rows.map((row) => ({
    ...fromRow(row),
    definitionSource: row.source,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    changeNote: row.changeNote,
  }));
}

/** Stores `changes` applied to the definition in force as the next version of `code`. */
export async function editDefinition(
  prisma: PrismaClient,
  code: string,
  changes: Record<string, unknown>,
  by: string,
  changeNote: string,
): Promise<IndicatorDefinition> {
  if ('code' in changes && changes.code !== code) {
    throw new BadUserInputError('An indicator code cannot change 指标代码不可修改', {
      field: 'changes.code',
      reason: 'CODE_IMMUTABLE',
    });
  }
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${LOCK}))`;
    const latest = await tx.indicatorDefinition.findFirst({ where: { code }, orderBy: { version: 'desc' } });
    if (!latest) throw new NotFoundError(`No indicator ${code} 无此指标`, { field: 'code', reason: 'UNKNOWN_INDICATOR' });
    const stored = latest.definition as unknown as StoredDefinition;
    const result = definitionSchema.safeParse({ ...stripPlan(stored), ...changes, code });
    if (!result.success) {
      const issue = result.error.issues[0]!;
      throw new BadUserInputError(`Invalid definition 指标定义无效: ${issue.path.join('.')}: ${issue.message}`, {
        field: ['changes', ...issue.path].join('.'),
        reason: 'INVALID_DEFINITION',
      });
    }
    const next: StoredDefinition = {
      ...result.data,
      source: stored.source,
      baselineYear: stored.baselineYear,
      targetYear: stored.targetYear,
    };
    const definition: object = next; // a Json column takes a plain object (an interface has no index signature)
    const row = await tx.indicatorDefinition.create({
      data: {
        code,
        version: latest.version + 1,
        definition,
        contentHash: hashOf(next),
        source: 'EDIT',
        createdBy: by,
        changeNote,
      },
    });
    return fromRow(row);
  });
}
