/**
 * 医保 medical insurance commands.
 *
 * - enrol: enrols a person in resident medical insurance (`MI` + 12 digits, ACTIVE from today). REJECTED when
 *   public security does not know the citizen ID (UNKNOWN_CITIZEN). A person already enrolled and ACTIVE gets
 *   the existing enrolment back (COMPLETED); a SUSPENDED or ENDED enrolment is reactivated as RESIDENT.
 *   REJECTED when the contact phone is not in an allocated mobile number range (13x–19x; 10x–12x are not
 *   mobile numbers), CONTACT_PHONE_NOT_MOBILE on contactPhone: 医保 texts the enrolment to it.
 */
import { medicalInsuranceInterface } from '../../../connectors/medical-insurance/interface';
import { lockFor, loadRecord, nextIdentifier, rejected, type HandlersOf } from './context';

/** Mobile numbers of the allocated ranges (13x–19x). */
const MOBILE_NUMBER = /^1[3-9]\d{9}$/;

export const medicalInsuranceHandlers: HandlersOf<typeof medicalInsuranceInterface> = {
  async enrol(input, context) {
    const { tx } = context;
    const person = await tx.query('SELECT 1 FROM public_security.person WHERE citizen_id = $1', [input.citizenId]);
    if (!person.rowCount) {
      return rejected('UNKNOWN_CITIZEN', 'citizenId', '公安户籍中无此公民身份号码 No person with this citizen ID is registered');
    }
    if (input.contactPhone && !MOBILE_NUMBER.test(input.contactPhone)) {
      return rejected(
        'CONTACT_PHONE_NOT_MOBILE',
        'contactPhone',
        '联系电话不是有效的手机号码 The contact phone is not in an allocated mobile number range',
      );
    }
    await lockFor(tx, `enrolment:${input.citizenId}`);
    const existing = await tx.query<{ enrolment_id: string; status: string }>(
      'SELECT enrolment_id, status FROM medical_insurance.enrolment WHERE citizen_id = $1',
      [input.citizenId],
    );
    const current = existing.rows[0];
    let enrolmentId: string;
    if (current?.status === 'ACTIVE') {
      enrolmentId = current.enrolment_id;
    } else if (current) {
      enrolmentId = current.enrolment_id;
      await tx.query(
        `UPDATE medical_insurance.enrolment
            SET scheme = $2, status = 'ACTIVE', enrolled_on = current_date, updated_at = now()
          WHERE enrolment_id = $1`,
        [enrolmentId, input.scheme],
      );
    } else {
      enrolmentId = await nextIdentifier(tx, 'medical_insurance.enrolment', 'enrolment_id', 'MI', 12);
      await tx.query(
        `INSERT INTO medical_insurance.enrolment (enrolment_id, idempotency_key, citizen_id, scheme, status, enrolled_on)
         VALUES ($1, $2, $3, $4, 'ACTIVE', current_date)`,
        [enrolmentId, context.idempotencyKey, input.citizenId, input.scheme],
      );
    }
    return { status: 'COMPLETED', result: (await loadRecord(context, 'enrolment', 'enrolment_id', enrolmentId))! };
  },
};
