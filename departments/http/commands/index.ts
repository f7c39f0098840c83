/** The command handlers of each HTTP department, by connector name (one module per department). */
import type { HttpDepartment } from '../../storage';
import type { AnyHandlers } from './context';
import { healthHandlers } from './health';
import { medicalInsuranceHandlers } from './medical-insurance';
import { publicSecurityHandlers } from './public-security';
import { socialSecurityHandlers } from './social-security';

export const COMMAND_HANDLERS: Record<HttpDepartment, AnyHandlers> = {
  'public-security': publicSecurityHandlers,
  health: healthHandlers,
  'medical-insurance': medicalInsuranceHandlers,
  'social-security': socialSecurityHandlers,
};
