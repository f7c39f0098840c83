/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** 照护安排 Kind of care arrangement */
export type CareArrangementKind =
  /** 家庭养老床位 Home-care bed served by an institution */
  | 'HOME_CARE_BED'
  /** 机构养老 Living in an elderly-care institution or centre */
  | 'INSTITUTION';

/** 养老服务设施类型 Kind of elderly-care facility */
export type ElderlyCareFacilityKind =
  /** 社区养老服务站 Community day-care station */
  | 'COMMUNITY_STATION'
  /** 全托养老机构 Full-care institution */
  | 'FULL_CARE_INSTITUTION'
  /** 街道养老服务中心 Street centre (full-time and day care) */
  | 'STREET_CENTRE'
  /** 配套服务设施 Supporting facility (senior university, teaching point, canteen) */
  | 'SUPPORTING_FACILITY';

/** 检查状态 Status of a scheduled infant health check as of a date */
export type InfantCheckStatus =
  /** 已完成 Recorded by health */
  | 'DONE'
  /** 应检 The age was reached less than a month ago and the check is not recorded yet */
  | 'DUE'
  /** 未检 More than a month past the age and not recorded */
  | 'MISSED'
  /** 未到期 The age has not been reached yet */
  | 'UPCOMING';

/** 健康管理状态 Whether a child under 3 counts as managed (纳入健康管理) under the National Basic Public Health Service rules as implemented here: newborn home visit done and no scheduled check MISSED */
export type InfantManagementStatus =
  /** 纳入管理 Newborn visit done and every check due more than a month ago done */
  | 'MANAGED'
  /** 不适用 The child is 3 or older on the date */
  | 'NOT_APPLICABLE'
  /** 未规范管理 Newborn visit missing or a scheduled check missed */
  | 'NOT_MANAGED';

/** 参保状态 Status of a medical insurance enrolment */
export type InsuranceEnrolmentStatus =
  /** 参保缴费 Active */
  | 'ACTIVE'
  /** 终止 Ended */
  | 'ENDED'
  /** 暂停 Suspended */
  | 'SUSPENDED';

/** 医保险种 Medical insurance scheme */
export type InsuranceScheme =
  /** 职工基本医疗保险 Employee scheme */
  | 'EMPLOYEE'
  /** 城乡居民基本医疗保险 Resident scheme */
  | 'RESIDENT';

/** 举办性质 Who runs a facility */
export type Ownership =
  /** 社会办 Run by society (private) */
  | 'PRIVATE'
  /** 公办 Publicly run */
  | 'PUBLIC';

/** 行政区划层级 Level of an administrative division */
export type RegionLevel =
  /** 市 City (6-digit GB/T 2260 code, e.g. 500000 重庆市) */
  | 'CITY'
  /** 社区/村 Community or village (12-digit statistical code) */
  | 'COMMUNITY'
  /** 区县 District or county (6-digit GB/T 2260 code, e.g. 500103 渝中区) */
  | 'DISTRICT'
  /** 街道/乡镇 Street or township (9-digit statistical code) */
  | 'STREET';

/** 户籍/常住 Residence registration type */
export type ResidenceType =
  /** 户籍非常住 Household registered here, living elsewhere */
  | 'REGISTERED_ONLY'
  /** 户籍常住 Registered here and living here */
  | 'REGISTERED_RESIDENT'
  /** 常住非户籍 Living here, household registered elsewhere */
  | 'RESIDENT_ONLY';

/** 性别 Sex as registered */
export type Sex =
  /** 女 Female */
  | 'FEMALE'
  /** 男 Male */
  | 'MALE';

/** 社保卡申领状态 Status of a social security card application */
export type SocialSecurityCardStatus =
  /** 已受理 Accepted, card not yet issued */
  | 'ACCEPTED'
  /** 已制卡 Card issued */
  | 'ISSUED'
  /** 不予受理 Rejected */
  | 'REJECTED';

/** 补贴类型 Kind of elderly subsidy */
export type SubsidyKind =
  /** 高龄津贴 Allowance for the very old (80+) */
  | 'AGED_ALLOWANCE'
  /** 护理补贴 Nursing subsidy for disabled elderly in economic difficulty */
  | 'NURSING_SUBSIDY'
  /** 服务补贴 Elderly-care service subsidy for economic difficulty */
  | 'SERVICE_SUBSIDY';

export type PersonOverviewQueryVariables = Exact<{
  citizenId: string;
}>;


export type PersonOverviewQuery = { person: { citizenId: string, name: string, sex: Sex | null, birthDate: string | null, age: number | null, region: { code: string, name: string, parent: { name: string } | null } | null, household: { householdId: string | null, address: string, relationToHead: string | null, residenceType: ResidenceType | null, registeredOn: string | null } | null, elderlyProfile: { specialHardship: boolean | null, minimumLiving: boolean | null, economicDifficulty: boolean | null, livingAlone: boolean | null, emptyNest: boolean | null, familyPlanningSpecial: boolean | null, assessments: Array<{ level: number | null, label: string | null, assessedOn: string | null, assessorOrganisation: string | null }> | null, subsidies: Array<{ kind: SubsidyKind | null, amountYuan: number | null, periodStart: string | null, periodEnd: string | null }> | null, careArrangement: { kind: CareArrangementKind | null, since: string | null, institution: { id: string | null, name: string | null, kind: ElderlyCareFacilityKind | null } | null } | null } | null, health: { familyDoctorContract: { team: string | null, signedOn: string | null, validUntil: string | null } | null, annualChecks: Array<{ year: number | null, checkedOn: string | null }> | null, vaccinations: Array<{ vaccineCode: string | null, dose: number | null, vaccinatedOn: string | null }> | null }, insurance: { scheme: InsuranceScheme | null, status: InsuranceEnrolmentStatus | null } | null, socialSecurityCard: { status: SocialSecurityCardStatus | null } | null } | null };

export type RegionByCodeQueryVariables = Exact<{
  code: string;
}>;


export type RegionByCodeQuery = { region: { code: string, name: string, level: RegionLevel, parent: { code: string, name: string } | null, children: Array<{ code: string, name: string, level: RegionLevel }> } | null };

export type RegionsListQueryVariables = Exact<{
  level?: RegionLevel | null | undefined;
  parentCode?: string | null | undefined;
}>;


export type RegionsListQuery = { regions: Array<{ code: string, name: string, level: RegionLevel }> };

export type RegionTreeDepthQueryVariables = Exact<{
  code: string;
}>;


export type RegionTreeDepthQuery = { region: { code: string, children: Array<{ code: string, children: Array<{ code: string, parent: { code: string } | null }> }> } | null };

export type ShowcaseInfantQueryVariables = Exact<{
  citizenId: string;
  asOf: string;
}>;


export type ShowcaseInfantQuery = { person: { name: string, birthDate: string | null, household: { address: string } | null, health: { infantHealth: { managementStatus: InfantManagementStatus | null, newbornVisit: { doneOn: string | null, organisation: string | null } | null, checks: Array<{ ageMonths: number | null, dueOn: string | null, doneOn: string | null, status: InfantCheckStatus | null }> | null, vaccinations: Array<{ vaccineName: string | null, dose: number | null, vaccinatedOn: string | null }> | null } | null } } | null };

export type ShowcaseNurseryChildQueryVariables = Exact<{
  citizenId: string;
}>;


export type ShowcaseNurseryChildQuery = { person: { name: string, birthDate: string | null, childcare: { institution: { enrolledOn: string | null } | null, nurseryClass: { enrolledOn: string | null, kindergarten: { name: string | null, ownership: Ownership | null, nurseryClassPlaces: number | null } | null } | null }, health: { vaccinations: Array<{ vaccineCode: string | null, dose: number | null }> | null } } | null };


export const PersonOverviewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PersonOverview"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"citizenId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"citizenId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"citizenId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"citizenId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"sex"}},{"kind":"Field","name":{"kind":"Name","value":"birthDate"}},{"kind":"Field","name":{"kind":"Name","value":"age"}},{"kind":"Field","name":{"kind":"Name","value":"region"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"parent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"household"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"householdId"}},{"kind":"Field","name":{"kind":"Name","value":"address"}},{"kind":"Field","name":{"kind":"Name","value":"relationToHead"}},{"kind":"Field","name":{"kind":"Name","value":"residenceType"}},{"kind":"Field","name":{"kind":"Name","value":"registeredOn"}}]}},{"kind":"Field","name":{"kind":"Name","value":"elderlyProfile"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"specialHardship"}},{"kind":"Field","name":{"kind":"Name","value":"minimumLiving"}},{"kind":"Field","name":{"kind":"Name","value":"economicDifficulty"}},{"kind":"Field","name":{"kind":"Name","value":"livingAlone"}},{"kind":"Field","name":{"kind":"Name","value":"emptyNest"}},{"kind":"Field","name":{"kind":"Name","value":"familyPlanningSpecial"}},{"kind":"Field","name":{"kind":"Name","value":"assessments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"level"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"assessedOn"}},{"kind":"Field","name":{"kind":"Name","value":"assessorOrganisation"}}]}},{"kind":"Field","name":{"kind":"Name","value":"subsidies"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"amountYuan"}},{"kind":"Field","name":{"kind":"Name","value":"periodStart"}},{"kind":"Field","name":{"kind":"Name","value":"periodEnd"}}]}},{"kind":"Field","name":{"kind":"Name","value":"careArrangement"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"since"}},{"kind":"Field","name":{"kind":"Name","value":"institution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"health"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"familyDoctorContract"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"team"}},{"kind":"Field","name":{"kind":"Name","value":"signedOn"}},{"kind":"Field","name":{"kind":"Name","value":"validUntil"}}]}},{"kind":"Field","name":{"kind":"Name","value":"annualChecks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"year"}},{"kind":"Field","name":{"kind":"Name","value":"checkedOn"}}]}},{"kind":"Field","name":{"kind":"Name","value":"vaccinations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"vaccineCode"}},{"kind":"Field","name":{"kind":"Name","value":"dose"}},{"kind":"Field","name":{"kind":"Name","value":"vaccinatedOn"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"insurance"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"scheme"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"socialSecurityCard"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<PersonOverviewQuery, PersonOverviewQueryVariables>;
export const RegionByCodeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RegionByCode"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"code"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"region"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"code"},"value":{"kind":"Variable","name":{"kind":"Name","value":"code"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"level"}},{"kind":"Field","name":{"kind":"Name","value":"parent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"children"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"level"}}]}}]}}]}}]} as unknown as DocumentNode<RegionByCodeQuery, RegionByCodeQueryVariables>;
export const RegionsListDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RegionsList"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"level"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"RegionLevel"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"parentCode"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"regions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"level"},"value":{"kind":"Variable","name":{"kind":"Name","value":"level"}}},{"kind":"Argument","name":{"kind":"Name","value":"parentCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"parentCode"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"level"}}]}}]}}]} as unknown as DocumentNode<RegionsListQuery, RegionsListQueryVariables>;
export const RegionTreeDepthDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RegionTreeDepth"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"code"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"region"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"code"},"value":{"kind":"Variable","name":{"kind":"Name","value":"code"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"children"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"children"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"parent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<RegionTreeDepthQuery, RegionTreeDepthQueryVariables>;
export const ShowcaseInfantDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ShowcaseInfant"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"citizenId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"asOf"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"citizenId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"citizenId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"birthDate"}},{"kind":"Field","name":{"kind":"Name","value":"household"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"address"}}]}},{"kind":"Field","name":{"kind":"Name","value":"health"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"infantHealth"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"asOf"},"value":{"kind":"Variable","name":{"kind":"Name","value":"asOf"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"managementStatus"}},{"kind":"Field","name":{"kind":"Name","value":"newbornVisit"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"doneOn"}},{"kind":"Field","name":{"kind":"Name","value":"organisation"}}]}},{"kind":"Field","name":{"kind":"Name","value":"checks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ageMonths"}},{"kind":"Field","name":{"kind":"Name","value":"dueOn"}},{"kind":"Field","name":{"kind":"Name","value":"doneOn"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"vaccinations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"vaccineName"}},{"kind":"Field","name":{"kind":"Name","value":"dose"}},{"kind":"Field","name":{"kind":"Name","value":"vaccinatedOn"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ShowcaseInfantQuery, ShowcaseInfantQueryVariables>;
export const ShowcaseNurseryChildDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ShowcaseNurseryChild"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"citizenId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"citizenId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"citizenId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"birthDate"}},{"kind":"Field","name":{"kind":"Name","value":"childcare"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"institution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enrolledOn"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nurseryClass"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enrolledOn"}},{"kind":"Field","name":{"kind":"Name","value":"kindergarten"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"ownership"}},{"kind":"Field","name":{"kind":"Name","value":"nurseryClassPlaces"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"health"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"vaccinations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"vaccineCode"}},{"kind":"Field","name":{"kind":"Name","value":"dose"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ShowcaseNurseryChildQuery, ShowcaseNurseryChildQueryVariables>;