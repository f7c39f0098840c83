/**
 * Pre-review 预审 of a newborn joint application, before anything is written: the shape (zod) and then the
 * facts (公安's register, the hub's region tree). Every problem is collected and returned at once, each with
 * its input path and a stable reason code; a department that cannot be read is no applicant's problem and
 * fails the request with UPSTREAM_UNAVAILABLE instead.
 *
 * The registering parent (申报人, whose household the child joins) is the parent who is a member of the
 * household whose head the parents named: the mother if both are.
 */
import type { ConnectorRegistry } from '../../connectors/registry';
import { ConnectorError } from '../../connectors/contract';
import type { PersonRecord } from '../../connectors/public-security/interface';
import { parseCitizenId } from '../../domain/citizen-id';
import { BadUserInputError, UpstreamUnavailableError } from '../../domain/errors';
import { contains, regionCodeSchema } from '../../domain/regions';
import { chinaDate } from '../../domain/service-clock';
import type { PrismaClient } from '../../prisma/client';
import { birthApplicationInputSchema, type BirthApplicationInput, type PreReviewProblem } from './input';

export interface PreReviewDependencies {
  prisma: PrismaClient;
  connectors: ConnectorRegistry;
  now: () => Date;
  ageLimitDays: number;
}

export interface PreReviewPassed {
  input: BirthApplicationInput;
  registeringParent: 'MOTHER' | 'FATHER';
  registeringParentCitizenId: string;
}

/** Child's name: 1–10 CJK characters (the middle dot of minority names allowed inside). */
const CHILD_NAME =
  /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff](?:[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff·]{0,8}[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])?$/;

const problem = (field: string, reason: string, message: string): PreReviewProblem => ({ field, reason, message });

/** Upper-case reason from a zod issue: our own codes are given as messages, zod's codes otherwise. */
function reasonOf(issue: { code: string; message: string }): string {
  return /^[A-Z_]+$/.test(issue.message) ? issue.message : issue.code.toUpperCase();
}

/** The error a failed pre-review answers: BAD_USER_INPUT listing every problem. */
export class PreReviewFailedError extends BadUserInputError {
  constructor(readonly problems: PreReviewProblem[]) {
    super(
      `预审未通过 Pre-review found ${problems.length} problem(s): ${problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`,
      {
        field: problems[0]?.field ?? 'input',
        reason: 'PRE_REVIEW_FAILED',
        problems,
      },
    );
  }
}

export async function preReview(raw: unknown, deps: PreReviewDependencies): Promise<PreReviewPassed> {
  const parsed = birthApplicationInputSchema.safeParse(raw);
  if (!parsed.success) {
    throw new PreReviewFailedError(
      parsed.error.issues.map((issue) => problem(issue.path.join('.') || 'input', reasonOf(issue), issue.message)),
    );
  }
  const input = parsed.data;
  const problems: PreReviewProblem[] = [];

  // Citizen IDs (GB 11643).
  const ids = {
    'mother.citizenId': input.mother.citizenId,
    'father.citizenId': input.father.citizenId,
    householdHeadCitizenId: input.householdHeadCitizenId,
  };
  const valid: Record<string, string> = {};
  for (const [field, id] of Object.entries(ids)) {
    const result = parseCitizenId(id);
    if (result.ok) valid[field] = result.value.citizenId;
    else problems.push(problem(field, `CITIZEN_ID_${result.problem}`, '公民身份号码无效 The citizen ID is not valid'));
  }
  if (valid['mother.citizenId'] && valid['mother.citizenId'] === valid['father.citizenId']) {
    problems.push(problem('father.citizenId', 'SAME_AS_MOTHER', '父亲与母亲的身份号码相同 Father and mother have the same ID'));
  }

  // Birth date: a real date, not in the future, within the age limit (China time).
  const today = chinaDate(deps.now());
  const birth = new Date(`${input.child.birthDate}T00:00:00Z`);
  if (Number.isNaN(birth.getTime()) || birth.toISOString().slice(0, 10) !== input.child.birthDate) {
    problems.push(problem('child.birthDate', 'DATE_INVALID', '出生日期不是有效日期 Not a calendar date'));
  } else if (input.child.birthDate > today) {
    problems.push(problem('child.birthDate', 'BIRTH_DATE_IN_FUTURE', '出生日期晚于今天 The birth date is in the future'));
  } else if ((new Date(`${today}T00:00:00Z`).getTime() - birth.getTime()) / 86_400_000 > deps.ageLimitDays) {
    problems.push(
      problem(
        'child.birthDate',
        'BIRTH_DATE_TOO_OLD',
        `出生超过 ${deps.ageLimitDays} 天 Born more than ${deps.ageLimitDays} days ago`,
      ),
    );
  }

  if (!CHILD_NAME.test(input.child.name)) {
    problems.push(problem('child.name', 'NAME_FORMAT', '姓名须为 1–10 个汉字 The name must be 1 to 10 Chinese characters'));
  }
  if (!input.householdConsent) {
    problems.push(problem('householdConsent', 'CONSENT_REQUIRED', '须有户主同意 The household head must consent'));
  }
  if (input.items.includes('SOCIAL_SECURITY_CARD') && !input.items.includes('MEDICAL_INSURANCE')) {
    problems.push(
      problem(
        'items',
        'SOCIAL_SECURITY_CARD_NEEDS_MEDICAL_INSURANCE',
        '社保卡申领需同时办理医保参保 The card needs the insurance enrolment',
      ),
    );
  }

  // The enrolment address: a community of the region tree.
  const regionShape = regionCodeSchema.safeParse(input.enrolmentRegionCode);
  if (!regionShape.success) {
    problems.push(problem('enrolmentRegionCode', 'MALFORMED_REGION_CODE', '区划代码格式错误 Malformed region code'));
  } else {
    const region = await deps.prisma.region.findUnique({ where: { code: input.enrolmentRegionCode }, select: { level: true } });
    if (!region) problems.push(problem('enrolmentRegionCode', 'REGION_UNKNOWN', '区划不存在 No such region'));
    else if (region.level !== 'COMMUNITY')
      problems.push(problem('enrolmentRegionCode', 'REGION_NOT_COMMUNITY', '须为社区 Must be a community'));
  }

  // Facts from 公安: parents and household head in the register; the registering parent in the household.
  let registering: { who: 'MOTHER' | 'FATHER'; person: PersonRecord } | null = null;
  const wanted = [...new Set(Object.values(valid))];
  if (wanted.length > 0) {
    let records: Map<string, PersonRecord>;
    try {
      const found = await deps.connectors.get('public-security').loadMany('person', wanted);
      records = new Map();
      found.forEach((entry, i) => {
        if (entry && !(entry instanceof ConnectorError) && !Array.isArray(entry)) records.set(wanted[i]!, entry.data);
      });
    } catch (error) {
      if (error instanceof ConnectorError) {
        throw new UpstreamUnavailableError('公安系统暂不可用，无法预审 Public security cannot be read for pre-review', {
          connector: error.connector,
          reason: error.reason,
        });
      }
      throw error;
    }
    const mother = valid['mother.citizenId'] ? records.get(valid['mother.citizenId']) : undefined;
    const father = valid['father.citizenId'] ? records.get(valid['father.citizenId']) : undefined;
    const head = valid.householdHeadCitizenId ? records.get(valid.householdHeadCitizenId) : undefined;
    if (valid['mother.citizenId'] && !mother)
      problems.push(problem('mother.citizenId', 'NOT_IN_REGISTER', '公安户籍中无此人 Not in the register'));
    if (valid['father.citizenId'] && !father)
      problems.push(problem('father.citizenId', 'NOT_IN_REGISTER', '公安户籍中无此人 Not in the register'));
    if (mother && mother.sex !== 'F')
      problems.push(problem('mother.citizenId', 'MOTHER_NOT_FEMALE', '母亲性别不符 The mother is not female'));
    if (father && father.sex !== 'M')
      problems.push(problem('father.citizenId', 'FATHER_NOT_MALE', '父亲性别不符 The father is not male'));
    if (valid.householdHeadCitizenId && !head) {
      problems.push(
        problem('householdHeadCitizenId', 'NOT_IN_REGISTER', '公安户籍中无此户主 The household head is not in the register'),
      );
    } else if (head && head.householdHeadId !== head.citizenId) {
      problems.push(problem('householdHeadCitizenId', 'NOT_HOUSEHOLD_HEAD', '此人不是户主 This person is not a household head'));
    }
    if (head && (mother || father)) {
      const member = (p: PersonRecord | undefined) => p !== undefined && p.householdId === head.householdId;
      if (member(mother)) registering = { who: 'MOTHER', person: mother! };
      else if (member(father)) registering = { who: 'FATHER', person: father! };
      else
        problems.push(
          problem('householdHeadCitizenId', 'PARENT_NOT_IN_HOUSEHOLD', '父母均不在该户 Neither parent belongs to this household'),
        );
    }
    if (registering) {
      const district = input.enrolmentRegionCode.slice(0, 6);
      const registered = registering.person.residenceType !== 'RESIDENT_ONLY';
      if (!registered || (regionShape.success && !contains(district, registering.person.regionCode))) {
        problems.push(
          problem(
            registering.who === 'MOTHER' ? 'mother.citizenId' : 'father.citizenId',
            'REGISTRATION_NOT_IN_DISTRICT',
            '申报人户籍不在本区 The registering parent’s 户籍 is not in this district',
          ),
        );
      }
    }
    // Surname: the child's (first one or two characters) must be a parent's, unless an exception is declared.
    if (CHILD_NAME.test(input.child.name) && !input.child.surnameException && (mother || father)) {
      const surnames = [mother?.name, father?.name]
        .filter((n): n is string => !!n)
        .flatMap((n) => [n.slice(0, 1), n.slice(0, 2)]);
      if (!surnames.some((surname) => input.child.name.startsWith(surname) && input.child.name.length > surname.length)) {
        problems.push(
          problem(
            'child.name',
            'SURNAME_NOT_A_PARENTS',
            '子女姓氏须随父姓或母姓 The surname must be a parent’s (or declare an exception)',
          ),
        );
      }
    }
  }

  if (problems.length > 0 || !registering) {
    throw new PreReviewFailedError(
      problems.length > 0 ? problems : [problem('householdHeadCitizenId', 'PARENT_NOT_IN_HOUSEHOLD', '父母均不在该户')],
    );
  }
  return {
    input: {
      ...input,
      mother: { ...input.mother, citizenId: valid['mother.citizenId']! },
      father: { ...input.father, citizenId: valid['father.citizenId']! },
      householdHeadCitizenId: valid.householdHeadCitizenId!,
      items: [...new Set(input.items)],
    },
    registeringParent: registering.who,
    registeringParentCitizenId: registering.person.citizenId,
  };
}
