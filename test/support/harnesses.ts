import { harness as hubspot } from '../../connectors/sinks/hubspot/harness.test-support.js';
import { harness as marketo } from '../../connectors/sinks/marketo/harness.test-support.js';
import { harness as salesforce } from '../../connectors/sinks/salesforce/harness.test-support.js';
import type { SinkHarness } from './sink-harness.js';

/** Every vendor sink with a simulator: the contract, fault, crash and benchmark runs iterate over these. */
export const HARNESSES: SinkHarness[] = [hubspot, salesforce, marketo];
