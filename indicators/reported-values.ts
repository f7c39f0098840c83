/**
 * Reported values: figures no department system holds (rows 15–17 of the plan's table), reported per region
 * and period by an authorised consumer with an evidence note. Stored with who reported them and the request
 * (the request's audit event records the report); the latest report of (code, region, period) is in force and
 * shows as REPORTED in the value's lineage.
 */
import { BadUserInputError } from '../domain/errors';
import { parseFixedPeriod } from '../domain/periods';
import { contains, regionCodeSchema } from '../domain/regions';
import type { PrismaClient } from '../prisma/client';
import { currentDefinitions } from './definitions';

export interface ReportedValue {
  id: string;
  code: string;
  regionCode: string;
  period: string;
  value: number;
  evidence: string;
  reportedBy: string;
  reportedAt: Date;
}

export async function reportIndicatorValue(
  prisma: PrismaClient,
  input: { code: string; regionCode: string; period: string; value: number; evidence: string },
  by: { consumerCode: string; requestId: string; regionScope: string | null },
): Promise<ReportedValue> {
  const definition = (await currentDefinitions(prisma)).get(input.code);
  if (!definition) throw new BadUserInputError('Unknown indicator 未知指标', { field: 'code', reason: 'UNKNOWN_INDICATOR' });
  if (definition.numerator !== 'reported') {
    throw new BadUserInputError(`${input.code} is computed from the departments, not reported 该指标由部门数据计算`, {
      field: 'code',
      reason: 'NOT_REPORTED_INDICATOR',
    });
  }
  if (!regionCodeSchema.safeParse(input.regionCode).success) {
    throw new BadUserInputError('Malformed region code 区划代码格式错误', {
      field: 'regionCode',
      reason: 'MALFORMED_REGION_CODE',
    });
  }
  if (!(await prisma.region.findUnique({ where: { code: input.regionCode } }))) {
    throw new BadUserInputError('Unknown region 未知区划', { field: 'regionCode', reason: 'UNKNOWN_REGION' });
  }
  if (by.regionScope && !contains(by.regionScope, input.regionCode)) {
    throw new BadUserInputError("Region outside the consumer's scope 超出区划范围", {
      field: 'regionCode',
      reason: 'OUTSIDE_REGION_SCOPE',
    });
  }
  if (!parseFixedPeriod(input.period)) {
    throw new BadUserInputError('Malformed period (2022, 2022Q4, 202212) 期间格式错误', {
      field: 'period',
      reason: 'MALFORMED_PERIOD',
    });
  }
  if (!Number.isFinite(input.value) || input.value < 0 || (definition.unit === '%' && input.value > 100)) {
    throw new BadUserInputError('Value out of range 数值超出范围', { field: 'value', reason: 'OUT_OF_RANGE' });
  }
  const evidence = input.evidence.trim();
  if (evidence.length < 2 || evidence.length > 2000) {
    throw new BadUserInputError('An evidence note (2-2000 characters) is needed 需填写依据', {
      field: 'evidence',
      reason: 'EVIDENCE_REQUIRED',
    });
  }
  return prisma.indicatorReportedValue.create({
    data: { ...input, evidence, reportedBy: by.consumerCode, requestId: by.requestId },
  });
}
