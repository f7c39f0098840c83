import { z } from 'zod';
import { citizenIdField, dateField, defineDepartment, regionCodeField, sourceRecord } from '../department-interface';

export const kindergartenRecord = sourceRecord({
  kindergartenId: z.string().min(1),
  name: z.string().min(1),
  regionCode: regionCodeField,
  address: z.string().min(1),
  ownership: z.enum(['PUBLIC', 'PRIVATE']),
  inclusive: z.boolean(),
  nurseryClassPlaces: z.number().int().min(0),
  /** Children enrolled in the 托班. */
  nurseryClassEnrolled: z.number().int().min(0),
});
export type KindergartenRecord = z.infer<typeof kindergartenRecord>;

export const nurseryEnrolmentRecord = sourceRecord({
  citizenId: citizenIdField,
  kindergartenId: z.string().min(1),
  enrolledOn: dateField,
});
export type NurseryEnrolmentRecord = z.infer<typeof nurseryEnrolmentRecord>;

export const parentingGuidanceRecord = sourceRecord({
  regionCode: regionCodeField,
  year: z.number().int().min(2000).max(2100),
  householdsTotal: z.number().int().min(0),
  householdsReached: z.number().int().min(0),
});

export const educationInterface = defineDepartment({
  name: 'education',
  department: '教育',
  departmentEn: 'education',
  entities: {
    kindergarten: {
      description: '幼儿园及托班 Kindergarten and its childcare (托班) places',
      key: 'kindergartenId',
      cardinality: 'one',
      recordId: 'kindergartenId',
      record: kindergartenRecord,
      filters: {
        regionCode: { field: 'regionCode', kind: 'regionPrefix' },
        ownership: { field: 'ownership', kind: 'eq' },
      },
    },
    nurseryEnrolment: {
      description: '托班入托 Enrolment of a 2-3-year-old in a kindergarten childcare class',
      key: 'citizenId',
      cardinality: 'one',
      recordId: 'citizenId',
      record: nurseryEnrolmentRecord,
    },
    parentingGuidance: {
      description: '科学育儿指导覆盖 Parenting-guidance coverage of households with infants, per community and year',
      key: 'regionCode',
      cardinality: 'many',
      recordId: 'regionCode',
      record: parentingGuidanceRecord,
    },
  },
  aggregates: {
    nurseryPlaces: {
      description: '幼儿园托班托位 Kindergarten childcare places by region and ownership',
      entity: 'kindergarten',
      measures: { kindergartens: { op: 'count' }, places: { op: 'sum', field: 'nurseryClassPlaces' } },
      dimensions: ['ownership', 'inclusive'],
      regionField: 'regionCode',
    },
  },
  commands: {},
});
