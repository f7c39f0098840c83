import type { PersonRecord } from '../connectors/public-security/interface';
import { ageOn, elderlyProfile, listPersons, lookUpPerson, medicalInsurance, socialSecurityCard } from '../resolvers/person';
import { builder } from './builder';
import { RegionRef } from './region';
import { listSelection, readsRecord, SAME_RECORD } from './projection';
import { provenance } from './provenance';
import { PersonChildcareRef } from './childcare';
import { ElderlyProfileRef } from './elderly-profile';
import { PersonHealthRef, MedicalInsuranceRef, SocialSecurityCardRef } from './person-services';

export const SexEnum = builder.enumType('Sex', {
  description: '性别 Sex as registered',
  values: { MALE: { value: 'M', description: '男 Male' }, FEMALE: { value: 'F', description: '女 Female' } },
});

export const ResidenceTypeEnum = builder.enumType('ResidenceType', {
  description: '户籍/常住 Residence registration type',
  values: {
    REGISTERED_RESIDENT: { description: '户籍常住 Registered here and living here' },
    RESIDENT_ONLY: { description: '常住非户籍 Living here, household registered elsewhere' },
    REGISTERED_ONLY: { description: '户籍非常住 Household registered here, living elsewhere' },
  },
});

const HouseholdRef = builder.objectRef<PersonRecord>('Household').implement({
  description: '户籍信息 Household registration of a person (公安 public security)',
  catalogue: { item: 'PS_HOUSEHOLD' },
  fields: (t) => ({
    householdId: t.exposeString('householdId', { description: '户号 Household number' }),
    address: t.exposeString('address', {
      catalogue: { item: 'PS_HOUSEHOLD', mask: 'ADDRESS' },
      description: '登记地址 Registered address',
    }),
    // A citizen ID like any other: PS_IDENTITY (masked without it), and the head is a subject of the audit event.
    headCitizenId: t.string({
      catalogue: { item: 'PS_IDENTITY', mask: 'CITIZEN_ID' },
      description: '户主身份号码 Citizen ID of the household head',
      extensions: readsRecord('householdHeadId'),
      resolve: (person, _args, ctx) => {
        ctx.access.noteSubject(person.householdHeadId);
        return person.householdHeadId;
      },
    }),
    relationToHead: t.exposeString('relationToHead', { description: '与户主关系 Relation to the household head' }),
    residenceType: t.field({
      type: ResidenceTypeEnum,
      description: '户籍/常住 Registered (户籍) and/or resident (常住)',
      extensions: readsRecord('residenceType'),
      resolve: (person) => person.residenceType,
    }),
    registeredOn: t.field({
      type: 'Date',
      description: '登记日期 Date of household (or residence) registration',
      extensions: readsRecord('registeredOn'),
      resolve: (person) => person.registeredOn,
    }),
  }),
});

export const PersonRef = builder.objectRef<PersonRecord>('Person').implement({
  description: '人员 A person, identified by citizen ID, with what each department holds about them',
  fields: (t) => ({
    provenance: t.field(provenance),
    citizenId: t.exposeString('citizenId', {
      catalogue: { item: 'PS_IDENTITY', mask: 'CITIZEN_ID' },
      description: '公民身份号码 18-character citizen ID (GB 11643-1999)',
    }),
    name: t.exposeString('name', { catalogue: { item: 'PS_IDENTITY', mask: 'NAME' }, description: '姓名 Name' }),
    phone: t.exposeString('phone', {
      catalogue: { item: 'PS_CONTACT', mask: 'PHONE' },
      nullable: true,
      description: '联系电话 Phone number; null when none is registered',
    }),
    sex: t.field({
      type: SexEnum,
      catalogue: { item: 'PS_DEMOGRAPHICS' },
      description: '性别 Sex',
      extensions: readsRecord('sex'),
      resolve: (person) => person.sex,
    }),
    birthDate: t.field({
      type: 'Date',
      catalogue: { item: 'PS_DEMOGRAPHICS' },
      description: '出生日期 Date of birth',
      extensions: readsRecord('birthDate'),
      resolve: (person) => person.birthDate,
    }),
    age: t.int({
      catalogue: { item: 'PS_DEMOGRAPHICS' },
      description: '年龄 Age in whole years today',
      extensions: readsRecord('birthDate'),
      resolve: (person) => ageOn(person.birthDate),
    }),
    region: t.field({
      type: RegionRef,
      catalogue: { item: 'PS_DEMOGRAPHICS' },
      nullable: true,
      description: '所在社区 Community of residence in the region tree; null if its code is not in the tree',
      extensions: readsRecord('regionCode'),
      resolve: (person, _args, ctx) => ctx.loaders.regions.find(person.regionCode),
    }),
    household: t.field({
      type: HouseholdRef,
      catalogue: { item: 'PS_HOUSEHOLD' },
      description: '户籍信息 (公安) Household registration',
      extensions: readsRecord(SAME_RECORD),
      resolve: (person) => person,
    }),
    elderlyProfile: t.field({
      type: ElderlyProfileRef,
      cost: { department: 'batched' },
      catalogue: { item: 'CA_ELDERLY_PROFILE' },
      nullable: true,
      description: '老年人档案 (民政) Elderly profile; null when civil affairs holds none (or on error)',
      extensions: readsRecord('citizenId'),
      resolve: (person, _args, ctx) => elderlyProfile(ctx, person.citizenId),
    }),
    health: t.field({
      type: PersonHealthRef,
      audit: 'personal',
      description: '健康服务 (卫健) Health services; each field is read from health separately',
      extensions: readsRecord(SAME_RECORD),
      resolve: (person) => person,
    }),
    childcare: t.field({
      type: PersonChildcareRef,
      audit: 'personal',
      description: '托育 (卫健 + 教育) Childcare enrolments; each field is read from its department separately',
      extensions: readsRecord(SAME_RECORD),
      resolve: (person) => person,
    }),
    insurance: t.field({
      type: MedicalInsuranceRef,
      cost: { department: 'batched' },
      catalogue: { item: 'MI_ENROLMENT' },
      nullable: true,
      description: '医保参保 (医保) Medical insurance enrolment; null when not enrolled (or on error)',
      extensions: readsRecord('citizenId'),
      resolve: (person, _args, ctx) => medicalInsurance(ctx, person.citizenId),
    }),
    socialSecurityCard: t.field({
      type: SocialSecurityCardRef,
      cost: { department: 'batched' },
      catalogue: { item: 'SS_CARD' },
      nullable: true,
      description: '社保卡 (人社) Social security card application; null when none (or on error)',
      extensions: readsRecord('citizenId'),
      resolve: (person, _args, ctx) => socialSecurityCard(ctx, person.citizenId),
    }),
  }),
});

builder.queryField('person', (t) =>
  t.field({
    type: PersonRef,
    cost: { department: 'each' },
    nullable: true,
    audit: 'personal',
    description:
      '按身份号码查询人员 One person by citizen ID; null when public security has no such person inside the consumer’s region scope (audited either way)',
    args: {
      citizenId: t.arg.string({ required: true, description: '公民身份号码 18-character citizen ID' }),
    },
    resolve: (_root, args, ctx) => lookUpPerson(ctx, args.citizenId),
  }),
);

const ResidenceFilterEnum = builder.enumType('ResidenceFilter', {
  description: '户籍/常住 口径 Which population a list counts',
  values: {
    REGISTERED: { description: '户籍人口 Registered here (户籍常住 + 户籍非常住)' },
    RESIDENT: { description: '常住人口 Living here (户籍常住 + 常住非户籍)' },
  },
});

const ElderlyCriteriaInput = builder.inputType('ElderlyCriteria', {
  description: '老年人条件 Criteria from 民政 civil affairs; when given, the list is its roster of resident elderly (常住)',
  fields: (t) => ({
    specialHardship: t.boolean({ description: '特困 In extreme poverty (true) or not (false)' }),
    minimumLiving: t.boolean({ description: '低保 Receives minimum living allowance' }),
    economicDifficulty: t.boolean({ description: '经济困难 In economic difficulty' }),
    livingAlone: t.boolean({ description: '独居 Lives alone' }),
    emptyNest: t.boolean({ description: '空巢 Empty-nest household' }),
    familyPlanningSpecial: t.boolean({ description: '计划生育特殊家庭 Family-planning special family' }),
    disabilityLevelAtLeast: t.int({
      description: '失能 Current capability level at least this (1 轻度 … 4 完全失能, GB/T 42195-2022)',
    }),
  }),
});

const PersonFilterInput = builder.inputType('PersonFilter', {
  description: '人员筛选 Filter for people (公安 public security registration; 民政 roster with elderly criteria)',
  fields: (t) => ({
    elderly: t.field({
      type: ElderlyCriteriaInput,
      description: '老年人条件 Elderly criteria (特困, 低保, 独居, 空巢, 失能, 计生特殊)',
    }),
    regionCode: t.string({ description: '区划代码 People living in this region (6, 9 or 12 digits)' }),
    ageMin: t.int({ description: '最小年龄 Aged at least this many whole years today' }),
    ageMax: t.int({ description: '最大年龄 Aged at most this many whole years today' }),
    sex: t.field({ type: SexEnum, description: '性别 Only this sex' }),
    residence: t.field({ type: ResidenceFilterEnum, description: '户籍/常住 Registered or resident population' }),
    residenceTypes: t.field({ type: [ResidenceTypeEnum], description: '登记类型 Only these residence types' }),
  }),
});

builder.queryField('persons', (t) =>
  t.connection(
    {
      type: PersonRef,
      // One page from 公安; with elderly criteria, 民政's roster and then one batched call to 公安 for the page.
      cost: { department: 'each', calls: (args) => (args.filter.elderly ? 2 : 1) },
      // Nullable: a refusal or a department failure nulls only this list, not the whole response.
      nullable: true,
      // A filter over a personal item the consumer may not read is refused and audited.
      audit: 'personal',
      description: '人员列表 People matching a filter, in citizen-ID order, paged forward (first ≤ 200)',
      args: { filter: t.arg({ type: PersonFilterInput, required: true, description: '筛选条件 Filter' }) },
      resolve: (_root, args, ctx, info) => listPersons(ctx, args.filter, args, listSelection(info)),
    },
    {
      name: 'PersonConnection',
      description: '人员分页 A page of people',
      edgesField: { audit: 'personal' },
    },
    { name: 'PersonEdge', description: '人员条目 A person with their cursor', nodeField: { audit: 'personal' } },
  ),
);
