/**
 * 出生一件事 newborn joint application: its types, the staff queries, the applicant's mutations and the
 * subscription. Names relied on by outside tools (issue 11) are kept exactly: submitBirthApplication,
 * BirthApplicationInput and its fields, BirthApplicationItem, birthApplication(id), the status values, steps.
 */
import type { BirthApplicationEvent as EventRow } from '../prisma/generated/client';
import { forwardConnection } from '../resolvers/connection';
import { BadUserInputError } from '../domain/errors';
import { uncoveredYears } from '../domain/service-clock';
import { BIRTH_STEPS, stepDefinition } from '../workflows/birth/graph';
import { BIRTH_APPLICATION_ITEMS, type BirthApplicationInput as InputShape } from '../workflows/birth/input';
import {
  cancelBirthApplication,
  correctBirthApplication,
  getBirthApplication,
  isOverdue,
  listWhere,
  submitBirthApplication,
} from '../workflows/birth/cases';
import type { CaseWithSteps } from '../workflows/birth/store';
import { builder } from './builder';
import { SexEnum } from './person';

type StepRow = CaseWithSteps['steps'][number];

const StatusEnum = builder.enumType('BirthApplicationStatus', {
  description: '联办申请状态 State of a newborn joint application',
  values: {
    SUBMITTED: { description: '已受理 Accepted after pre-review; no step dispatched yet' },
    IN_PROGRESS: { description: '办理中 Steps are running' },
    COMPLETED: { description: '已办结 Every chosen step succeeded' },
    NEEDS_CORRECTION: { description: '待补正 A department rejected a step for a reason the applicant can fix (clock paused)' },
    REJECTED: { description: '不予受理 Not eligible (terminal)' },
    CANCELLED: { description: '已撤回 Cancelled by the applicant (terminal)' },
  },
});

const StepStateEnum = builder.enumType('BirthStepState', {
  description: '环节状态 State of one department step',
  values: {
    BLOCKED: { description: '等待前置环节 Waiting for the steps it needs' },
    READY: { description: '待发送 Ready to be sent' },
    DISPATCHED: { description: '已发送 Sent (recorded before the call); retried with the same key on failure' },
    AWAITING_REPLY: { description: '等待回复 Accepted by an asynchronous department; waiting for its reply' },
    SUCCEEDED: { description: '已完成 Done; the identifier is produced' },
    REJECTED: { description: '被退回 The department refused it' },
    FAILED: { description: '失败 Cannot succeed by retrying (the department refused the request as malformed)' },
    SKIPPED: { description: '未选择 Not chosen by the parents' },
    CANCELLED: { description: '已撤回 Cancelled with the application' },
  },
});

const StepCodeEnum = builder.enumType('BirthStepCode', {
  description: '联办环节 A step of the joint application',
  values: Object.fromEntries(BIRTH_STEPS.map((s) => [s.code, { description: s.name }])),
});

export const BirthApplicationItemEnum = builder.enumType('BirthApplicationItem', {
  description:
    '可选事项 Optional items the parents may choose (birth certificate and household registration are always included)',
  values: {
    VACCINATION_ARCHIVE: { description: '预防接种档案 Vaccination archive' },
    MEDICAL_INSURANCE: { description: '城乡居民医保参保 Resident medical insurance enrolment' },
    SOCIAL_SECURITY_CARD: { description: '社保卡申领 Social security card (needs MEDICAL_INSURANCE)' },
  } satisfies Record<(typeof BIRTH_APPLICATION_ITEMS)[number], unknown>,
});

interface Lineage {
  department: string;
  connector: string;
  sourceRecordId: string;
  sourceUpdatedAt: string | null;
  fetchedAt: string;
  via: string;
}

const IdentifierLineageRef = builder.objectRef<Lineage>('BirthIdentifierLineage').implement({
  description: '标识来源 Where a produced identifier comes from',
  fields: (t) => ({
    department: t.exposeString('department', { description: '部门 Department (connector name)' }),
    connector: t.exposeString('connector', { description: '连接器 Connector' }),
    sourceRecordId: t.exposeString('sourceRecordId', { description: '源记录 Record id at the department' }),
    sourceUpdatedAt: t.exposeString('sourceUpdatedAt', {
      nullable: true,
      description: '源更新时间 When the department last changed it',
    }),
    fetchedAt: t.exposeString('fetchedAt', { description: '获取时间 When the hub received it' }),
    via: t.exposeString('via', {
      description:
        "途径 command (its answer), record (the department's published record, read after a callback or a poll) or read-back (the command's answer read by its idempotency key, past the step's deadline)",
    }),
  }),
});

const StepRef = builder.objectRef<StepRow>('BirthApplicationStep').implement({
  description: '办理环节 One department step of the case',
  fields: (t) => ({
    code: t.field({ type: StepCodeEnum, description: '环节 Step', resolve: (s) => s.code }),
    name: t.string({ description: '名称 Name', resolve: (s) => stepDefinition(s.code).name }),
    state: t.field({ type: StepStateEnum, description: '状态 State', resolve: (s) => s.state }),
    department: t.string({ description: '部门 Department', resolve: (s) => s.connector }),
    command: t.exposeString('command', { description: '部门指令 Department command' }),
    needs: t.field({
      type: [StepCodeEnum],
      description: '前置环节 Steps it needs first',
      resolve: (s) => stepDefinition(s.code).needs,
    }),
    idempotencyKey: t.exposeString('idempotencyKey', { description: '幂等键 Idempotency key every attempt sends' }),
    attempts: t.exposeInt('attempts', { description: '发送次数 Dispatch attempts' }),
    readyAt: t.expose('readyAt', { type: 'DateTime', nullable: true, description: '就绪时间 When it became ready' }),
    dispatchedAt: t.expose('dispatchedAt', { type: 'DateTime', nullable: true, description: '首次发送 First dispatch' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true, description: '完成时间 When it ended' }),
    deadlineAt: t.expose('deadlineAt', { type: 'DateTime', nullable: true, description: '时限 Step deadline' }),
    overdue: t.exposeBoolean('overdue', { description: '是否超时 Past its deadline (or failed)' }),
    replyReason: t.exposeString('replyReason', { nullable: true, description: '退回原因 Department reason code' }),
    replyField: t.exposeString('replyField', { nullable: true, description: '退回字段 Department input field to fix' }),
    replyMessage: t.exposeString('replyMessage', { nullable: true, description: '退回说明 Department message' }),
    lastError: t.exposeString('lastError', { nullable: true, description: '最近错误 Last transient failure' }),
    identifier: t.exposeString('identifier', {
      nullable: true,
      description: '产出标识 Identifier produced (certificate number, citizen ID, archive, enrolment, card number)',
    }),
    lineage: t.field({
      type: IdentifierLineageRef,
      nullable: true,
      description: '来源 Lineage of the identifier',
      resolve: (s) => (s.lineage as Lineage | null) ?? null,
    }),
  }),
});

const EventRef = builder.objectRef<EventRow>('BirthApplicationEvent').implement({
  description: '办理记录 One event of the case history (append-only)',
  fields: (t) => ({
    seq: t.string({ description: '序号 Order', resolve: (e) => e.seq.toString() }),
    at: t.expose('at', { type: 'DateTime', description: '时间 When' }),
    actor: t.exposeString('actor', { description: '操作方 consumer:<code>, hub, or department:<connector>' }),
    type: t.exposeString('type', {
      description:
        '类型 SUBMITTED, PRE_REVIEW_PASSED, STEP_READY, STEP_DISPATCHED, STEP_RETRY, STEP_OVERDUE, STEP_ACCEPTED, CALLBACK_RECEIVED, STEP_SUCCEEDED, STEP_REJECTED, STEP_FAILED, NEEDS_CORRECTION, CORRECTED, CANCELLED, REJECTED, COMPLETED',
    }),
    step: t.field({ type: StepCodeEnum, nullable: true, description: '环节 Step', resolve: (e) => e.step }),
    revision: t.exposeInt('revision', { description: '版本 Input revision' }),
    detail: t.string({
      nullable: true,
      description: '详情 Details as JSON',
      resolve: (e) => (e.detail === null ? null : JSON.stringify(e.detail)),
    }),
  }),
});

const ChildRef = builder.objectRef<{ input: InputShape['child']; citizenId: string | null }>('BirthApplicationChild').implement({
  description: '新生儿 The child',
  fields: (t) => ({
    name: t.string({ catalogue: { item: 'PS_IDENTITY', mask: 'NAME' }, description: '姓名 Name', resolve: (c) => c.input.name }),
    sex: t.field({ type: SexEnum, description: '性别 Sex', resolve: (c) => c.input.sex }),
    birthDate: t.field({ type: 'Date', description: '出生日期 Birth date', resolve: (c) => c.input.birthDate }),
    birthTime: t.string({
      nullable: true,
      description: '出生时间 Time of birth, HH:MM',
      resolve: (c) => c.input.birthTime ?? null,
    }),
    birthPlace: t.string({ description: '出生地点/助产机构 Birth place', resolve: (c) => c.input.birthPlace }),
    birthOrder: t.int({ description: '孩次 Birth order', resolve: (c) => c.input.birthOrder }),
    citizenId: t.string({
      nullable: true,
      catalogue: { item: 'PS_IDENTITY', mask: 'CITIZEN_ID' },
      description: '公民身份号码 Citizen ID once registered (公安)',
      resolve: (c) => c.citizenId,
    }),
  }),
});

const CorrectionRef = builder
  .objectRef<{ step: string | null; reason: string | null; field: string | null; message: string | null }>(
    'BirthApplicationCorrection',
  )
  .implement({
    description: '退回原因 Why the case needs a correction (or was rejected)',
    fields: (t) => ({
      step: t.field({ type: StepCodeEnum, nullable: true, description: '环节 Step', resolve: (c) => c.step }),
      reason: t.exposeString('reason', { nullable: true, description: '部门原因代码 Department reason code' }),
      field: t.exposeString('field', { nullable: true, description: '需补正的输入 Input path to correct' }),
      message: t.exposeString('message', { nullable: true, description: '说明 Department message' }),
    }),
  });

export const BirthApplicationRef = builder.objectRef<CaseWithSteps>('BirthApplication').implement({
  description: '出生一件事联办申请 A newborn joint application',
  fields: (t) => ({
    id: t.exposeID('id', { description: '申请编号 Application id' }),
    status: t.field({ type: StatusEnum, description: '状态 State', resolve: (a) => a.status }),
    revision: t.exposeInt('revision', { description: '版本 Input revision (1 + corrections)' }),
    child: t.field({
      type: ChildRef,
      audit: 'personal',
      description: '新生儿 The child',
      resolve: (a) => ({ input: (a.input as unknown as InputShape).child, citizenId: a.childCitizenId }),
    }),
    items: t.field({
      type: [BirthApplicationItemEnum],
      description: '所选事项 Chosen items',
      resolve: (a) => (a.input as unknown as InputShape).items,
    }),
    registeringParent: t.exposeString('registeringParent', {
      description: '申报人 MOTHER or FATHER (whose household the child joins)',
    }),
    regionCode: t.exposeString('regionCode', { description: '参保社区 Enrolment community' }),
    submittedAt: t.expose('submittedAt', { type: 'DateTime', description: '受理时间 Accepted at' }),
    dueAt: t.expose('dueAt', {
      type: 'DateTime',
      description: '承诺办结 Due (working days, paused while waiting on the applicant)',
    }),
    dueAtEstimated: t.boolean({
      description:
        '时限为估算 dueAt reaches into a year whose State Council holiday notice the calendar does not hold yet (counted by weekends only)',
      resolve: (a) => uncoveredYears(a.submittedAt, a.dueAt).length > 0,
    }),
    overdue: t.boolean({
      description: '是否超期 Past its due date, or a step past its deadline',
      resolve: (a, _args, ctx) => isOverdue(a, ctx.joint.birth?.now() ?? new Date()),
    }),
    closedAt: t.expose('closedAt', { type: 'DateTime', nullable: true, description: '结束时间 When it ended' }),
    correction: t.field({
      type: CorrectionRef,
      nullable: true,
      description: '退回原因 The rejection to correct (NEEDS_CORRECTION) or the reason of a REJECTED case',
      resolve: (a) =>
        a.correctionReason
          ? { step: a.correctionStep, reason: a.correctionReason, field: a.correctionField, message: a.correctionMessage }
          : null,
    }),
    cancelReason: t.exposeString('cancelReason', { nullable: true, description: '撤回理由 Why it was cancelled' }),
    registered: t.boolean({
      description: '已落户 Whether the birth registration is done (not undone by a cancellation)',
      resolve: (a) => a.steps.some((s) => s.code === 'BIRTH_REGISTRATION' && s.state === 'SUCCEEDED'),
    }),
    steps: t.field({
      type: [StepRef],
      description: '办理环节 Steps in graph order',
      resolve: (a) => BIRTH_STEPS.map((d) => a.steps.find((s) => s.code === d.code)).filter((s): s is StepRow => !!s),
    }),
    history: t.field({
      type: [EventRef],
      description: '办理记录 The case history, oldest first',
      resolve: (a, _args, ctx) =>
        ctx.prisma.birthApplicationEvent.findMany({ where: { applicationId: a.id }, orderBy: { seq: 'asc' } }),
    }),
  }),
});

const ChildInput = builder.inputType('BirthApplicationChildInput', {
  description: '新生儿信息 The child',
  fields: (t) => ({
    name: t.string({ required: true, description: '姓名 1–10 个汉字 Name, 1 to 10 Chinese characters' }),
    sex: t.field({ type: SexEnum, required: true, description: '性别 Sex' }),
    birthDate: t.field({ type: 'Date', required: true, description: '出生日期 Birth date' }),
    birthTime: t.string({ description: '出生时间 Time of birth, HH:MM' }),
    birthPlace: t.string({ required: true, description: '出生地点/助产机构 Birth place (midwifery institution)' }),
    birthOrder: t.int({ required: true, description: '孩次 Birth order' }),
    birthWeightG: t.int({ description: '出生体重（克）Birth weight in grams (needed by the birth certificate)' }),
    surnameException: t.boolean({ description: '姓氏例外 The surname is not a parent’s (documented exception)' }),
  }),
});

const ParentInput = builder.inputType('BirthApplicationParentInput', {
  description: '父母信息 A parent',
  fields: (t) => ({
    citizenId: t.string({ required: true, description: '公民身份号码 Citizen ID' }),
    phone: t.string({ required: true, description: '手机号 Mobile phone, 11 digits starting with 1' }),
  }),
});

const BirthApplicationInputRef = builder.inputType('BirthApplicationInput', {
  description: '出生一件事申请 The joint application as the parents fill it in',
  fields: (t) => ({
    child: t.field({ type: ChildInput, required: true, description: '新生儿 The child' }),
    mother: t.field({ type: ParentInput, required: true, description: '母亲 Mother' }),
    father: t.field({ type: ParentInput, required: true, description: '父亲 Father' }),
    marriageCertificateNumber: t.string({ required: true, description: '结婚证号 Marriage certificate number' }),
    householdHeadCitizenId: t.string({
      required: true,
      description: '落户户主身份号码 Citizen ID of the head of the household to register into',
    }),
    householdConsent: t.boolean({ description: '户主同意 The household head consents (required to be true)' }),
    enrolmentRegionCode: t.string({ required: true, description: '参保社区 Community (12 digits) for the insurance enrolment' }),
    items: t.field({ type: [BirthApplicationItemEnum], required: true, description: '可选事项 Chosen optional items' }),
    cardBank: t.string({
      description: '社保卡合作银行 Partner bank of the social security card (人社 keeps the list; absent: 人社 assigns one)',
    }),
  }),
});

const ChildPatch = builder.inputType('BirthApplicationChildPatch', {
  description: '新生儿信息更正 Corrections to the child',
  fields: (t) => ({
    name: t.string({ description: '姓名 Name' }),
    sex: t.field({ type: SexEnum, description: '性别 Sex' }),
    birthDate: t.field({ type: 'Date', description: '出生日期 Birth date' }),
    birthTime: t.string({ description: '出生时间 Time of birth, HH:MM' }),
    birthPlace: t.string({ description: '出生地点 Birth place' }),
    birthOrder: t.int({ description: '孩次 Birth order' }),
    birthWeightG: t.int({ description: '出生体重 Birth weight in grams' }),
    surnameException: t.boolean({ description: '姓氏例外 Surname exception' }),
  }),
});

const ParentPatch = builder.inputType('BirthApplicationParentPatch', {
  description: '父母信息更正 Corrections to a parent',
  fields: (t) => ({
    citizenId: t.string({ description: '公民身份号码 Citizen ID' }),
    phone: t.string({ description: '手机号 Mobile phone' }),
  }),
});

const PatchInput = builder.inputType('BirthApplicationPatch', {
  description: '补正内容 What a correction changes (absent fields stay)',
  fields: (t) => ({
    child: t.field({ type: ChildPatch, description: '新生儿 The child' }),
    mother: t.field({ type: ParentPatch, description: '母亲 Mother' }),
    father: t.field({ type: ParentPatch, description: '父亲 Father' }),
    marriageCertificateNumber: t.string({ description: '结婚证号 Marriage certificate number' }),
    householdHeadCitizenId: t.string({ description: '户主身份号码 Household head' }),
    householdConsent: t.boolean({ description: '户主同意 Consent' }),
    enrolmentRegionCode: t.string({ description: '参保社区 Community' }),
    cardBank: t.string({ description: '社保卡合作银行 Partner bank of the social security card' }),
  }),
});

const FilterInput = builder.inputType('BirthApplicationFilter', {
  description: '联办申请筛选 Which applications to list',
  fields: (t) => ({
    status: t.field({ type: StatusEnum, description: '状态 State' }),
    regionCode: t.string({ description: '区划 Region (any level)' }),
    overdue: t.boolean({ description: '超期 Only overdue (true) or only not overdue (false)' }),
    submittedFrom: t.field({ type: 'DateTime', description: '受理起 Accepted at or after' }),
    submittedTo: t.field({ type: 'DateTime', description: '受理止 Accepted at or before' }),
  }),
});

/** GraphQL input (Sex as M/F already) onto the shape pre-review parses. */
function shapeOf(input: object): unknown {
  return JSON.parse(JSON.stringify(input));
}

builder.mutationField('submitBirthApplication', (t) =>
  t.field({
    // Over the case's people (parents, household head, child): audited as a personal read.
    audit: 'personal',
    type: BirthApplicationRef,
    nullable: true,
    description:
      '提交出生一件事申请 Submit a newborn joint application (purpose BIRTH_JOINT_SERVICE); pre-review lists every problem at once',
    args: {
      input: t.arg({ type: BirthApplicationInputRef, required: true, description: '申请 The application' }),
      idempotencyKey: t.arg.string({
        required: true,
        description: '幂等键 The same key with the same input returns the same case',
      }),
    },
    resolve: (_root, args, ctx) => submitBirthApplication(ctx, shapeOf(args.input), args.idempotencyKey),
  }),
);

builder.mutationField('correctBirthApplication', (t) =>
  t.field({
    // Over the case's people (parents, household head, child): audited as a personal read.
    audit: 'personal',
    type: BirthApplicationRef,
    nullable: true,
    description:
      '补正 Correct a case waiting for a correction: a new revision, pre-reviewed again; the rejected step runs again with a new key',
    args: {
      id: t.arg.id({ required: true, description: '申请编号 Application id' }),
      patch: t.arg({ type: PatchInput, required: true, description: '补正内容 What changes' }),
      idempotencyKey: t.arg.string({ required: true, description: '幂等键 Idempotency key' }),
    },
    resolve: (_root, args, ctx) =>
      correctBirthApplication(ctx, String(args.id), shapeOf(args.patch) as never, args.idempotencyKey),
  }),
);

builder.mutationField('cancelBirthApplication', (t) =>
  t.field({
    // Over the case's people (parents, household head, child): audited as a personal read.
    audit: 'personal',
    type: BirthApplicationRef,
    nullable: true,
    description: '撤回 Cancel a case: the steps not yet done are cancelled (a registration already made is not undone)',
    args: {
      id: t.arg.id({ required: true, description: '申请编号 Application id' }),
      reason: t.arg.string({ required: true, description: '理由 Reason' }),
    },
    resolve: (_root, args, ctx) => cancelBirthApplication(ctx, String(args.id), args.reason),
  }),
);

builder.queryField('birthApplication', (t) =>
  t.field({
    // Over the case's people (parents, household head, child): audited as a personal read.
    audit: 'personal',
    type: BirthApplicationRef,
    nullable: true,
    description: '联办申请 One application by id (audited as a personal read)',
    args: { id: t.arg.id({ required: true, description: '申请编号 Application id' }) },
    resolve: (_root, args, ctx) => getBirthApplication(ctx, String(args.id)),
  }),
);

const encodeCursor = (a: CaseWithSteps) => Buffer.from(JSON.stringify([a.submittedAt.toISOString(), a.id])).toString('base64url');
function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string')
      return [value[0], value[1]];
  } catch {
    // fall through
  }
  throw new BadUserInputError('after is not a cursor of this list 游标无效', { field: 'after', reason: 'INVALID_CURSOR' });
}

builder.queryField('birthApplications', (t) =>
  t.connection(
    {
      audit: 'personal',
      type: BirthApplicationRef,
      nullable: true,
      description: '联办申请列表 Applications for staff, newest first; overdue: true is the overdue list',
      args: { filter: t.arg({ type: FilterInput, description: '筛选 Filter' }) },
      resolve: async (_root, args, ctx) => {
        const first = args.first ?? 20;
        if (first < 1 || first > 200)
          throw new BadUserInputError('first must be 1 to 200', { field: 'first', reason: 'PAGE_TOO_LARGE' });
        const where = listWhere(ctx, args.filter);
        const after = args.after ? decodeCursor(args.after) : null;
        const page = await ctx.prisma.birthApplication.findMany({
          where: after
            ? {
                AND: [
                  where,
                  {
                    OR: [{ submittedAt: { lt: new Date(after[0]) } }, { submittedAt: new Date(after[0]), id: { lt: after[1] } }],
                  },
                ],
              }
            : where,
          include: { steps: true },
          orderBy: [{ submittedAt: 'desc' }, { id: 'desc' }],
          take: first + 1,
        });
        const totalCount = await ctx.prisma.birthApplication.count({ where });
        const nodes = page.slice(0, first);
        ctx.access.markAudited('personal');
        for (const a of nodes)
          for (const id of [a.motherCitizenId, a.fatherCitizenId, a.childCitizenId]) if (id) ctx.access.subjects.add(id);
        return forwardConnection(
          nodes.map((node) => ({ cursor: encodeCursor(node), node })),
          page.length > first,
          totalCount,
        );
      },
    },
    {
      name: 'BirthApplicationConnection',
      description: '联办申请分页 A page of applications',
      edgesField: { audit: 'personal' },
    },
    {
      name: 'BirthApplicationEdge',
      description: '联办申请条目 An application with its cursor',
      nodeField: { audit: 'personal' },
    },
  ),
);

const UpdateRef = builder.objectRef<{ event: EventRow; application: CaseWithSteps }>('BirthApplicationUpdate').implement({
  description: '申请变化 One change of a case: the history event and the case after it',
  fields: (t) => ({
    event: t.field({ type: EventRef, description: '事件 The event', resolve: (u) => u.event }),
    application: t.field({
      type: BirthApplicationRef,
      audit: 'personal',
      description: '申请 The case after the event',
      resolve: (u) => u.application,
    }),
  }),
});

builder.subscriptionType({ description: '订阅入口 Root of subscriptions (graphql-ws on /graphql)' });

builder.subscriptionField('birthApplicationUpdated', (t) =>
  t.field({
    // Over the case's people (parents, household head, child): audited as a personal read.
    audit: 'personal',
    type: UpdateRef,
    description: '申请变化 Every history event of one case, as it happens (on any hub instance)',
    args: { id: t.arg.id({ required: true, description: '申请编号 Application id' }) },
    subscribe: async function* (_root, args, ctx) {
      const application = await getBirthApplication(ctx, String(args.id));
      if (!application)
        throw new BadUserInputError('无此联办申请 No such birth application', { field: 'id', reason: 'UNKNOWN_APPLICATION' });
      // Read from the case history: a NOTIFY only says that there is something new, so an announcement missed
      // (the listener reconnecting) delays events instead of losing them. Every event since the subscription
      // started that was not yet delivered is, in seq order (transactions may commit out of seq order: an event
      // with a lower seq can appear after a higher one, and is delivered then).
      let pending = false;
      let wake: (() => void) | null = null;
      const unsubscribe = ctx.joint.birth!.events.subscribe(application.id, () => {
        pending = true;
        wake?.();
      });
      try {
        const latest = await ctx.prisma.birthApplicationEvent.findFirst({
          where: { applicationId: application.id },
          orderBy: { seq: 'desc' },
          select: { seq: true },
        });
        const since = latest?.seq ?? 0n;
        const delivered = new Set<bigint>();
        for (;;) {
          if (!pending) await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          pending = false;
          const events = await ctx.prisma.birthApplicationEvent.findMany({
            where: { applicationId: application.id, seq: { gt: since } },
            orderBy: { seq: 'asc' },
          });
          for (const event of events) {
            if (delivered.has(event.seq)) continue;
            delivered.add(event.seq);
            // Read as a personal read: the case's people (the child too, once registered) are this result's subjects.
            const current = await getBirthApplication(ctx, application.id);
            if (current) yield { event, application: current };
          }
        }
      } finally {
        unsubscribe();
      }
    },
    resolve: (payload: { event: EventRow; application: CaseWithSteps }) => payload,
  }),
);
