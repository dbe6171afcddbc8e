import { z } from 'zod';
import { buildMappingSchema } from '../core/config/mapping-schema.js';
import { sinkSchemas, sourceSchemas } from '../connectors/registry.js';


/** The full mapping schema: core's sections plus every registered connector's. */
export function fullMappingSchema() {
  return buildMappingSchema(sourceSchemas(), sinkSchemas());
}

/** JSON Schema for editors (yaml-language-server), written to mappings/schema.json. */
export function mappingJsonSchema(): string {
  const schema = z.toJSONSchema(fullMappingSchema(), { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  schema.title = 'segflow mapping';
  return `${JSON.stringify(schema, null, 2)}\n`;
}
