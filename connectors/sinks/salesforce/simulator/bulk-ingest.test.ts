import { afterEach, describe, expect, it } from 'vitest';
import { startSalesforceSimulator, type SalesforceSimulator } from './salesforce-simulator.js';

const API = '/services/data/v62.0';
let simulator: SalesforceSimulator | undefined;

afterEach(async () => {
  await simulator?.stop();
  simulator = undefined;
});

async function open(): Promise<{ sim: SalesforceSimulator; request: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: unknown }> }> {
  const sim = await startSalesforceSimulator({ seed: 3, limits: { latencyMs: 0 } });
  simulator = sim;
  const tokenAnswer = await fetch(`${sim.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sim.clientId, client_secret: sim.clientSecret }).toString(),
  });
  const { access_token: accessToken } = (await tokenAnswer.json()) as { access_token: string };
  const request = async (method: string, path: string, body?: unknown) => {
    const csv = typeof body === 'string';
    const response = await fetch(`${sim.url}${API}${path}`, {
      method,
      headers: { authorization: `Bearer ${accessToken}`, ...(body === undefined ? {} : { 'content-type': csv ? 'text/csv' : 'application/json' }) },
      ...(body === undefined ? {} : { body: csv ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: /json/.test(response.headers.get('content-type') ?? '') ? (JSON.parse(text) as unknown) : text };
  };
  return { sim, request };
}

/** Runs a job to its end: create, upload, close, poll until terminal. */
async function runJob(request: Awaited<ReturnType<typeof open>>['request'], csv: string): Promise<{ id: string; states: string[] }> {
  const created = (await request('POST', '/jobs/ingest', { object: 'Contact', operation: 'upsert', externalIdFieldName: 'Segflow_Id__c', contentType: 'CSV', lineEnding: 'LF' })).body as { id: string; state: string };
  const states = [created.state];
  expect((await request('PUT', `/jobs/ingest/${created.id}/batches`, csv)).status).toBe(201);
  states.push(((await request('PATCH', `/jobs/ingest/${created.id}`, { state: 'UploadComplete' })).body as { state: string }).state);
  for (let poll = 0; poll < 10 && !['JobComplete', 'Failed'].includes(states.at(-1) ?? ''); poll += 1) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    states.push(((await request('GET', `/jobs/ingest/${created.id}`)).body as { state: string }).state);
  }
  return { id: created.id, states };
}

describe('Salesforce simulator: Bulk API 2.0 ingest', () => {
  it('walks Open → UploadComplete → InProgress → JobComplete and reports successful and failed rows as CSV', async () => {
    const { sim, request } = await open();
    sim.view.setFaults({ rejectKeys: new Set(['k2']) });
    const { id, states } = await runJob(request, 'Segflow_Id__c,LastName\nk1,One\nk2,Two\nk3,"Th,ree"\n');
    expect(states).toEqual(['Open', 'UploadComplete', 'InProgress', 'JobComplete']);
    expect((await request('GET', `/jobs/ingest/${id}/successfulResults`)).body).toBe(
      `"sf__Id","sf__Created","Segflow_Id__c","LastName"\n"${sim.view.records().get('k1')?.vendorId}","true","k1","One"\n"${sim.view.records().get('k3')?.vendorId}","true","k3","Th,ree"\n`,
    );
    const failed = String((await request('GET', `/jobs/ingest/${id}/failedResults`)).body);
    expect(failed).toContain('"","FIELD_CUSTOM_VALIDATION_EXCEPTION:Records from this source are blocked by the validation rule Block_Test_Profiles.: --","k2","Two"');
    expect([...sim.view.records().keys()].sort()).toEqual(['k1', 'k3']);
    expect((await request('DELETE', `/jobs/ingest/${id}`)).status).toBe(204);
  });

  it('fails a job part-way and lists the rest as unprocessed records', async () => {
    const { sim, request } = await open();
    sim.setBulkFaults({ failAfterRows: 1 });
    const { id, states } = await runJob(request, 'Segflow_Id__c\na\nb\nc\n');
    expect(states.at(-1)).toBe('Failed');
    expect((await request('GET', `/jobs/ingest/${id}`)).body).toMatchObject({ state: 'Failed', numberRecordsProcessed: 1, errorMessage: expect.any(String) });
    expect((await request('GET', `/jobs/ingest/${id}/unprocessedrecords`)).body).toBe('"Segflow_Id__c"\n"b"\n"c"\n');
    expect([...sim.view.records().keys()]).toEqual(['a']);
  });

  it('fails a job whose CSV names a field the org lacks, processing nothing', async () => {
    const { sim, request } = await open();
    const { id, states } = await runJob(request, 'Segflow_Id__c,Nope__c\na,1\n');
    expect(states.at(-1)).toBe('Failed');
    expect((await request('GET', `/jobs/ingest/${id}`)).body).toMatchObject({ errorMessage: 'InvalidBatch : Field name not found : Nope__c' });
    expect(sim.view.records().size).toBe(0);
  });

  it('clears a field with #N/A and leaves it alone with an empty cell', async () => {
    const { sim, request } = await open();
    await runJob(request, 'Segflow_Id__c,FirstName,LastName\na,Ann,Lee\n');
    await runJob(request, 'Segflow_Id__c,FirstName,LastName\na,#N/A,\n');
    expect(sim.view.records().get('a')?.properties).toMatchObject({ FirstName: null, LastName: 'Lee' });
  });

  it('refuses uploads once the upload is complete', async () => {
    const { request } = await open();
    const { id } = await runJob(request, 'Segflow_Id__c\na\n');
    expect(await request('PUT', `/jobs/ingest/${id}/batches`, 'Segflow_Id__c\nb\n')).toMatchObject({ status: 409, body: [{ errorCode: 'INVALIDJOBSTATE' }] });
  });
});
