import { z } from 'zod';

/**
 * Property names the importer computes itself. A mapped property with one of
 * these names would silently overwrite the order's revenue or line items, so
 * the schema refuses it (and editors flag it through the JSON Schema pattern).
 */
export const RESERVED_ORDER_PROPERTIES = ['order_id', 'products', 'revenue', 'total', 'currency'] as const;

const RESERVED_MESSAGE = `a property name must not be one of ${RESERVED_ORDER_PROPERTIES.join(', ')} (computed by the importer)`;

const columnName = (what: string) =>
  z.string().min(1).describe(`Header name of the column holding ${what}, exactly as written in the file's first line.`);

const AMOUNT_COLUMNS_MESSAGE = 'map either line_amount (the amount of each line) or unit_price (amount = quantity × unit_price)';

const CsvOrdersColumnsSchema = z
  .strictObject({
    order_id: z
      .union([
        columnName('the order (invoice) id; consecutive rows with the same id form one order'),
        z
          .array(z.string().min(1))
          .min(1)
          .describe('Several columns whose values together identify an order, e.g. [customer, date] for a file with one order per customer and day; joined with "|".'),
      ])
      .describe('The column holding the order (invoice) id, or a list of columns that together make it up; consecutive rows with the same id form one order.'),
    customer_id: columnName('the customer id (becomes userId; "17850.0" is read as "17850")'),
    timestamp: columnName('the order date and time (see timestamp_format)'),
    quantity: columnName('the quantity of the order line (without it, with line_amount, each line counts once)').optional(),
    unit_price: columnName('the unit price of the order line (the line amount is quantity × unit price); needs quantity').optional(),
    line_amount: columnName(
      'the amount of the whole order line, used instead of quantity × unit_price (for exports that give line totals); a refund\'s amount may be negative',
    ).optional(),
    product_id: columnName('the product id or SKU').optional(),
    product_name: columnName('the product name or description').optional(),
    category: columnName('the product category').optional(),
    currency: columnName('the ISO-4217 currency code of the line (overrides the `currency` literal when not empty)').optional(),
  })
  .superRefine((columns, context) => {
    // A check, not a transform: the schema still converts to JSON Schema.
    if (columns.line_amount === undefined && columns.unit_price === undefined) context.addIssue({ code: 'custom', message: AMOUNT_COLUMNS_MESSAGE });
    else if (columns.line_amount === undefined && columns.quantity === undefined) {
      context.addIssue({ code: 'custom', path: ['quantity'], message: 'unit_price needs quantity (amount = quantity × unit_price); or map line_amount instead' });
    }
  })
  .describe('Which column of the file holds each order field. Amounts come from line_amount, or from quantity × unit_price.');

/**
 * A CSV order or point-of-sale export (one row per order line) read as
 * `Order Completed` / `Order Refunded` events. No transforms: the schema is
 * published with `z.toJSONSchema` for editor autocompletion; defaults are
 * applied by `resolveCsvOrdersSettings`.
 */
export const CsvOrdersSourceSchema = z
  .strictObject({
    type: z.literal('csv-orders').describe('A CSV order or POS export, one row per order line.'),
    id: z
      .string()
      .min(1)
      .describe('Source id: prefixes every messageId, so keep it stable once events have been imported.'),
    path: z
      .string()
      .min(1)
      .describe(
        'A .csv or .csv.gz file, a directory (its .csv/.csv.gz files) or a glob such as `exports/*.csv.gz` (`*`, `?`, `**`). Relative to the mapping file. Files are read in sorted path order. With delimiter "tab" or "whitespace", a directory or glob also picks up .tsv and .txt files. A .gz file that does not decompress is quarantined (file and reason) and the other files are read.',
      ),
    delimiter: z
      .union([
        z.enum(['whitespace', 'tab']).describe('"whitespace": fields are separated by runs of spaces and/or tabs (aligned text exports; no quoting, leading and trailing blanks ignored). "tab": one tab character.'),
        z.string().min(1).describe('The literal delimiter, e.g. ";" or "|"; "\\t" in double quotes is a tab.'),
      ])
      .optional()
      .describe('Field delimiter: a character such as "," or ";", "tab", or "whitespace" for files separated by runs of spaces or tabs.')
      .meta({ default: ',' }),
    encoding: z.enum(['utf8', 'latin1']).optional().describe('Text encoding of the file.').meta({ default: 'utf8' }),
    columns: CsvOrdersColumnsSchema,
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'expected a three-letter ISO-4217 code such as "GBP"')
      .optional()
      .describe('Currency of every order when the file has no currency column (e.g. "GBP").'),
    timestamp_format: z
      .enum(['iso', 'us', 'eu'])
      .optional()
      .describe(
        'How dates are written: "iso" = YYYY-MM-DD HH:MM[:SS] or full ISO-8601; "us" = M/D/YYYY H:MM[:SS] [AM|PM]; "eu" = D/M/YYYY H:MM[:SS] (also D.M.YYYY).',
      )
      .meta({ default: 'iso' }),
    timezone: z
      .string()
      .regex(/^(UTC|[+-]\d{2}:\d{2})$/, 'expected "UTC" or a fixed offset such as "+01:00"')
      .optional()
      .describe('Time zone of timestamps without an explicit offset: "UTC" or a fixed offset such as "+01:00" (no daylight saving).')
      .meta({ default: 'UTC' }),
    refunds: z
      .strictObject({
        order_id_prefix: z
          .string()
          .min(1)
          .optional()
          .describe('Orders whose id starts with this prefix (e.g. "C") become `Order Refunded` events.'),
      })
      .optional()
      .describe('How refunds and cancellations are recognised.'),
    properties: z
      .record(
        z
          .string()
          .regex(
            new RegExp(`^(?!(${RESERVED_ORDER_PROPERTIES.join('|')})$).+$`),
            RESERVED_MESSAGE,
          ),
        z.string().min(1),
        // Zod's own message for a bad key is "Invalid key in record", which does not say why.
        { error: (issue) => (issue.code === 'invalid_key' ? RESERVED_MESSAGE : undefined) },
      )
      .optional()
      .describe('Extra event properties: property name → column. Values are copied as text from the first row of each order.'),
    checkpoint_every: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Emit a resumable checkpoint after this many orders.')
      .meta({ default: 20_000 }),
  })
  .describe('CSV order importer: one event per order, built from consecutive rows with the same order id.');

export type CsvOrdersSourceConfig = z.infer<typeof CsvOrdersSourceSchema>;
export type CsvOrdersColumns = CsvOrdersSourceConfig['columns'];

/** The config with every default applied: what the reader works from. */
export interface CsvOrdersSettings {
  sourceId: string;
  path: string;
  /** A literal delimiter, or WHITESPACE_DELIMITER for runs of spaces and tabs. @default ',' */
  delimiter: string;
  /** @default 'utf8' */
  encoding: 'utf8' | 'latin1';
  columns: CsvOrdersColumns;
  currency: string | null;
  /** @default 'iso' */
  timestampFormat: 'iso' | 'us' | 'eu';
  /** Offset of timestamps written without one, in minutes east of UTC. @default 0 */
  offsetMinutes: number;
  refundPrefix: string | null;
  /** [property name, column name] pairs, in mapping order. */
  properties: Array<[string, string]>;
  /** @default 20000 */
  checkpointEvery: number;
}

/** The `delimiter` that splits on runs of spaces and tabs instead of one character. */
export const WHITESPACE_DELIMITER = 'whitespace';

export const CSV_ORDERS_DEFAULTS = {
  delimiter: ',',
  encoding: 'utf8',
  timestampFormat: 'iso',
  timezone: 'UTC',
  checkpointEvery: 20_000,
} as const;

/** Applies defaults; expects a config already validated by the schema. */
export function resolveCsvOrdersSettings(config: CsvOrdersSourceConfig): CsvOrdersSettings {
  return {
    sourceId: config.id,
    path: config.path,
    delimiter: config.delimiter === 'tab' ? '\t' : (config.delimiter ?? CSV_ORDERS_DEFAULTS.delimiter),
    encoding: config.encoding ?? CSV_ORDERS_DEFAULTS.encoding,
    columns: config.columns,
    currency: config.currency ?? null,
    timestampFormat: config.timestamp_format ?? CSV_ORDERS_DEFAULTS.timestampFormat,
    offsetMinutes: offsetMinutes(config.timezone ?? CSV_ORDERS_DEFAULTS.timezone),
    refundPrefix: config.refunds?.order_id_prefix ?? null,
    properties: Object.entries(config.properties ?? {}),
    checkpointEvery: config.checkpoint_every ?? CSV_ORDERS_DEFAULTS.checkpointEvery,
  };
}

/** "UTC" → 0, "+01:00" → 60, "-05:30" → -330. */
export function offsetMinutes(timezone: string): number {
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(timezone);
  if (match === null) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}
