import { z } from 'zod';

/**
 * Marketo's response envelope and Identity token, parsed at the boundary
 * (vendor-facts.md §3 "Envelope", "Auth"). `code` is documented as a quoted
 * string; a number is accepted too so a stray integer is not a parse error.
 */
export const MarketoEnvelopeSchema = z.object({
  requestId: z.string().optional(),
  success: z.boolean(),
  result: z.array(z.unknown()).optional(),
  errors: z.array(z.object({ code: z.union([z.string(), z.number()]).transform(String), message: z.string().optional() })).optional(),
  warnings: z.array(z.unknown()).optional(),
  moreResult: z.boolean().optional(),
  nextPageToken: z.string().optional(),
});

export type MarketoEnvelope = z.infer<typeof MarketoEnvelopeSchema>;

export const IdentityTokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().nonnegative(),
  scope: z.string().optional(),
});

/** One record of a leads / list-membership / delete result. */
export const RecordResultSchema = z.object({
  id: z.number().optional(),
  status: z.string(),
  reasons: z.array(z.object({ code: z.union([z.string(), z.number()]).transform(String), message: z.string().optional() })).optional(),
});

export type RecordResult = z.infer<typeof RecordResultSchema>;
