/** Data hygiene core: scores, findings and auto-fix plans for contacts, companies and deals. */
export { type AutoFixInput, type AutoFixPlan, overriddenBy, planAutoFixes, type ValueChange } from "./auto-fix.ts";
export { FINDING_CODES } from "./codes.ts";
export { companyValue, scoreCompany } from "./company.ts";
export { contactValue, scoreContact } from "./contact.ts";
export { dealValue, scoreDeal } from "./deal.ts";
export {
  defaultHygieneSettings,
  fixPolicyFor,
  type HygieneSettings,
  HygieneSettingsSchema,
  parseHygieneSettings,
} from "./settings.ts";
export type { Finding, FindingCode, Fix, HygieneContext, HygieneReport, PartScore, Severity } from "./types.ts";
