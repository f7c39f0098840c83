/**
 * Cross-department indicators (DESIGN §6): the definitions, their values per region and period, the run
 * events, reported values and definition edits. The engine is indicators/; this file only declares the types.
 * Names marked "relied on" in issue 12 (indicatorValues and its arguments, PopulationBasis, IndicatorValue's
 * indicator { code }, regionCode, period, value, numerator, denominator, status) are kept exactly.
 */
import { BadUserInputError, NotFoundError } from '../domain/errors';
import { toHubError } from '../resolvers/upstream-error';
import { CONNECTOR_NAMES } from '../connectors/department-interface';
import { noteDepartmentChange } from '../indicators/aggregate-cache';
import { indicatorEnvironment } from '../indicators/environment';
import { currentDefinitions, definitionVersions, editDefinition, type IndicatorDefinition } from '../indicators/definitions';
import { computeIndicatorValues, indicatorRun, type IndicatorValueResult } from '../indicators/engine';
import { reportIndicatorValue, type ReportedValue } from '../indicators/reported-values';
import { indicatorDrillDown, type DrillDown, type DrillDownRecord } from '../indicators/drill-down';
import type { InstitutionRecord } from '../connectors/civil-affairs/interface';
import type { PersonRecord } from '../connectors/public-security/interface';
import type { ChildcareInstitutionRecord } from '../connectors/health/interface';
import type { KindergartenRecord } from '../connectors/education/interface';
import { builder } from './builder';
import { ChildcareInstitutionRef, KindergartenRef } from './childcare';
import { ElderlyCareInstitutionRef } from './elderly-care-institution';
import { PersonRef } from './person';
import { RegionLevelEnum } from './region';

export const PopulationBasisEnum = builder.enumType('PopulationBasis', {
  description: '人口口径 Population basis of a denominator',
  values: {
    RESIDENT: { description: '常住人口 Resident population (户籍常住 + 常住非户籍)' },
    REGISTERED: { description: '户籍人口 Registered population (户籍常住 + 户籍非常住)' },
  } as const,
});

const IndicatorKindEnum = builder.enumType('IndicatorKind', {
  description: '指标属性 Kind of indicator in the plan',
  values: { BINDING: { description: '约束性 Binding' }, EXPECTED: { description: '预期性 Expected' } } as const,
});

const IndicatorDirectionEnum = builder.enumType('IndicatorDirection', {
  description: '方向 Which way the indicator should move',
  values: {
    INCREASE: { description: '提高 Should increase' },
    DECREASE: { description: '降低 Should decrease' },
    MAINTAIN: { description: '保持 Should stay at its target' },
  } as const,
});

const ValueStatusEnum = builder.enumType('IndicatorValueStatus', {
  description: '值状态 Status of an indicator value',
  values: {
    OK: { description: '已计算 Computed' },
    NO_DATA: { description: '无数据 The data cannot answer this period (not zero)' },
    ZERO_DENOMINATOR: { description: '分母为零 The denominator is 0' },
    PARTIAL: { description: "部分缺失 A department failed (the error is at this row's path)" },
    SUPPRESSED: { description: '小数抑制 A count too small to publish for this consumer below district level' },
  } as const,
});

const TargetStatusEnum = builder.enumType('TargetStatus', {
  description: '目标进度 Progress towards the plan target',
  values: {
    MET: { description: '已达标 Target reached' },
    ON_TRACK: { description: '进度正常 At least the share of the plan period elapsed' },
    BEHIND: { description: '进度滞后 Behind the elapsed share of the plan period' },
    NO_TARGET: { description: '无目标 No target for this region, or no value' },
  } as const,
});

interface TargetRow {
  regionCode: string;
  year: number;
  value: number;
}

const TargetRef = builder.objectRef<TargetRow>('IndicatorTarget').implement({
  description: '目标值 A target of the plan for a region and year',
  fields: (t) => ({
    regionCode: t.exposeString('regionCode', { description: '区划代码 Region code' }),
    year: t.exposeInt('year', { description: '年份 Year' }),
    value: t.exposeFloat('value', { description: '目标值 Target value' }),
  }),
});

const IdentityRef = builder.objectRef<IndicatorDefinition['identities'][number]>('IndicatorIdentity').implement({
  description: '恒等式 A declared identity: the numerator equals the sum of these metrics (checked on every computation)',
  fields: (t) => ({
    equals: t.exposeStringList('equals', { description: '组成指标 Metrics whose sum the numerator equals' }),
    description: t.string({ nullable: true, description: '说明 Description', resolve: (i) => i.description ?? null }),
  }),
});

export const IndicatorRef = builder.objectRef<IndicatorDefinition>('Indicator').implement({
  description: '指标定义 An indicator definition (DHIS2 model: factor × numerator / denominator), one version',
  fields: (t) => ({
    code: t.exposeString('code', { description: '指标代码 Fixed code (relied on by other tools)' }),
    row: t.int({ nullable: true, description: "规划表序号 Row in the plan's table", resolve: (d) => d.row ?? null }),
    nameZh: t.exposeString('nameZh', { description: '中文名称 Chinese name' }),
    nameEn: t.exposeString('nameEn', { description: '英文名称 English name' }),
    unit: t.exposeString('unit', { description: '单位 Unit' }),
    factor: t.exposeInt('factor', { description: '系数 Factor (1, 100, 1000)' }),
    decimals: t.exposeInt('decimals', { description: '小数位 Decimals of the value' }),
    numerator: t.exposeString('numerator', { description: '分子指标 Numerator metric (or `reported`)' }),
    denominator: t.string({
      nullable: true,
      description: '分母指标 Denominator metric (null: a count)',
      resolve: (d) => d.denominator,
    }),
    basis: t.field({
      type: PopulationBasisEnum,
      nullable: true,
      description: '人口口径 Default population basis',
      resolve: (d) => d.basis,
    }),
    kind: t.field({ type: IndicatorKindEnum, description: '指标属性 Binding or expected', resolve: (d) => d.kind }),
    direction: t.field({ type: IndicatorDirectionEnum, description: '方向 Direction', resolve: (d) => d.direction }),
    baseline: t.float({ nullable: true, description: '现状值 Published baseline', resolve: (d) => d.baseline }),
    baselineYear: t.exposeInt('baselineYear', { description: '现状年份 Year of the baseline' }),
    baselineNote: t.string({
      nullable: true,
      description: '现状值说明 Note on the published baseline',
      resolve: (d) => d.baselineNote,
    }),
    targetYear: t.exposeInt('targetYear', { description: "目标年份 The plan's end year" }),
    targets: t.field({
      type: [TargetRef],
      description: '目标值 Targets per region and year',
      resolve: (d) =>
        Object.entries(d.targets).flatMap(([regionCode, years]) =>
          Object.entries(years).map(([year, value]) => ({ regionCode, year: Number(year), value })),
        ),
    }),
    periodTypes: t.stringList({
      nullable: true,
      description: '适用期间类型 Period types it is defined for (null: all)',
      resolve: (d) => d.periodTypes,
    }),
    identities: t.field({ type: [IdentityRef], description: '恒等式 Declared identities', resolve: (d) => d.identities }),
    version: t.exposeInt('version', { description: '定义版本 Definition version' }),
    source: t.exposeString('source', { description: '来源文件 Source document' }),
  }),
});

const SourceAsOfRef = builder.objectRef<{ connector: string; asOf: string }>('IndicatorSourceAsOf').implement({
  description: "数据时点 When a connector's figures were read",
  fields: (t) => ({
    connector: t.exposeString('connector', { description: '连接器 Connector' }),
    asOf: t.field({ type: 'DateTime', description: '读取时间 Read at', resolve: (s) => s.asOf }),
  }),
});

const IdentityCheckRef = builder.objectRef<IndicatorValueResult['identityChecks'][number]>('IndicatorIdentityCheck').implement({
  description: '恒等式校验 Result of a declared identity on this value',
  fields: (t) => ({
    description: t.exposeString('description', { description: '说明 The identity' }),
    holds: t.exposeBoolean('holds', { description: '是否成立 Whether it holds' }),
    value: t.float({ nullable: true, description: '分子 The numerator', resolve: (c) => c.value }),
    parts: t.float({ nullable: true, description: '组成之和 Sum of the parts', resolve: (c) => c.parts }),
  }),
});

const ValueInputRef = builder.objectRef<IndicatorValueResult['inputs'][number]>('IndicatorValueInput').implement({
  description: '血缘 Where a metric of this value came from',
  fields: (t) => ({
    metric: t.exposeString('metric', { description: '指标项 Metric' }),
    kind: t.exposeString('kind', { description: '类型 STOCK, FLOW, REGION_TREE or REPORTED' }),
    connector: t.string({ nullable: true, description: '连接器 Connector', resolve: (i) => i.connector }),
    aggregate: t.string({ nullable: true, description: '汇总 Aggregate', resolve: (i) => i.aggregate }),
    fetchedAt: t.string({ nullable: true, description: '读取/上报时间 Fetched (or reported) at', resolve: (i) => i.fetchedAt }),
    cache: t.string({ nullable: true, description: '缓存 HIT or MISS', resolve: (i) => i.cache }),
  }),
});

const IndicatorValueRef = builder.objectRef<IndicatorValueResult>('IndicatorValue').implement({
  description: '指标值 One indicator × region × period',
  fields: (t) => ({
    indicator: t.field({
      type: IndicatorRef,
      description: '指标 The definition version that computed it',
      resolve: (v) => v.definition,
    }),
    regionCode: t.exposeString('regionCode', { description: '区划代码 Region code' }),
    regionLevel: t.field({ type: RegionLevelEnum, description: '区划层级 Region level', resolve: (v) => v.regionLevel as never }),
    period: t.exposeString('period', { description: '期间 Period (DHIS2 id: 2022, 2022Q4, 202212)' }),
    periodType: t.exposeString('periodType', { description: '期间类型 YEARLY, QUARTERLY or MONTHLY' }),
    value: t.float({
      nullable: true,
      description:
        "值 factor × numerator / denominator, rounded to the indicator's decimals; null unless OK (PARTIAL: the error is here)",
      resolve: (v) => {
        if (v.error) throw toHubError(v.error);
        return v.value;
      },
    }),
    numerator: t.float({ nullable: true, description: '分子 Numerator', resolve: (v) => v.numerator }),
    denominator: t.float({ nullable: true, description: '分母 Denominator (null: a count)', resolve: (v) => v.denominator }),
    basis: t.field({
      type: PopulationBasisEnum,
      nullable: true,
      description: '人口口径 Population basis used',
      resolve: (v) => v.basis,
    }),
    status: t.field({ type: ValueStatusEnum, description: '状态 Status', resolve: (v) => v.status }),
    notes: t.exposeStringList('notes', {
      description: '说明 Notes (period type, identity violations, suppression, baseline differences)',
    }),
    baseline: t.float({
      nullable: true,
      description: "现状值 Published baseline (the plan's region only)",
      resolve: (v) => v.baseline,
    }),
    baselineNote: t.string({
      nullable: true,
      description: '现状值说明 Note on the published baseline',
      resolve: (v) => v.baselineNote,
    }),
    differenceFromBaseline: t.float({
      nullable: true,
      description: '与现状值之差 Computed minus published baseline, in the baseline year',
      resolve: (v) => v.differenceFromBaseline,
    }),
    target: t.float({
      nullable: true,
      description: "目标值 Target for the period's year, else the plan's end year",
      resolve: (v) => v.target,
    }),
    targetYear: t.int({ nullable: true, description: '目标年份 Year of that target', resolve: (v) => v.targetYear }),
    attainment: t.float({
      nullable: true,
      description: '达成度 Progress from baseline to target (1 = reached)',
      resolve: (v) => v.attainment,
    }),
    targetStatus: t.field({ type: TargetStatusEnum, description: '目标进度 Progress status', resolve: (v) => v.targetStatus }),
    identityChecks: t.field({
      type: [IdentityCheckRef],
      description: '恒等式校验 Declared identities checked',
      resolve: (v) => v.identityChecks,
    }),
    definitionVersion: t.exposeInt('definitionVersion', { description: '定义版本 Version of the definition used' }),
    computedAt: t.field({ type: 'DateTime', description: '计算时间 Computed at', resolve: (v) => v.computedAt }),
    sourcesAsOf: t.field({
      type: [SourceAsOfRef],
      description: '数据时点 Per connector, when its figures were read',
      resolve: (v) => v.sourcesAsOf,
    }),
    inputs: t.field({
      type: [ValueInputRef],
      description: '血缘 Lineage of the metrics (REPORTED for reported values)',
      resolve: (v) => v.inputs,
    }),
    runId: t.exposeString('runId', { description: '运行编号 Id of the run (indicatorRun)' }),
  }),
});

interface RunRow {
  id: string;
  createdAt: Date;
  consumerCode: string | null;
  event: unknown;
}

const IndicatorRunRef = builder.objectRef<RunRow>('IndicatorRun').implement({
  description: '指标计算运行 One computation as an OpenLineage-style run event (job, inputs with query and as-of time, outputs)',
  fields: (t) => ({
    id: t.exposeString('id', { description: '运行编号 Run id' }),
    createdAt: t.field({ type: 'DateTime', description: '时间 When it ran', resolve: (r) => r.createdAt }),
    consumerCode: t.string({ nullable: true, description: '接入方 Consumer that asked', resolve: (r) => r.consumerCode }),
    eventType: t.string({
      description: '事件类型 COMPLETE, or FAIL when a department failed',
      resolve: (r) => String((r.event as { eventType: string }).eventType),
    }),
    event: t.string({ description: '运行事件 The OpenLineage run event as JSON text', resolve: (r) => JSON.stringify(r.event) }),
  }),
});

builder.queryFields((t) => ({
  indicatorRun: t.field({
    type: IndicatorRunRef,
    nullable: true,
    description: '指标计算运行 A persisted run (runId of a value); null when unknown',
    args: { id: t.arg.string({ required: true, description: '运行编号 Run id' }) },
    resolve: async (_root, args, ctx) => {
      if (!/^[0-9a-f-]{36}$/i.test(args.id))
        throw new BadUserInputError('Malformed run id 运行编号格式错误', { field: 'id', reason: 'MALFORMED_ID' });
      const run = await indicatorRun(ctx.prisma, args.id);
      if (run && ctx.access.regionScope && !ctx.access.hasRole('ADMIN') && run.consumerCode !== ctx.access.consumer.code)
        return null;
      return run;
    },
  }),
  indicators: t.field({
    type: [IndicatorRef],
    description: '指标定义 Indicator definitions in force (all, or these codes / kinds)',
    args: {
      codes: t.arg.stringList({ required: false, description: '指标代码 Codes' }),
      kinds: t.arg({ type: [IndicatorKindEnum], required: false, description: '指标属性 Kinds' }),
    },
    resolve: async (_root, args, ctx) => {
      const all = [...(await currentDefinitions(ctx.prisma)).values()];
      return all.filter(
        (d) => (!args.codes?.length || args.codes.includes(d.code)) && (!args.kinds?.length || args.kinds.includes(d.kind)),
      );
    },
  }),
  indicatorVersions: t.field({
    type: [IndicatorRef],
    description: '指标定义版本 Every version of one indicator, oldest first',
    args: { code: t.arg.string({ required: true, description: '指标代码 Code' }) },
    resolve: (_root, args, ctx) => definitionVersions(ctx.prisma, args.code),
  }),
  indicatorValues: t.field({
    type: [IndicatorValueRef],
    description: '指标值 One value per indicator × region × period, computed live from the departments',
    args: {
      codes: t.arg.stringList({ required: false, description: '指标代码 Codes (default: all)' }),
      regionCodes: t.arg.stringList({ required: false, description: '区划代码 Regions' }),
      regionLevel: t.arg({
        type: RegionLevelEnum,
        required: false,
        description: '层级 Every region of this level under parentCode',
      }),
      parentCode: t.arg.string({
        required: false,
        description: '上级区划 Parent region (its children, or its regions of regionLevel)',
      }),
      periods: t.arg.stringList({
        required: true,
        description: '期间 Periods: 2022, 2022Q4, 202212, THIS_YEAR, LAST_12_MONTHS…',
      }),
      basis: t.arg({
        type: PopulationBasisEnum,
        required: false,
        description: "人口口径 Population basis (default: each indicator's)",
      }),
    },
    resolve: async (_root, args, ctx) => {
      const result = await computeIndicatorValues(
        indicatorEnvironment(ctx),
        {
          codes: args.codes,
          regionCodes: args.regionCodes,
          regionLevel: (args.regionLevel as 'DISTRICT' | 'STREET' | 'COMMUNITY' | null | undefined) ?? null,
          parentCode: args.parentCode,
          periods: args.periods,
          basis: args.basis,
        },
        {
          consumerCode: ctx.access.consumer.code,
          regionScope: ctx.access.regionScope,
          recordLevel: ctx.access.canRead('Person.citizenId'),
        },
      );
      return result.values;
    },
  }),
}));

const ReportedValueRef = builder.objectRef<ReportedValue>('ReportedIndicatorValue').implement({
  description: '上报值 A reported figure no department holds',
  fields: (t) => ({
    id: t.exposeString('id', { description: '编号 Id of the report' }),
    code: t.exposeString('code', { description: '指标代码 Indicator code' }),
    regionCode: t.exposeString('regionCode', { description: '区划代码 Region' }),
    period: t.exposeString('period', { description: '期间 Period' }),
    value: t.exposeFloat('value', { description: '值 Value' }),
    evidence: t.exposeString('evidence', { description: '依据 Evidence note' }),
    reportedBy: t.exposeString('reportedBy', { description: '上报方 Consumer code' }),
    reportedAt: t.field({ type: 'DateTime', description: '上报时间 Reported at', resolve: (r) => r.reportedAt }),
  }),
});

const DefinitionChangesInput = builder.inputType('IndicatorDefinitionChanges', {
  description: '指标定义修改 Fields to change (the rest is kept); the result is a new version',
  fields: (t) => ({
    nameZh: t.string({ required: false, description: '中文名称 Chinese name' }),
    nameEn: t.string({ required: false, description: '英文名称 English name' }),
    unit: t.string({ required: false, description: '单位 Unit' }),
    factor: t.int({ required: false, description: '系数 Factor (1, 100, 1000)' }),
    decimals: t.int({ required: false, description: '小数位 Decimals (0-4)' }),
    numerator: t.string({ required: false, description: '分子指标 Numerator metric' }),
    denominator: t.string({ required: false, description: '分母指标 Denominator metric' }),
    basis: t.field({ type: PopulationBasisEnum, required: false, description: '人口口径 Basis' }),
    baseline: t.float({ required: false, description: '现状值 Baseline' }),
    targetValue: t.float({ required: false, description: '目标值 Target of the plan region for the target year' }),
  }),
});

builder.mutationFields((t) => ({
  reportIndicatorValue: t.field({
    type: ReportedValueRef,
    // Any of the two: the department that holds the figure's evidence reports it (REPORTER, inside its region
    // scope: reportIndicatorValue checks), or an administrator.
    authScopes: { admin: true, reporter: true },
    audit: 'administration',
    description:
      '上报指标值 Report a figure no department holds (REPORTER inside its region scope, or ADMIN; audited; REPORTED in lineage)',
    args: {
      code: t.arg.string({ required: true, description: '指标代码 Indicator whose numerator is `reported`' }),
      regionCode: t.arg.string({ required: true, description: '区划代码 Region' }),
      period: t.arg.string({ required: true, description: '期间 Period (fixed: 2022, 2022Q4, 202212)' }),
      value: t.arg.float({ required: true, description: '值 Value' }),
      evidence: t.arg.string({ required: true, description: '依据 Evidence note (document, meeting minutes…)' }),
    },
    resolve: (_root, args, ctx) => {
      return reportIndicatorValue(ctx.prisma, args, {
        consumerCode: ctx.access.consumer.code,
        requestId: ctx.requestId,
        regionScope: ctx.access.regionScope,
      });
    },
  }),
  updateIndicatorDefinition: t.field({
    type: IndicatorRef,
    authScopes: { admin: true },
    audit: 'administration',
    description: '修改指标定义 Change a definition (ADMIN; audited): stored as a new version',
    args: {
      code: t.arg.string({ required: true, description: '指标代码 Code' }),
      changes: t.arg({ type: DefinitionChangesInput, required: true, description: '修改 Changes' }),
      changeNote: t.arg.string({ required: true, description: '修改说明 Why' }),
    },
    resolve: async (_root, args, ctx) => {
      const { targetValue, ...rest } = args.changes;
      const changes: Record<string, unknown> = Object.fromEntries(
        Object.entries(rest).filter(([, v]) => v !== undefined && v !== null),
      );
      if (targetValue !== undefined && targetValue !== null) {
        const current = (await currentDefinitions(ctx.prisma)).get(args.code);
        if (!current)
          throw new NotFoundError(`No indicator ${args.code} 无此指标`, { field: 'code', reason: 'UNKNOWN_INDICATOR' });
        const region = Object.keys(current.targets)[0] ?? '500103';
        changes.targets = {
          ...current.targets,
          [region]: { ...(current.targets[region] ?? {}), [String(current.targetYear)]: targetValue },
        };
      }
      if (!args.changeNote.trim())
        throw new BadUserInputError('A change note is needed 需填写修改说明', { field: 'changeNote', reason: 'REQUIRED' });
      return editDefinition(ctx.prisma, args.code, changes, ctx.access.consumer.code, args.changeNote);
    },
  }),
  notifyDepartmentChange: t.field({
    type: 'Int',
    authScopes: { admin: true },
    audit: 'administration',
    description:
      '部门数据变更通知 A department reports a change (or a data set was loaded): cached aggregates of it are dropped on every hub instance; returns its new data version',
    args: { connector: t.arg.string({ required: true, description: '连接器 Connector name' }) },
    resolve: (_root, args, ctx) => {
      if (!(CONNECTOR_NAMES as readonly string[]).includes(args.connector)) {
        throw new BadUserInputError('Unknown connector 未知连接器', { field: 'connector', reason: 'UNKNOWN_CONNECTOR' });
      }
      return noteDepartmentChange(ctx.prisma, args.connector as (typeof CONNECTOR_NAMES)[number]);
    },
  }),
}));

// ------------------------------------------------------------------------------------------- drill-down

const DrillDownSideEnum = builder.enumType('IndicatorSide', {
  description: '分子或分母 Side of an indicator value',
  values: { NUMERATOR: { description: '分子 The numerator' }, DENOMINATOR: { description: '分母 The denominator' } } as const,
});

const RecordTypeEnum = builder.enumType('IndicatorRecordType', {
  description: '记录类型 What the records behind a figure are',
  values: {
    FACILITY: { description: '养老服务设施 Elderly-care facility (民政)' },
    CHILDCARE_INSTITUTION: { description: '托育机构 Childcare institution (卫健)' },
    KINDERGARTEN: { description: '幼儿园 Kindergarten with nursery classes (教育)' },
    PERSON: { description: '人员 A person (公安 register; personal data, catalogued and audited as any read)' },
  } as const,
});

const recordAs = <T>(type: DrillDownRecord['recordType'], r: DrillDownRecord) =>
  r.recordType === type ? (r.record as T | null) : null;

const RecordEdgeRef = builder.objectRef<{ cursor: string; node: DrillDownRecord }>('IndicatorRecordEdge').implement({
  description: '下钻条目 One record behind a figure, with its cursor; exactly one of the record fields is set',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: '游标 Pass it as `after` to continue after this record' }),
    metric: t.string({ description: '指标项 The metric (part) the record belongs to', resolve: (e) => e.node.metric }),
    recordType: t.field({ type: RecordTypeEnum, description: '记录类型 What the record is', resolve: (e) => e.node.recordType }),
    contribution: t.float({
      description: '贡献 What the record adds to the figure (1 for a count; its beds or places for a sum)',
      resolve: (e) => e.node.contribution,
    }),
    facility: t.field({
      type: ElderlyCareInstitutionRef,
      nullable: true,
      description: '养老服务设施 The facility (FACILITY)',
      resolve: (e) => recordAs<InstitutionRecord>('FACILITY', e.node),
    }),
    childcareInstitution: t.field({
      type: ChildcareInstitutionRef,
      nullable: true,
      description: '托育机构 The childcare institution (CHILDCARE_INSTITUTION)',
      resolve: (e) => recordAs<ChildcareInstitutionRecord>('CHILDCARE_INSTITUTION', e.node),
    }),
    kindergarten: t.field({
      type: KindergartenRef,
      nullable: true,
      description: '幼儿园 The kindergarten (KINDERGARTEN)',
      resolve: (e) => recordAs<KindergartenRecord>('KINDERGARTEN', e.node),
    }),
    person: t.field({
      type: PersonRef,
      nullable: true,
      audit: 'personal',
      description:
        '人员 The person (PERSON; null when 公安 holds no record of them); fields masked or refused as the catalogue says',
      resolve: (e) => recordAs<PersonRecord>('PERSON', e.node),
    }),
  }),
});

const DrillDownRef = builder.objectRef<DrillDown>('IndicatorDrillDown').implement({
  description: '指标下钻 The records behind one side of an indicator value, paged forward',
  fields: (t) => ({
    code: t.exposeString('code', { description: '指标代码 Indicator code' }),
    regionCode: t.exposeString('regionCode', { description: '区划代码 Region' }),
    period: t.exposeString('period', { description: '期间 Period' }),
    side: t.field({ type: DrillDownSideEnum, description: '分子或分母 Side', resolve: (d) => d.side }),
    metric: t.exposeString('metric', { description: "指标项 The side's metric" }),
    parts: t.exposeStringList('parts', {
      description: '组成 Metrics whose records are listed, in list order (a composite has several)',
    }),
    basis: t.field({
      type: PopulationBasisEnum,
      description: '人口口径 Population basis of people lists',
      resolve: (d) => d.basis,
    }),
    totalCount: t.exposeInt('totalCount', {
      description: '总数 Records behind the figure (all pages; equals the figure for a count)',
    }),
    pageInfo: t.field({ type: builder.pageInfoRef(), description: '分页信息 Paging information', resolve: (d) => d.pageInfo }),
    edges: t.field({
      type: [RecordEdgeRef],
      audit: 'personal',
      description: '条目 The records of this page',
      resolve: (d) => d.edges,
    }),
  }),
});

builder.queryField('indicatorDrillDown', (t) =>
  t.field({
    type: DrillDownRef,
    nullable: true,
    audit: 'personal',
    description: '指标下钻 The records behind an indicator value (facilities, places, people), paged forward (first ≤ 200)',
    args: {
      code: t.arg.string({ required: true, description: '指标代码 Indicator code' }),
      regionCode: t.arg.string({ required: true, description: '区划代码 Region' }),
      period: t.arg.string({ required: true, description: '期间 One period (2022, 2022Q4, 202212, THIS_YEAR…)' }),
      side: t.arg({ type: DrillDownSideEnum, required: true, description: '分子或分母 Numerator or denominator' }),
      basis: t.arg({
        type: PopulationBasisEnum,
        required: false,
        description: "人口口径 Population basis (default: the indicator's)",
      }),
      first: t.arg.int({ required: false, description: '每页条数 How many records (1-200, default 20)' }),
      after: t.arg.string({ required: false, description: '起始游标 Continue after this cursor' }),
    },
    resolve: (_root, args, ctx) => indicatorDrillDown(ctx, args),
  }),
);
