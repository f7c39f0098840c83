/**
 * 人社 social security commands.
 *
 * - applyForCard: accepts a social security card application (`SSCA` + 12 digits) and answers ACCEPTED (202):
 *   the card is issued asynchronously (card-issuer.ts). REJECTED when the given medical insurance enrolment
 *   does not exist for this citizen (ENROLMENT_NOT_FOUND) or is not active (ENROLMENT_NOT_ACTIVE), both on
 *   field medicalInsuranceEnrolmentId. A citizen with an application in progress gets it back (ACCEPTED), one
 *   with an issued card gets that (COMPLETED); an earlier REJECTED application is reopened.
 */
import { socialSecurityInterface } from '../../../connectors/social-security/interface';
import { lockFor, loadRecord, nextIdentifier, rejected, type HandlersOf } from './context';

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
