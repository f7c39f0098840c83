import {
  childcareInstitutionCapacity,
  elderlyCareCapacity,
  nurseryClassCapacity,
  regionPopulation,
  type ChildcareInstitutionCapacity,
  type ElderlyCareCapacity,
  type NurseryClassCapacity,
  type RegionPopulation,
} from '../resolvers/region-statistics';
import { builder } from './builder';

const RegionPopulationRef = builder.objectRef<RegionPopulation>('RegionPopulation').implement({
  description: '人口 Population of a region, counted by 公安 public security (residence registration)',
  catalogue: { item: 'PS_POPULATION_STATISTICS' },
  fields: (t) => ({
    resident: t.exposeInt('resident', { description: '常住人口 Resident population (户籍常住 + 常住非户籍)' }),
    registered: t.exposeInt('registered', { description: '户籍人口 Registered population (户籍常住 + 户籍非常住)' }),
    registeredResident: t.exposeInt('registeredResident', { description: '户籍常住 Registered here and living here' }),
    residentOnly: t.exposeInt('residentOnly', { description: '常住非户籍 Living here, registered elsewhere' }),
    registeredOnly: t.exposeInt('registeredOnly', { description: '户籍非常住 Registered here, living elsewhere' }),
  }),
});

const ElderlyCareCapacityRef = builder.objectRef<ElderlyCareCapacity>('ElderlyCareCapacity').implement({
  description: '养老服务设施与床位 Elderly-care facilities and beds in a region, from 民政 civil affairs',
  catalogue: { item: 'CA_ELDERLY_CARE_STATISTICS' },
  fields: (t) => ({
    facilities: t.exposeInt('facilities', { description: '养老服务设施总数 All elderly-care facilities' }),
    fullCareInstitutions: t.exposeInt('fullCareInstitutions', { description: '全托养老机构 Full-care institutions' }),
    publicFullCareInstitutions: t.exposeInt('publicFullCareInstitutions', {
      description: '公办养老机构 Publicly run full-care institutions',
    }),
    streetCentres: t.exposeInt('streetCentres', { description: '街道养老服务中心 Street elderly-care centres' }),
    communityStations: t.exposeInt('communityStations', { description: '社区养老服务站 Community day-care stations' }),
    supportingFacilities: t.exposeInt('supportingFacilities', {
      description: '配套服务设施 Supporting facilities (senior universities, teaching points, canteens)',
    }),
    beds: t.exposeInt('beds', { description: '全托养老床位 Full-care beds' }),
    publicBeds: t.exposeInt('publicBeds', { description: '公办养老床位 Beds in publicly owned facilities' }),
    nursingBeds: t.exposeInt('nursingBeds', { description: '护理型床位 Nursing-type beds' }),
    safetyNetBeds: t.exposeInt('safetyNetBeds', { description: '兜底性床位 Safety-net beds' }),
    inclusiveBeds: t.exposeInt('inclusiveBeds', { description: '普惠型床位 Inclusive (affordable) beds' }),
    occupiedBeds: t.exposeInt('occupiedBeds', { description: '在住床位 Occupied beds' }),
  }),
});

const ChildcareInstitutionCapacityRef = builder
  .objectRef<ChildcareInstitutionCapacity>('ChildcareInstitutionCapacity')
  .implement({
    description: '托育机构托位 Childcare institutions and their places in a region, from 卫健 health (filings)',
    catalogue: { item: 'HE_CHILDCARE_STATISTICS' },
    fields: (t) => ({
      institutions: t.exposeInt('institutions', { description: '托育机构数 Childcare institutions' }),
      filedInstitutions: t.exposeInt('filedInstitutions', { description: '已备案机构数 Institutions with a filing' }),
      places: t.exposeInt('places', { description: '托位数 Childcare places' }),
      inclusivePlaces: t.exposeInt('inclusivePlaces', { description: '普惠托位数 Places in inclusive institutions' }),
      enrolled: t.exposeInt('enrolled', { description: '在托人数 Children enrolled' }),
    }),
  });

const NurseryClassCapacityRef = builder.objectRef<NurseryClassCapacity>('NurseryClassCapacity').implement({
  description: '幼儿园托班托位 Kindergarten childcare-class places in a region, from 教育 education',
  catalogue: { item: 'ED_NURSERY_STATISTICS' },
  fields: (t) => ({
    kindergartens: t.exposeInt('kindergartens', { description: '开设托班的幼儿园 Kindergartens' }),
    places: t.exposeInt('places', { description: '托班托位 Childcare-class places' }),
    publicPlaces: t.exposeInt('publicPlaces', { description: '公办托班托位 Places in public kindergartens' }),
  }),
});

builder.prismaObjectFields('Region', (t) => ({
  population: t.field({
    type: RegionPopulationRef,
    catalogue: { item: 'PS_POPULATION_STATISTICS' },
    nullable: true,
    description: '人口 (公安) Population; null with an UPSTREAM_UNAVAILABLE error when public security is unavailable',
    resolve: (region, _args, ctx) => regionPopulation(ctx, region.code),
  }),
  elderlyCare: t.field({
    type: ElderlyCareCapacityRef,
    catalogue: { item: 'CA_ELDERLY_CARE_STATISTICS' },
    nullable: true,
    description: '养老服务设施与床位 (民政) Elderly-care capacity; null with an error when civil affairs is unavailable',
    resolve: (region, _args, ctx) => elderlyCareCapacity(ctx, region.code),
  }),
  childcareInstitutions: t.field({
    type: ChildcareInstitutionCapacityRef,
    catalogue: { item: 'HE_CHILDCARE_STATISTICS' },
    nullable: true,
    description: '托育机构托位 (卫健) Childcare institutions; null with an error when health is unavailable',
    resolve: (region, _args, ctx) => childcareInstitutionCapacity(ctx, region.code),
  }),
  nurseryClasses: t.field({
    type: NurseryClassCapacityRef,
    catalogue: { item: 'ED_NURSERY_STATISTICS' },
    nullable: true,
    description: '幼儿园托班 (教育) Kindergarten childcare classes; null with an error when education is unavailable',
    resolve: (region, _args, ctx) => nurseryClassCapacity(ctx, region.code),
  }),
}));
