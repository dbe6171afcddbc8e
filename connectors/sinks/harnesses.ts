import type { SinkHarness } from '../../core/sync/simulation/index.js';
import { harness as hubspot } from './hubspot/harness.js';
import { harness as marketo } from './marketo/harness.js';
import { harness as salesforce } from './salesforce/harness.js';
import { harness as segment } from './segment/harness.js';

/**
 * Every sink with a simulator, for the shared contract, fault and crash
 * suites and bench/sync. Apart from the registry (sinks.ts, whose sandbox
 * also starts simulators) because a harness carries what only the suites
 * need: the scenario's field names, how the vendor stores a value, what it
 * cannot do, and the admin's setup a fresh simulator lacks (Salesforce).
 */
export const HARNESSES: readonly SinkHarness[] = [hubspot, salesforce, marketo, segment];
