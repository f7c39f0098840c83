/**
 * The GraphQL documents the benchmarks send, each with the check that its answer is real data (so a fast error
 * page never passes as speed).
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- answers are checked by shape, not typed */

/** Five departments nested under a page of 100 elderly people (scale 0.1: the district's 60+ in 500103). */
export const PERSONS_FIRST_100 = {
  query: `query Persons { persons(filter: { regionCode: "500103", ageMin: 60 }, first: 100) { totalCount edges { node {
      citizenId age elderlyProfile { livingAlone assessments { level } } health { familyDoctorContract { team } annualChecks { year } }
      childcare { nurseryClass { enrolledOn } } insurance { status } } } } }`,
  variables: {},
  check: (data: any) => data?.persons?.edges?.length === 100,
};

/**
 * The first 100 elderly-care institutions in id order with all 16 fields of civil affairs' institution record,
 * as the hub publishes them (the region code as the facility's region, beds grouped) and as PostGraphile
 * publishes the exchange view (one field per column).
 */
export const INSTITUTIONS_HUB = `query Institutions { elderlyCareInstitutions(first: 100) { edges { node {
  id name kind subtype ownership operator region { code } address careModes starLevel
  beds { total nursing safetyNet inclusive occupied } medicalContract } } } }`;

export const INSTITUTIONS_PEER = `query Institutions { allInstitutions(first: 100, orderBy: PRIMARY_KEY_ASC) { edges { node {
  institutionId name kind subtype ownership operator regionCode address careModes starLevel
  bedsTotal bedsNursing bedsSafetyNet bedsInclusive bedsOccupied medicalContract } } } }`;
