/**
 * Smart campaigns and the "Request Campaign" activities a trigger call
 * leaves in each lead's activity log (vendor-facts.md §3 "Request
 * campaign"). Campaigns are declared by the test or sandbox setup, as an
 * admin builds them in Marketo; only the API's side of them is modeled.
 */
export interface CampaignSpec {
  id: number;
  name: string;
  /** @default 'trigger' */
  type?: 'trigger' | 'batch';
  /** @default true */
  active?: boolean;
  /** Has a "Campaign is Requested" trigger with source "Web Service API". @default true */
  requestable?: boolean;
  /** @default 'segflow triggers' */
  programName?: string;
}

export interface Campaign {
  id: number;
  name: string;
  type: 'trigger' | 'batch';
  active: boolean;
  requestable: boolean;
  programName: string;
  programId: number;
  createdAt: number;
}

/** One lead run through one campaign by one accepted trigger call. */
export interface CampaignRequestActivity {
  id: number;
  leadId: number;
  campaignId: number;
  activityDate: number;
  /** The `{{my.…}}` tokens of the call, name → value. */
  tokens: Record<string, string>;
  requestId: string;
}

/**
 * The simulator's id for the "Request Campaign" activity type, served by
 * `activities/types.json`. The sink looks the type up by name, so this
 * number is the simulator's choice, not a claim about real instances.
 */
export const REQUEST_CAMPAIGN_ACTIVITY_TYPE = { id: 47, name: 'Request Campaign', description: 'Request a campaign for a lead', primaryAttribute: { name: 'Campaign ID', dataType: 'integer' } } as const;

export interface CampaignStore {
  define(spec: CampaignSpec): Campaign;
  get(id: number): Campaign | undefined;
  all(): Campaign[];
  record(activity: Omit<CampaignRequestActivity, 'id'>): CampaignRequestActivity;
  activities(): readonly CampaignRequestActivity[];
}

export function createCampaignStore(now: () => number): CampaignStore {
  const campaigns = new Map<number, Campaign>();
  const activities: CampaignRequestActivity[] = [];
  let nextActivityId = 900_001;

  return {
    define(spec) {
      const campaign: Campaign = {
        id: spec.id,
        name: spec.name,
        type: spec.type ?? 'trigger',
        active: spec.active ?? true,
        requestable: spec.requestable ?? true,
        programName: spec.programName ?? 'segflow triggers',
        programId: 1_000 + spec.id,
        createdAt: now(),
      };
      campaigns.set(campaign.id, campaign);
      return campaign;
    },
    get: (id) => campaigns.get(id),
    all: () => [...campaigns.values()].sort((a, b) => a.id - b.id),
    record(activity) {
      const stored = { ...activity, id: nextActivityId++ };
      activities.push(stored);
      return stored;
    },
    activities: () => activities,
  };
}
