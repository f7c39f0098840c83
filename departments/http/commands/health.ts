/**
 * 卫健 health commands.
 *
 * - issueBirthCertificate: issues a 出生医学证明 with a new number `Q` + the region's 6-digit district code +
 *   a 6-digit serial. REJECTED when the birth date is in the future (birthDate) or a parent's citizen ID has a
 *   wrong check digit or birth date (motherCitizenId / fatherCitizenId), or when the hospital is not a 助产机构
 *   known to 卫健 (UNKNOWN_MIDWIFERY_INSTITUTION on hospital: one that has issued certificates before, so the
 *   name must be written as 卫健 registers it).
 * - createVaccinationArchive: opens the 预防接种档案 of a registered child (`VA` + 10 digits). REJECTED when
 *   public security does not know the citizen ID (UNKNOWN_CITIZEN). A child who already has an archive gets
 *   that archive back (COMPLETED).
 */
import { healthInterface } from '../../../connectors/health/interface';
import { parseCitizenId } from '../../../domain/citizen-id';
import { lockFor, loadRecord, nextIdentifier, rejected, type HandlersOf } from './context';

const archiveJson = `json_build_object('archiveId', archive_id, 'citizenId', citizen_id::text, 'createdAt', created_at)`;

export const healthHandlers: HandlersOf<typeof healthInterface> = {
  async issueBirthCertificate(input, context) {
    const { tx } = context;
    const { rows } = await tx.query<{ future: boolean }>('SELECT $1::date > current_date AS future', [input.birthDate]);
    if (rows[0]!.future) {
      return rejected('BIRTH_DATE_IN_FUTURE', 'birthDate', '出生日期晚于今天 The birth date is in the future');
    }
    for (const field of ['motherCitizenId', 'fatherCitizenId'] as const) {
      const id = input[field];
      if (id !== null && !parseCitizenId(id).ok) {
        return rejected('INVALID_CITIZEN_ID', field, '身份号码校验不通过 The citizen ID is not valid');
      }
    }
    const midwifery = await tx.query('SELECT 1 FROM health.birth_certificate WHERE hospital = $1 LIMIT 1', [input.hospital]);
    if (!midwifery.rowCount) {
      return rejected(
        'UNKNOWN_MIDWIFERY_INSTITUTION',
        'hospital',
        '出生地点不是登记的助产机构 The birth place is not a registered midwifery institution',
      );
    }
    const certificateNumber = await nextIdentifier(
      tx,
      'health.birth_certificate',
      'certificate_number',
      `Q${input.regionCode.slice(0, 6)}`,
      6,
    );
    await tx.query(
      `INSERT INTO health.birth_certificate
         (certificate_number, idempotency_key, child_name, sex, birth_date, birth_weight_g, hospital,
          mother_citizen_id, father_citizen_id, region_code)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        certificateNumber,
        context.idempotencyKey,
        input.childName,
        input.sex,
        input.birthDate,
        input.birthWeightG,
        input.hospital,
        input.motherCitizenId,
        input.fatherCitizenId,
        input.regionCode,
      ],
    );
    return {
      status: 'COMPLETED',
      result: (await loadRecord(context, 'birthCertificate', 'certificate_number', certificateNumber))!,
    };
  },

  async createVaccinationArchive(input, context) {
    const { tx } = context;
    const person = await tx.query('SELECT 1 FROM public_security.person WHERE citizen_id = $1', [input.citizenId]);
    if (!person.rowCount) {
      return rejected('UNKNOWN_CITIZEN', 'citizenId', '公安户籍中无此公民身份号码 No person with this citizen ID is registered');
    }
    await lockFor(tx, `vaccination-archive:${input.citizenId}`);
    const existing = await tx.query<{ archive: Record<string, unknown> }>(
      `SELECT ${archiveJson} AS archive FROM health.vaccination_archive WHERE citizen_id = $1`,
      [input.citizenId],
    );
    if (existing.rows[0]) return { status: 'COMPLETED', result: existing.rows[0].archive };
    const archiveId = await nextIdentifier(tx, 'health.vaccination_archive', 'archive_id', 'VA', 10);
    const { rows } = await tx.query<{ archive: Record<string, unknown> }>(
      `INSERT INTO health.vaccination_archive (archive_id, idempotency_key, citizen_id) VALUES ($1, $2, $3)
       RETURNING ${archiveJson} AS archive`,
      [archiveId, context.idempotencyKey, input.citizenId],
    );
    return { status: 'COMPLETED', result: rows[0]!.archive };
  },
};
