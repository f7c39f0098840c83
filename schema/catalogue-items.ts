/**
 * The sharing catalogue 共享目录 as first published with this schema: which department owns each shared field,
 * how it is shared (无条件共享 / 有条件共享 / 不予共享), whether it is personal data, and how a personal
 * identifier is masked for a consumer that does not hold its item.
 *
 * Contract: `syncCatalogue` (catalogue.ts) writes these items into the hub database at start. The database is
 * the catalogue the hub enforces and auditors read; an administrator's later change of an item's class is kept
 * (sync updates names, owner, personal flag and field membership, never the class of an existing item).
 * `Type.*` stands for every field of the type except `provenance`. Every field over department data must be
 * listed here: tests/catalogue.test.ts fails otherwise.
 */
import type { ConnectorName } from '../connectors/interface';
import { GraphQLObjectType, type GraphQLSchema } from 'graphql';
import type { CatalogueField, MaskKind, SharingClass } from '../domain/catalogue';

export interface CatalogueItemDefinition {
  code: string;
  name: string;
  nameEn: string;
  owner: ConnectorName;
  class: SharingClass;
  personal: boolean;
  /** Schema coordinates (`Type.field` or `Type.*`) and the mask of each personal identifier among them. */
  fields: Record<string, MaskKind | null>;
}

const all = (...types: string[]): Record<string, null> => Object.fromEntries(types.map((type) => [`${type}.*`, null]));

export const CATALOGUE_ITEMS: CatalogueItemDefinition[] = [
  // ------------------------------------------------------------------------------------------ 公安 public security
  {
    code: 'PS_IDENTITY',
    name: '人口身份信息',
    nameEn: 'Identity: citizen ID and name',
    owner: 'public-security',
    class: 'CONDITIONAL',
    personal: true,
    fields: { 'Person.citizenId': 'CITIZEN_ID', 'Person.name': 'NAME' },
  },
  {
    code: 'PS_CONTACT',
    name: '联系方式',
    nameEn: 'Contact: phone number',
    owner: 'public-security',
    class: 'CONDITIONAL',
    personal: true,
    fields: { 'Person.phone': 'PHONE' },
  },
  {
    code: 'PS_DEMOGRAPHICS',
    name: '人口基本属性',
    nameEn: 'Demographics: sex, birth date, age, community',
    owner: 'public-security',
    class: 'UNCONDITIONAL',
    personal: true,
    fields: { 'Person.sex': null, 'Person.birthDate': null, 'Person.age': null, 'Person.region': null },
  },
  {
    code: 'PS_HOUSEHOLD',
    name: '户籍登记信息',
    nameEn: 'Household registration',
    owner: 'public-security',
    class: 'CONDITIONAL',
    personal: true,
    fields: { 'Person.household': null, ...all('Household'), 'Household.address': 'ADDRESS', 'Household.headCitizenId': 'CITIZEN_ID' },
  },
  {
    code: 'PS_POPULATION_STATISTICS',
    name: '人口统计',
    nameEn: 'Population statistics by region',
    owner: 'public-security',
    class: 'UNCONDITIONAL',
    personal: false,
    fields: { 'Region.population': null, ...all('RegionPopulation') },
  },
  // ------------------------------------------------------------------------------------------ 民政 civil affairs
  {
    code: 'CA_ELDERLY_PROFILE',
    name: '老年人基本状况',
    nameEn: 'Elderly profile: living situation and care arrangement',
    owner: 'civil-affairs',
    class: 'CONDITIONAL',
    personal: true,
    fields: {
      'Person.elderlyProfile': null,
      'ElderlyProfile.livingAlone': null,
      'ElderlyProfile.emptyNest': null,
      'ElderlyProfile.careArrangement': null,
      ...all('CareArrangement'),
    },
  },
  {
    code: 'CA_SOCIAL_ASSISTANCE',
    name: '社会救助与养老补贴',
    nameEn: 'Social assistance status and elderly-care subsidies',
    owner: 'civil-affairs',
    class: 'CONDITIONAL',
    personal: true,
    fields: {
      'ElderlyProfile.specialHardship': null,
      'ElderlyProfile.minimumLiving': null,
      'ElderlyProfile.economicDifficulty': null,
      'ElderlyProfile.familyPlanningSpecial': null,
      'ElderlyProfile.subsidies': null,
      ...all('Subsidy'),
    },
  },
  {
    code: 'CA_CAPABILITY_ASSESSMENT',
    name: '老年人能力评估',
    nameEn: 'Elderly capability assessments (GB/T 42195-2022)',
    owner: 'civil-affairs',
    class: 'CONDITIONAL',
    personal: true,
    fields: { 'ElderlyProfile.assessments': null, ...all('CapabilityAssessment') },
  },
  {
    code: 'CA_CARE_INSTITUTIONS',
    name: '养老机构与设施',
    nameEn: 'Elderly-care institutions and facilities',
    owner: 'civil-affairs',
    class: 'UNCONDITIONAL',
    personal: false,
    fields: all('ElderlyCareInstitution', 'ElderlyCareBeds'),
  },
  {
    code: 'CA_ELDERLY_CARE_STATISTICS',
    name: '养老服务统计',
    nameEn: 'Elderly-care capacity by region',
    owner: 'civil-affairs',
    class: 'UNCONDITIONAL',
    personal: false,
    fields: { 'Region.elderlyCare': null, ...all('ElderlyCareCapacity') },
  },
  // ------------------------------------------------------------------------------------------------- 卫健 health
  {
    code: 'HE_INFANT_HEALTH',
    name: '儿童健康管理',
    nameEn: 'Infant health management: newborn visit and scheduled checks',
    owner: 'health',
    class: 'CONDITIONAL',
    personal: true,
    fields: {
      'PersonHealth.infantHealth': null,
      'InfantHealth.asOf': null,
      'InfantHealth.newbornVisit': null,
      'InfantHealth.checks': null,
      'InfantHealth.managementStatus': null,
      ...all('NewbornVisit', 'InfantCheck'),
    },
  },
  {
    code: 'HE_VACCINATION',
    name: '预防接种',
    nameEn: 'Vaccination records',
    owner: 'health',
    class: 'CONDITIONAL',
    personal: true,
    fields: { 'PersonHealth.vaccinations': null, 'InfantHealth.vaccinations': null, ...all('Vaccination') },
  },
  {
    code: 'HE_ELDERLY_HEALTH',
    name: '老年人健康管理',
    nameEn: 'Elderly health management: annual checks and family doctor contract',
    owner: 'health',
    class: 'CONDITIONAL',
    personal: true,
    fields: {
      'PersonHealth.annualChecks': null,
      'PersonHealth.familyDoctorContract': null,
      ...all('AnnualHealthCheck', 'FamilyDoctorContract'),
    },
  },
  {
    code: 'HE_CHILDCARE_INSTITUTIONS',
    name: '托育机构',
    nameEn: 'Childcare institutions and their filings',
    owner: 'health',
    class: 'UNCONDITIONAL',
    personal: false,
    fields: all('ChildcareInstitution', 'ChildcareFiling', 'ChildcareStaff'),
  },
  {
    code: 'HE_CHILDCARE_ENROLMENT',
    name: '托育机构入托信息',
    nameEn: 'Enrolment of a child at a childcare institution',
    owner: 'health',
    class: 'CONDITIONAL',
    personal: true,
    fields: { 'PersonChildcare.institution': null, ...all('ChildcareInstitutionEnrolment') },
  },
  {
    code: 'HE_CHILDCARE_STATISTICS',
    name: '托育服务统计',
    nameEn: 'Childcare capacity by region',
    owner: 'health',
    class: 'UNCONDITIONAL',
    personal: false,
    fields: { 'Region.childcareInstitutions': null, ...all('ChildcareInstitutionCapacity') },
  },
  // ---------------------------------------------------------------------------------------------- 教育 education
  {
    code: 'ED_KINDERGARTENS',
    name: '幼儿园',
    nameEn: 'Kindergartens and their nursery-class (托班) places',
    owner: 'education',
    class: 'UNCONDITIONAL',
    personal: false,
    fields: all('Kindergarten'),
  },
  {
    code: 'ED_NURSERY_ENROLMENT',
    name: '托班在园信息',
    nameEn: 'Enrolment of a child in a kindergarten nursery class',
    owner: 'education',
    class: 'CONDITIONAL',
    personal: true,
    fields: { 'PersonChildcare.nurseryClass': null, ...all('NurseryClassEnrolment') },
  },
  {
    code: 'ED_NURSERY_STATISTICS',
    name: '托班统计',
    nameEn: 'Nursery-class capacity by region',
    owner: 'education',
    class: 'UNCONDITIONAL',
    personal: false,
    fields: { 'Region.nurseryClasses': null, ...all('NurseryClassCapacity') },
  },
  // ------------------------------------------------------------------------------------ 医保 medical insurance
  {
    code: 'MI_ENROLMENT',
    name: '基本医疗保险参保信息',
    nameEn: 'Medical insurance enrolment',
    owner: 'medical-insurance',
    class: 'CONDITIONAL',
    personal: true,
    fields: { 'Person.insurance': null, ...all('MedicalInsuranceEnrolment') },
  },
  // ---------------------------------------------------------------------------------------- 人社 social security
  {
    code: 'SS_CARD',
    name: '社会保障卡申领信息',
    nameEn: 'Social security card application',
    owner: 'social-security',
    class: 'CONDITIONAL',
    personal: true,
    fields: { 'Person.socialSecurityCard': null, ...all('SocialSecurityCard') },
  },
];

/**
 * Fields that only group other fields (their sub-fields are catalogued, each with its own item) and types that
 * carry no department data; the catalogue test skips them.
 */
export const GROUPING_FIELDS = ['Person.health', 'Person.childcare'];

/** Purposes a request may declare (X-Purpose), as first published. Synced like the catalogue items. */
export const PURPOSES = [
  { code: 'ELDERLY_CARE_SERVICE', name: '养老服务', description: '养老服务对象认定、补贴审核与服务提供 Elderly-care eligibility, subsidies and services' },
  { code: 'CAPABILITY_ASSESSMENT', name: '老年人能力评估', description: '老年人能力评估与照护等级认定 Capability assessment and care level' },
  { code: 'CHILDCARE_SERVICE', name: '托育服务', description: '托育机构备案、入托与补贴 Childcare filing, enrolment and subsidies' },
  { code: 'INFANT_HEALTH', name: '儿童健康管理', description: '0-3岁儿童健康管理与预防接种 Infant health management and vaccination' },
  { code: 'BIRTH_JOINT_SERVICE', name: '出生一件事', description: '新生儿出生联办 Newborn joint application' },
  { code: 'STATISTICS', name: '统计分析', description: '一老一小指标统计，不涉及个人 Indicators and statistics, not about individuals' },
  { code: 'SUPERVISION', name: '监督审计', description: '数据使用监督与审计 Oversight and audit of data use' },
  { code: 'ADMINISTRATION', name: '平台管理', description: '接入方与共享目录管理 Managing consumers and the catalogue' },
  { code: 'DEMO', name: '演示', description: '演示与开发环境 Demonstration and development only' },
];

/** Expands `Type.*` against the schema (every field but `provenance`) and checks every coordinate exists. */
export function expandFields(definition: CatalogueItemDefinition, schema: GraphQLSchema): CatalogueField[] {
  return Object.entries(definition.fields).flatMap(([coordinate, mask]) => {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    const type = schema.getType(typeName);
    if (!(type instanceof GraphQLObjectType)) throw new Error(`catalogue item ${definition.code}: no object type ${typeName}`);
    const names = fieldName === '*' ? Object.keys(type.getFields()).filter((name) => name !== 'provenance') : [fieldName];
    return names.map((name) => {
      if (!type.getFields()[name]) throw new Error(`catalogue item ${definition.code}: no field ${typeName}.${name}`);
      return { coordinate: `${typeName}.${name}`, itemCode: definition.code, mask };
    });
  });
}
