/**
 * The sharing catalogue 共享目录 as first published with this schema: its items, which department owns each, how
 * it is shared (无条件共享 / 有条件共享 / 不予共享) and whether it is personal data (read, masked or refused:
 * audited).
 *
 * Contract: the fields of an item are declared on the schema itself (`catalogue: { item, mask? }` on a field, or
 * `catalogue: { item }` on an object type for all its fields; schema/plugins/catalogue.ts), which reads them back
 * as the one field → item map. `syncCatalogue` (server/access/catalogue.ts) writes items and fields into the hub
 * database at start. The database is the catalogue the hub enforces and auditors read; an administrator's later
 * change of an item's class is kept (sync updates names, owner, personal flag and field membership, never the
 * class of an existing item). Every field over department data must be declared: tests/catalogue.test.ts fails
 * otherwise.
 */
import type { ConnectorName } from '../connectors/department-interface';
import type { SharingClass } from '../domain/catalogue';

export interface CatalogueItemDefinition {
  code: string;
  name: string;
  nameEn: string;
  owner: ConnectorName;
  class: SharingClass;
  personal: boolean;
}

export const CATALOGUE_ITEMS = [
  // ------------------------------------------------------------------------------------------ 公安 public security
  {
    code: 'PS_IDENTITY',
    name: '人口身份信息',
    nameEn: 'Identity: citizen ID and name',
    owner: 'public-security',
    class: 'CONDITIONAL',
    personal: true,
  },
  {
    code: 'PS_CONTACT',
    name: '联系方式',
    nameEn: 'Contact: phone number',
    owner: 'public-security',
    class: 'CONDITIONAL',
    personal: true,
  },
  {
    code: 'PS_DEMOGRAPHICS',
    name: '人口基本属性',
    nameEn: 'Demographics: sex, birth date, age, community',
    owner: 'public-security',
    class: 'UNCONDITIONAL',
    personal: true,
  },
  {
    code: 'PS_HOUSEHOLD',
    name: '户籍登记信息',
    nameEn: 'Household registration',
    owner: 'public-security',
    class: 'CONDITIONAL',
    personal: true,
  },
  {
    code: 'PS_POPULATION_STATISTICS',
    name: '人口统计',
    nameEn: 'Population statistics by region',
    owner: 'public-security',
    class: 'UNCONDITIONAL',
    personal: false,
  },
  // ------------------------------------------------------------------------------------------ 民政 civil affairs
  {
    code: 'CA_ELDERLY_PROFILE',
    name: '老年人基本状况',
    nameEn: 'Elderly profile: living situation and care arrangement',
    owner: 'civil-affairs',
    class: 'CONDITIONAL',
    personal: true,
  },
  {
    code: 'CA_SOCIAL_ASSISTANCE',
    name: '社会救助与养老补贴',
    nameEn: 'Social assistance status and elderly-care subsidies',
    owner: 'civil-affairs',
    class: 'CONDITIONAL',
    personal: true,
  },
  {
    code: 'CA_CAPABILITY_ASSESSMENT',
    name: '老年人能力评估',
    nameEn: 'Elderly capability assessments (GB/T 42195-2022)',
    owner: 'civil-affairs',
    class: 'CONDITIONAL',
    personal: true,
  },
  {
    code: 'CA_CARE_INSTITUTIONS',
    name: '养老机构与设施',
    nameEn: 'Elderly-care institutions and facilities',
    owner: 'civil-affairs',
    class: 'UNCONDITIONAL',
    personal: false,
  },
  {
    code: 'CA_ELDERLY_CARE_STATISTICS',
    name: '养老服务统计',
    nameEn: 'Elderly-care capacity by region',
    owner: 'civil-affairs',
    class: 'UNCONDITIONAL',
    personal: false,
  },
  // ------------------------------------------------------------------------------------------------- 卫健 health
  {
    code: 'HE_INFANT_HEALTH',
    name: '儿童健康管理',
    nameEn: 'Infant health management: newborn visit and scheduled checks',
    owner: 'health',
    class: 'CONDITIONAL',
    personal: true,
  },
  {
    code: 'HE_VACCINATION',
    name: '预防接种',
    nameEn: 'Vaccination records',
    owner: 'health',
    class: 'CONDITIONAL',
    personal: true,
  },
  {
    code: 'HE_ELDERLY_HEALTH',
    name: '老年人健康管理',
    nameEn: 'Elderly health management: annual checks and family doctor contract',
    owner: 'health',
    class: 'CONDITIONAL',
    personal: true,
  },
  {
    code: 'HE_CHILDCARE_INSTITUTIONS',
    name: '托育机构',
    nameEn: 'Childcare institutions and their filings',
    owner: 'health',
    class: 'UNCONDITIONAL',
    personal: false,
  },
  {
    code: 'HE_CHILDCARE_ENROLMENT',
    name: '托育机构入托信息',
    nameEn: 'Enrolment of a child at a childcare institution',
    owner: 'health',
    class: 'CONDITIONAL',
    personal: true,
  },
  {
    code: 'HE_CHILDCARE_STATISTICS',
    name: '托育服务统计',
    nameEn: 'Childcare capacity by region',
    owner: 'health',
    class: 'UNCONDITIONAL',
    personal: false,
  },
  // ---------------------------------------------------------------------------------------------- 教育 education
  {
    code: 'ED_KINDERGARTENS',
    name: '幼儿园',
    nameEn: 'Kindergartens and their nursery-class (托班) places',
    owner: 'education',
    class: 'UNCONDITIONAL',
    personal: false,
  },
  {
    code: 'ED_NURSERY_ENROLMENT',
    name: '托班在园信息',
    nameEn: 'Enrolment of a child in a kindergarten nursery class',
    owner: 'education',
    class: 'CONDITIONAL',
    personal: true,
  },
  {
    code: 'ED_NURSERY_STATISTICS',
    name: '托班统计',
    nameEn: 'Nursery-class capacity by region',
    owner: 'education',
    class: 'UNCONDITIONAL',
    personal: false,
  },
  // ------------------------------------------------------------------------------------ 医保 medical insurance
  {
    code: 'MI_ENROLMENT',
    name: '基本医疗保险参保信息',
    nameEn: 'Medical insurance enrolment',
    owner: 'medical-insurance',
    class: 'CONDITIONAL',
    personal: true,
  },
  // ---------------------------------------------------------------------------------------- 人社 social security
  {
    code: 'SS_CARD',
    name: '社会保障卡申领信息',
    nameEn: 'Social security card application',
    owner: 'social-security',
    class: 'CONDITIONAL',
    personal: true,
  },
] as const satisfies readonly CatalogueItemDefinition[];

/** The code of a catalogue item: what a schema field declares in `catalogue: { item }`. */
export type CatalogueItemCode = (typeof CATALOGUE_ITEMS)[number]['code'];

/**
 * Fields that only group other fields (their sub-fields are catalogued, each with its own item) and types that
 * carry no department data; the catalogue test skips them.
 */
export const GROUPING_FIELDS = ['Person.health', 'Person.childcare'];

/** Purposes a request may declare (X-Purpose), as first published. Synced like the catalogue items. */
export const PURPOSES = [
  {
    code: 'ELDERLY_CARE_SERVICE',
    name: '养老服务',
    description: '养老服务对象认定、补贴审核与服务提供 Elderly-care eligibility, subsidies and services',
  },
  {
    code: 'CAPABILITY_ASSESSMENT',
    name: '老年人能力评估',
    description: '老年人能力评估与照护等级认定 Capability assessment and care level',
  },
  {
    code: 'CHILDCARE_SERVICE',
    name: '托育服务',
    description: '托育机构备案、入托与补贴 Childcare filing, enrolment and subsidies',
  },
  {
    code: 'INFANT_HEALTH',
    name: '儿童健康管理',
    description: '0-3岁儿童健康管理与预防接种 Infant health management and vaccination',
  },
  { code: 'BIRTH_JOINT_SERVICE', name: '出生一件事', description: '新生儿出生联办 Newborn joint application' },
  {
    code: 'STATISTICS',
    name: '统计分析',
    description: '一老一小指标统计，不涉及个人 Indicators and statistics, not about individuals',
  },
  { code: 'SUPERVISION', name: '监督审计', description: '数据使用监督与审计 Oversight and audit of data use' },
  { code: 'ADMINISTRATION', name: '平台管理', description: '接入方与共享目录管理 Managing consumers and the catalogue' },
  { code: 'DEMO', name: '演示', description: '演示与开发环境 Demonstration and development only' },
];
