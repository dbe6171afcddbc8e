import { z } from 'zod';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { SinkContext } from '../../../core/sync/sink.js';
import type { MarketoClient } from './client/marketo-client.js';

/**
 * Finds the smart campaign a `marketo:campaign` action names (its id, or
 * its name through `GET /rest/v1/campaigns.json?name=`) and checks, through
 * the Asset API record (`isActive`, `isRequestable`, `type`), that Request
 * Campaign can run leads through it. Every problem is a config error that
 * says what to change in Marketo, so `validate --online` can refuse early.
 */
const CONNECTOR = 'sink:marketo';

const CampaignSchema = z.object({ id: z.number(), name: z.string() });
const SmartCampaignSchema = z.object({ id: z.number(), name: z.string(), type: z.string().optional(), isActive: z.boolean().optional(), isRequestable: z.boolean().optional() });

function configError(reason: string, message: string): ConnectorError {
  return new ConnectorError('config', `marketo.${reason}`, message, { connector: CONNECTOR });
}

export async function resolveCampaignTarget(client: MarketoClient, target: string, context: SinkContext): Promise<number> {
  const byId = /^\d+$/.test(target.trim());
  const query: Record<string, string> = byId ? { id: target.trim() } : { name: target };
  const response = await context.request('marketo.campaigns.find', () => client.send({ method: 'GET', path: '/rest/v1/campaigns.json', query }, context.signal));
  const matches = response.result.flatMap((item) => {
    const parsed = CampaignSchema.safeParse(item);
    return parsed.success && (byId || parsed.data.name === target) ? [parsed.data] : [];
  });
  const [campaign, ...others] = matches;
  if (!campaign) {
    throw configError('campaign_not_found', `Marketo has no smart campaign ${byId ? `with id ${target}` : `named "${target}"`} (target of a marketo:campaign action); create it, or fix the target in the mapping.`);
  }
  if (others.length > 0) {
    const ids = matches.map((match) => match.id).join(', ');
    throw configError('campaign_ambiguous', `Marketo has ${matches.length} smart campaigns named "${target}" (ids ${ids}); use the id as the marketo:campaign target.`);
  }
  await assertRequestable(client, campaign.id, campaign.name, context);
  return campaign.id;
}

async function assertRequestable(client: MarketoClient, id: number, name: string, context: SinkContext): Promise<void> {
  const response = await context.request('marketo.campaigns.check', () => client.send({ method: 'GET', path: `/rest/asset/v1/smartCampaign/${id}.json` }, context.signal));
  const parsed = SmartCampaignSchema.safeParse(response.result[0]);
  if (!parsed.success) throw configError('campaign_not_found', `Marketo found smart campaign ${id} ("${name}") but its Asset API record is missing; check the API user's workspace access.`);
  const campaign = parsed.data;
  const where = `Smart campaign ${id} ("${name}")`;
  if (campaign.type === 'batch') throw configError('campaign_not_requestable', `${where} is a batch campaign; Request Campaign needs a trigger campaign.`);
  if (campaign.isRequestable === false) throw configError('campaign_not_requestable', `${where} cannot be requested: add a "Campaign is Requested" trigger with source "Web Service API" to its Smart List.`);
  if (campaign.isActive === false) throw configError('campaign_inactive', `${where} is not active; activate it in Marketing Activities (Schedule > Activate).`);
}
