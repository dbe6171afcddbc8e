import { afterEach, describe, expect, it } from 'vitest';
import { recordingContext } from '../../../core/sync/recording-context.test-support.js';
import { createMarketoSink } from './marketo-sink.js';
import { startMarketoSimulator, type RunningMarketoSimulator } from './simulator/marketo-simulator.js';

/** `identify`: the instance is the REST host (`<munchkin>.mktorest.com`), known without a call. */
const running: RunningMarketoSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((simulator) => simulator.stop()));
});

async function start(seed: number): Promise<RunningMarketoSimulator> {
  const simulator = await startMarketoSimulator({ seed });
  running.push(simulator);
  return simulator;
}

describe('Marketo sink identify', () => {
  it('names the instance by its REST host, makes no call, and carries no credential', async () => {
    const simulator = await start(41);
    const context = recordingContext();
    const identity = await createMarketoSink(simulator.sinkConfig).identify?.(context);
    expect(identity).toBe(`marketo:${new URL(simulator.url).host}`);
    expect(await createMarketoSink({ ...simulator.sinkConfig, client_secret: 'not-the-secret' }).identify?.(context)).toBe(identity);
    expect(context.labels).toEqual([]);
    expect(simulator.view.stats().requests).toBe(0);
    expect(identity).not.toContain(String(simulator.sinkConfig['client_secret']));
  });

  it('tells two instances apart, and reads the munchkin host of a real base URL', async () => {
    const [one, two] = await Promise.all([start(1), start(2)]);
    const first = await createMarketoSink(one.sinkConfig).identify?.(recordingContext());
    const second = await createMarketoSink(two.sinkConfig).identify?.(recordingContext());
    expect(first).toBeDefined();
    expect(first).not.toBe(second);
    const real = createMarketoSink({ type: 'marketo', base_url: 'https://123-ABC-456.mktorest.com/rest', client_id: 'id', client_secret: 'secret' });
    expect(await real.identify?.(recordingContext())).toBe('marketo:123-abc-456.mktorest.com');
  });
});
