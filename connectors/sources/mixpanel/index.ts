export * from './mixpanel-config.js';
export * from './mixpanel-source.js';
export * from './cohort-webhook.js';
export * from './webhook-auth.js';
export * from './cohort-signals.js';
export * from './cohort-routes.js';

/** The journal a mixpanel source's cohort webhook writes to, loaded as a source of its own (ids cannot contain a dot, so it never clashes). */
export function cohortJournalId(sourceId: string): string {
  return `${sourceId}.cohorts`;
}
