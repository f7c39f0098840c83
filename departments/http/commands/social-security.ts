/**
 * 人社 social security commands.
 *
 * - applyForCard: accepts a social security card application (`SSCA` + 12 digits) and answers ACCEPTED (202):
 *   the card is issued asynchronously (card-issuer.ts). REJECTED when the given medical insurance enrolment
 *   does not exist for this citizen (ENROLMENT_NOT_FOUND) or is not active (ENROLMENT_NOT_ACTIVE), both on
 *   field medicalInsuranceEnrolmentId. A citizen with an application in progress gets it back (ACCEPTED), one
 *   with an issued card gets that (COMPLETED); an earlier REJECTED application is reopened. A chosen bank
 *   that is not one of 人社's partner banks for the 金融社保卡 is REJECTED (BANK_NOT_PARTNER on bank).
 */
import { socialSecurityInterface } from '../../../connectors/social-security/interface';
import { lockFor, loadRecord, nextIdentifier, rejected, type HandlersOf } from './context';

/** The banks that issue the sandbox's 金融社保卡 (the real list is 人社's and changes with its agreements). */
export const PARTNER_BANKS: readonly string[] = [
  '中国工商银行',
  '中国农业银行',
  '中国银行',
  '中国建设银行',
  '交通银行',
  '中国邮政储蓄银行',
  '重庆农村商业银行',
  '重庆银行',
];

export const socialSecurityHandlers: HandlersOf<typeof socialSecurityInterface> = {
  async applyForCard(input, context) {
    const { tx } = context;
    const enrolment = await tx.query<{ status: string }>(
      'SELECT status FROM medical_insurance.enrolment WHERE enrolment_id = $1 AND citizen_id = $2',
      [input.medicalInsuranceEnrolmentId, input.citizenId],
    );
    if (!enrolment.rows[0]) {
      return rejected(
        'ENROLMENT_NOT_FOUND',
        'medicalInsuranceEnrolmentId',
        '未找到该公民的医保参保登记 No medical insurance enrolment with this id for this citizen',
      );
    }
    if (enrolment.rows[0].status !== 'ACTIVE') {
      return rejected(
        'ENROLMENT_NOT_ACTIVE',
        'medicalInsuranceEnrolmentId',
        '医保参保状态不是正常参保 The enrolment is not active',
      );
    }
    if (input.bank && !PARTNER_BANKS.includes(input.bank)) {
      return rejected('BANK_NOT_PARTNER', 'bank', '该银行不是社保卡合作银行 The bank does not issue social security cards');
    }
    await lockFor(tx, `card-application:${input.citizenId}`);
    const existing = await tx.query<{ application_id: string; status: string }>(
      'SELECT application_id, status FROM social_security.card_application WHERE citizen_id = $1',
      [input.citizenId],
    );
    const current = existing.rows[0];
    let applicationId: string;
    if (current && current.status !== 'REJECTED') {
      applicationId = current.application_id;
    } else if (current) {
      applicationId = current.application_id;
      await tx.query(
        `UPDATE social_security.card_application
            SET status = 'ACCEPTED', card_number = NULL, reject_reason = NULL, applied_on = current_date,
                idempotency_key = $2, updated_at = now()
          WHERE application_id = $1`,
        [applicationId, context.idempotencyKey],
      );
    } else {
      applicationId = await nextIdentifier(tx, 'social_security.card_application', 'application_id', 'SSCA', 12);
      await tx.query(
        `INSERT INTO social_security.card_application (application_id, idempotency_key, citizen_id, status, applied_on)
         VALUES ($1, $2, $3, 'ACCEPTED', current_date)`,
        [applicationId, context.idempotencyKey, input.citizenId],
      );
    }
    const result = (await loadRecord(context, 'cardApplication', 'application_id', applicationId))!;
    return { status: result.status === 'ISSUED' ? 'COMPLETED' : 'ACCEPTED', result };
  },
};
