export * from './mixpanel-config.js';
export * from './mixpanel-source.js';
export * from './cohort-webhook.js';
export * from './webhook-auth.js';
