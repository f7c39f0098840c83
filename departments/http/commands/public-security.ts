/**
 * 公安 public security commands.
 *
 * - registerBirth (出生登记): registers a newborn in the household of a parent and assigns the citizen ID.
 *   Checks, each REJECTED with the input field to fix:
 *   CERTIFICATE_NOT_FOUND (certificateNumber: no such 出生医学证明 in health's records),
 *   CERTIFICATE_ALREADY_REGISTERED (certificateNumber: the child already has a citizen ID),
 *   DOES_NOT_MATCH_CERTIFICATE (childName / sex / birthDate differ from the certificate),
 *   GUARDIAN_NOT_FOUND (guardianCitizenId: not in the household register),
 *   GUARDIAN_NOT_A_PARENT (guardianCitizenId: neither mother nor father on the certificate).
 *   Then: a new valid citizen ID (region 500103, the birth date, the lowest free sequence of the sex's parity
 *   on that day, MOD 11-2 check character); the child joins the guardian's household, address and region as
 *   a 户籍常住 resident registered today, with its relation to the household head derived from the guardian's;
 *   a birth_registration row (`PSBR` + 12 digits) records the act; health's certificate gets the child's ID.
 */
import type pg from 'pg';
import { publicSecurityInterface } from '../../../connectors/public-security/interface';
import { makeCitizenId } from '../../../domain/citizen-id';
import { lockFor, nextIdentifier, rejected, type HandlersOf } from './context';

/** Region (district) code of citizen IDs assigned by this registration office. */
export const REGISTRATION_REGION = '500103';

/** The child's relation to the household head, from the guardian's. */
function childRelation(guardianRelation: string, sex: 'M' | 'F'): string {
  if (guardianRelation === '户主' || guardianRelation === '配偶') return sex === 'M' ? '子' : '女';
  if (['子', '女', '儿媳', '女婿'].includes(guardianRelation)) return sex === 'M' ? '孙子' : '孙女';
  return '其他';
}

interface CertificateRow {
  child_name: string;
  sex: 'M' | 'F';
  birth_date: string;
  mother_citizen_id: string;
  father_citizen_id: string | null;
  child_citizen_id: string | null;
  registered: boolean;
}

interface GuardianRow {
  ethnicity: string;
  region_code: string;
  address: string;
  household_id: string;
  household_head_id: string;
  relation_to_head: string;
}

export const publicSecurityHandlers: HandlersOf<typeof publicSecurityInterface> = {
  async registerBirth(input, context) {
    const { tx } = context;
    // The certificate row is locked: a concurrent registration of the same certificate waits, then sees it used.
    const certificates = await tx.query<CertificateRow>(
      `SELECT c.child_name, c.sex::text AS sex, c.birth_date::text AS birth_date,
              c.mother_citizen_id::text AS mother_citizen_id, c.father_citizen_id::text AS father_citizen_id,
              c.child_citizen_id::text AS child_citizen_id,
              EXISTS (SELECT 1 FROM public_security.birth_registration r
                       WHERE r.certificate_number = c.certificate_number) AS registered
         FROM health.birth_certificate c WHERE c.certificate_number = $1 FOR UPDATE OF c`,
      [input.certificateNumber],
    );
    const certificate = certificates.rows[0];
    if (!certificate) {
      return rejected('CERTIFICATE_NOT_FOUND', 'certificateNumber', '未找到该出生医学证明 No birth certificate with this number');
    }
    if (certificate.child_citizen_id || certificate.registered) {
      return rejected(
        'CERTIFICATE_ALREADY_REGISTERED',
        'certificateNumber',
        '该出生医学证明已办理出生登记 This birth is already registered',
      );
    }
    const mismatched = (
      [
        ['childName', certificate.child_name],
        ['sex', certificate.sex],
        ['birthDate', certificate.birth_date],
      ] as const
    ).find(([field, value]) => input[field] !== value);
    if (mismatched) {
      return rejected('DOES_NOT_MATCH_CERTIFICATE', mismatched[0], '与出生医学证明记载不一致 Differs from the birth certificate');
    }
    const guardians = await tx.query<GuardianRow>(
      `SELECT ethnicity, region_code::text AS region_code, address, household_id,
              household_head_id::text AS household_head_id, relation_to_head
         FROM public_security.person WHERE citizen_id = $1`,
      [input.guardianCitizenId],
    );
    const guardian = guardians.rows[0];
    if (!guardian) {
      return rejected(
        'GUARDIAN_NOT_FOUND',
        'guardianCitizenId',
        '监护人不在户籍登记中 The guardian is not in the household register',
      );
    }
    if (input.guardianCitizenId !== certificate.mother_citizen_id && input.guardianCitizenId !== certificate.father_citizen_id) {
      return rejected(
        'GUARDIAN_NOT_A_PARENT',
        'guardianCitizenId',
        '申报人不是出生医学证明上的父母 The guardian is not a parent on the certificate',
      );
    }

    const citizenId = await allocateCitizenId(tx, input.birthDate, input.sex);
    await tx.query(
      `INSERT INTO public_security.person
         (citizen_id, name, sex, birth_date, ethnicity, phone, region_code, address, household_id,
          household_head_id, relation_to_head, residence_type, registered_on)
       VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $8, $9, $10, 'REGISTERED_RESIDENT', current_date)`,
      [
        citizenId,
        input.childName,
        input.sex,
        input.birthDate,
        guardian.ethnicity,
        guardian.region_code,
        guardian.address,
        guardian.household_id,
        guardian.household_head_id,
        childRelation(guardian.relation_to_head, input.sex),
      ],
    );
    const registrationId = await nextIdentifier(tx, 'public_security.birth_registration', 'registration_id', 'PSBR', 12);
    const { rows } = await tx.query<{ result: Record<string, unknown> }>(
      `INSERT INTO public_security.birth_registration
         (registration_id, idempotency_key, certificate_number, citizen_id, status)
       VALUES ($1, $2, $3, $4, 'REGISTERED')
       RETURNING json_build_object('registrationId', registration_id, 'citizenId', citizen_id::text,
                                   'status', status, 'rejectReason', reject_reason, 'registeredAt', registered_at) AS result`,
      [registrationId, context.idempotencyKey, input.certificateNumber, citizenId],
    );
    await tx.query(
      'UPDATE health.birth_certificate SET child_citizen_id = $2, updated_at = now() WHERE certificate_number = $1',
      [input.certificateNumber, citizenId],
    );
    return { status: 'COMPLETED', result: rows[0]!.result };
  },
};

/** The lowest free sequence number of the sex's parity (odd: M, even: F) for the day, as a citizen ID. */
async function allocateCitizenId(tx: pg.PoolClient, birthDate: string, sex: 'M' | 'F'): Promise<string> {
  const prefix = `${REGISTRATION_REGION}${birthDate.replaceAll('-', '')}`;
  await lockFor(tx, `citizen-id:${prefix}`);
  const { rows } = await tx.query<{ sequence: number }>(
    `SELECT substr(citizen_id, 15, 3)::int AS sequence FROM public_security.person
      WHERE citizen_id LIKE $1 AND substr(citizen_id, 15, 3) ~ '^\\d{3}$'`,
    [`${prefix}%`],
  );
  const used = new Set(rows.map((r) => r.sequence));
  for (let sequence = sex === 'M' ? 1 : 2; sequence <= 999; sequence += 2) {
    if (!used.has(sequence)) return makeCitizenId(REGISTRATION_REGION, birthDate, sequence, sex);
  }
  throw new Error('no citizen ID sequence number is left for this birth date');
}
