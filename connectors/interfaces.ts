/** Every department's published interface, by connector name. */
import type { ConnectorName, DepartmentInterface } from './interface';
import { civilAffairsInterface } from './civil-affairs/interface';
import { educationInterface } from './education/interface';
import { healthInterface } from './health/interface';
import { medicalInsuranceInterface } from './medical-insurance/interface';
import { publicSecurityInterface } from './public-security/interface';
import { socialSecurityInterface } from './social-security/interface';

export const DEPARTMENT_INTERFACES: Record<ConnectorName, DepartmentInterface> = {
  'public-security': publicSecurityInterface,
  health: healthInterface,
  'medical-insurance': medicalInsuranceInterface,
  'social-security': socialSecurityInterface,
  'civil-affairs': civilAffairsInterface,
  education: educationInterface,
};
