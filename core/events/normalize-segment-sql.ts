/**
 * The bulk path of Segment normalization: DuckDB parses and normalizes staged
 * raw JSON lines in parallel C++, several times faster than JSON.parse on one
 * thread.
 *
 * It is deliberately *conservative*: it accepts only messages of the common,
 * unambiguous shape (string ids, canonical UTC timestamps, numeric money,
 * well-formed products) and computes for them exactly what
 * `normalizeSegmentMessage` computes. Every other line, valid or not, is
 * handed back to `normalizeSegmentMessage`, which stays the one definition of
 * what is accepted and the only author of rejection reasons. A differential
 * test (normalize-segment-sql.test.ts) holds the two to the same answers.
 *
 * Cost notes (200k generated lines, 2 threads): each JSON value is parsed
 * once (from_json with a fixed shape, then the small properties/context
 * objects once more); type checks look at the first character of a value's
 * JSON text; strings without escapes are unquoted with substr. Re-parsing per
 * check, as a first version did, cost 4x.
 *
 * Known divergence: a message with a duplicated key (`{"userId":"a","userId":"b"}`)
 * reads the first value here and the last in JSON.parse. No Segment library
 * emits duplicate keys; detecting them would cost a second full parse.
 *
 * Input: `stage_raw(line_no BIGINT, file_id INTEGER, line BIGINT, text VARCHAR)`.
 * Output: `raw_normalized` with the stage_events columns plus `fast BOOLEAN`.
 */

const TOP_FIELDS = [
  'type', 'userId', 'anonymousId', 'previousId', 'event', 'name', 'timestamp', 'originalTimestamp', 'sentAt', 'receivedAt',
  'messageId', 'properties', 'traits', 'context',
] as const;
const PROPERTY_FIELDS = ['revenue', 'total', 'products', 'category', 'order_id', 'orderId'] as const;
const CONTEXT_FIELDS = ['device', 'traits', 'consent'] as const;
const STRING_FIELDS = ['type', 'userId', 'anonymousId', 'previousId', 'event', 'name', 'messageId'] as const;

const shape = (fields: readonly string[]) => JSON.stringify(Object.fromEntries(fields.map((field) => [field, 'JSON'])));

/** JSON value absent (SQL NULL) or JSON null. */
const absent = (value: string) => `(${value} IS NULL OR ${value}::VARCHAR = 'null')`;
// starts_with compares bytes; left() decodes UTF-8 characters (measurably slower over ~30 checks a line).
const firstIs = (value: string, character: string) => `coalesce(starts_with(${value}::VARCHAR, '${character}'), FALSE)`;
const isString = (value: string) => firstIs(value, '"');
const isObject = (value: string) => firstIs(value, '{');
const stringOrAbsent = (value: string) => `(${absent(value)} OR ${isString(value)})`;
const objectOrAbsent = (value: string) => `(${absent(value)} OR ${isObject(value)})`;
/**
 * A JSON number V8 reads to the same double: finite, and integers within
 * 2^53 (decimals round the same way in both: correctly rounded parsing).
 */
const exactNumber = (value: string) => `coalesce((ascii(${value}::VARCHAR) BETWEEN 48 AND 57 OR ascii(${value}::VARCHAR) = 45)
    AND isfinite(TRY_CAST(${value} AS DOUBLE))
    AND (contains(${value}::VARCHAR, '.') OR contains(lower(${value}::VARCHAR), 'e') OR abs(TRY_CAST(${value} AS DOUBLE)) <= 9007199254740992), FALSE)`;
const numberOrAbsent = (value: string) => `(${absent(value)} OR ${exactNumber(value)})`;
/**
 * A JSON string's value. Without a backslash a JSON string cannot contain a
 * quote, so trimming the quotes is exact (the common case, byte-cheap).
 */
const unquote = (value: string) => `CASE WHEN ${isString(value)} THEN
    CASE WHEN contains(${value}::VARCHAR, '\\') THEN json_extract_string(${value}, '$')
         ELSE trim(${value}::VARCHAR, '"') END END`;
const asDouble = (value: string) => `CASE WHEN ${absent(value)} THEN NULL ELSE TRY_CAST(${value} AS DOUBLE) END`;

/**
 * Only `YYYY-MM-DDTHH:MM:SSZ` and `YYYY-MM-DDTHH:MM:SS.sssZ`: V8 and DuckDB
 * read those identically. Impossible dates (2026-02-30), which V8 rolls over
 * and DuckDB refuses, fall to the JS path.
 */
/**
 * Works on the JSON text (quotes included) at fixed positions: the shape
 * check rules out escapes, so no unquoting pass is needed.
 */
const canonicalTimeMs = (json: string) => `CASE WHEN regexp_full_match(${json}::VARCHAR, '"\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{3})?Z"')
    AND substr(${json}::VARCHAR, 13, 2) < '24' AND substr(${json}::VARCHAR, 16, 2) < '60' AND substr(${json}::VARCHAR, 19, 2) < '60'
    THEN epoch_ms(TRY_CAST(substr(${json}::VARCHAR, 2, length(${json}::VARCHAR) - 2) AS TIMESTAMP)) END`;

export interface SegmentSqlOptions {
  /** Current time, epoch ms. */
  now: number;
  /** @default 24 h */
  maxFutureMs: number;
  /** @default 2000-01-01 */
  minTimestamp?: number;
}

export function normalizeSegmentSql(options: SegmentSqlOptions): string {
  return `CREATE OR REPLACE TEMP TABLE raw_normalized AS\n${normalizedSegmentQuery(options, RAW_TOP)}`;
}

/** Top-level fields of staged raw lines (`stage_raw`), each as JSON text. */
const RAW_TOP = `parsed AS (
  SELECT line_no, file_id, line, text,
    CASE WHEN json_valid(text) AND left(ltrim(text), 1) = '{' THEN from_json(text, '${shape(TOP_FIELDS)}') END AS m
  FROM stage_raw),
fields AS (
  SELECT line_no, file_id, line, text, m IS NOT NULL AS is_object,
    ${TOP_FIELDS.map((field) => `m."${field}" AS "j_${field}"`).join(', ')}
  FROM parsed),
top AS (
  SELECT *, CASE WHEN ${isObject('j_context')} THEN from_json(j_context, '${shape(CONTEXT_FIELDS)}') END AS c
  FROM fields)`;

/**
 * Top-level fields read straight from a JSONL file by DuckDB's parallel
 * reader (one pass, no staging): the bulk path for clean files. Rows carry no
 * text and no line number; a record over `maxRecordBytes` fails the read. The
 * caller makes the load fail unless every row takes the fast path, and then
 * uses the line-by-line path, which can name lines.
 */
export function fileSegmentTop(path: string, maxRecordBytes: number): string {
  // context is read as a STRUCT of its three useful fields by the reader
  // itself (no second parse of ~400 bytes per line); a context that is not
  // an object fails the read, and the file goes line by line.
  const contextType = `STRUCT(${CONTEXT_FIELDS.map((field) => `"${field}" JSON`).join(', ')})`;
  const columns = TOP_FIELDS.map((field) => `"${field}": '${field === 'context' ? contextType : 'JSON'}'`).join(', ');
  // No line numbers: numbering rows in the reader (WITH ORDINALITY)
  // serializes it, which doubled the load time. Nothing downstream depends on
  // file order (dedup and identity order by content and time).
  return `top AS (
  SELECT CAST(NULL AS BIGINT) AS line_no, 0 AS file_id, CAST(NULL AS BIGINT) AS line, CAST(NULL AS VARCHAR) AS text, TRUE AS is_object,
    ${TOP_FIELDS.map((field) => (field === 'context'
      ? `CASE WHEN "context" IS NULL THEN NULL ELSE CAST('{}' AS JSON) END AS "j_context"`
      : `"${field}" AS "j_${field}"`)).join(', ')},
    "context" AS c
  FROM read_json('${path.replaceAll("'", "''")}', format = 'newline_delimited', columns = {${columns}},
    maximum_object_size = ${Math.max(1, Math.round(maxRecordBytes))}))`;
}

/** The normalization query over a `top` relation of JSON-text fields. */
export function normalizedSegmentQuery(options: SegmentSqlOptions, top: string): string {
  const maxFuture = Math.round(options.now + options.maxFutureMs);
  const minTimestamp = Math.round(options.minTimestamp ?? Date.UTC(2000, 0, 1));
  const times = ['timestamp', 'originalTimestamp', 'sentAt', 'receivedAt'] as const;
  const timeOk = (field: (typeof times)[number]) => `(${absent(`j_${field}`)} OR t_${field} IS NOT NULL)`;
  return `WITH ${top},
nested AS (
  SELECT *,
    CASE WHEN ${isObject('j_properties')} THEN from_json(j_properties, '${shape(PROPERTY_FIELDS)}') END AS p
  FROM top),
flat AS (
  SELECT *,
    ${PROPERTY_FIELDS.map((field) => `p."${field}" AS "p_${field}"`).join(', ')},
    ${CONTEXT_FIELDS.map((field) => `c."${field}" AS "c_${field}"`).join(', ')},
    ${STRING_FIELDS.map((field) => `${unquote(`"j_${field}"`)} AS "s_${field}"`).join(',\n    ')}
  FROM nested),
typed AS (
  SELECT *,
    ${times.map((field) => `${canonicalTimeMs(`j_${field}`)} AS t_${field}`).join(',\n    ')},
    CASE WHEN ${isObject('c_device')} THEN from_json(c_device, '{"id":"JSON"}').id END AS device_id_json,
    CASE WHEN starts_with(p_products::VARCHAR, '[')
      THEN list_bool_and(list_transform(json_extract(p_products, '$[*]'), item -> starts_with(item::VARCHAR, '{'))) END AS products_are_objects
  FROM flat),
checked AS (
  SELECT *,
    CASE WHEN products_are_objects THEN from_json(p_products, '[{"price":"JSON","quantity":"JSON","category":"JSON"}]') END AS products,
    nullif(s_userId, '') AS user_id,
    nullif(s_anonymousId, '') AS anonymous_id,
    nullif(s_previousId, '') AS previous_id,
    CASE WHEN t_originalTimestamp IS NOT NULL AND t_sentAt IS NOT NULL AND t_receivedAt IS NOT NULL
      THEN t_receivedAt - (t_sentAt - t_originalTimestamp)
      ELSE coalesce(t_timestamp, t_originalTimestamp, t_receivedAt) END AS ts_ms
  FROM typed)
SELECT line_no, file_id, line, text,
  coalesce(is_object
    AND s_type IN ('track', 'identify', 'page', 'screen', 'group', 'alias')
    AND ${stringOrAbsent('j_userId')} AND ${stringOrAbsent('j_anonymousId')} AND ${stringOrAbsent('j_previousId')}
    AND ${objectOrAbsent('j_properties')} AND ${objectOrAbsent('j_traits')} AND ${objectOrAbsent('j_context')}
    AND ${times.map(timeOk).join(' AND ')}
    AND s_messageId <> ''
    AND ${numberOrAbsent('p_revenue')} AND ${numberOrAbsent('p_total')}
    AND ${stringOrAbsent('p_order_id')} AND ${stringOrAbsent('p_orderId')}
    AND (${absent('p_products')}
      OR products_are_objects AND list_bool_and(list_transform(products, item ->
           ${numberOrAbsent('item.price')} AND ${numberOrAbsent('item.quantity')})))
    AND (user_id IS NOT NULL OR anonymous_id IS NOT NULL)
    AND (s_type <> 'alias' OR previous_id IS NOT NULL)
    -- JS trims Unicode whitespace, DuckDB only ASCII: take the fast path only
    -- when a visible ASCII character settles it.
    AND (s_type <> 'track' OR regexp_matches(s_event, '[!-~]'))
    AND ts_ms IS NOT NULL AND ts_ms <= ${maxFuture} AND ts_ms >= ${minTimestamp}
    AND ${stringOrAbsent('device_id_json')}
    , FALSE) AS fast,
  s_messageId AS message_id,
  s_type AS type,
  CASE WHEN s_type = 'track' THEN s_event WHEN s_type IN ('page', 'screen') THEN s_name END AS event,
  user_id, anonymous_id,
  nullif(${unquote('device_id_json')}, '') AS device_id,
  previous_id,
  ts_ms,
  t_receivedAt AS received_ms,
  ${revenueSql()} AS revenue,
  coalesce(CASE WHEN ${isString('p_order_id')} THEN nullif(${unquote('p_order_id')}, '') END,
           CASE WHEN (${absent('p_order_id')} OR ${unquote('p_order_id')} = '') THEN nullif(${unquote('p_orderId')}, '') END) AS order_id,
  coalesce(${unquote('p_category')},
           list_filter(list_transform(products, item -> ${unquote('item.category')}), category -> category IS NOT NULL)[1]) AS category,
  ${payloadSql()}
FROM checked`;
}

/** revenue ?? total ?? sum(price × quantity) of products (left to right, as in JS). */
function revenueSql(): string {
  const sum = `CASE WHEN len(products) > 0 THEN list_reduce(list_transform(products, item ->
      coalesce(${asDouble('item.price')}, 0) * coalesce(${asDouble('item.quantity')}, 1)), (a, b) -> a + b, 0.0) END`;
  return `coalesce(${asDouble('p_revenue')}, ${asDouble('p_total')}, ${sum})`;
}

/**
 * What storedPayload() keeps, as JSON text: properties ({} when absent),
 * traits when not empty (top-level, else context.traits), consent when present.
 */
function payloadSql(): string {
  const properties = `coalesce(CASE WHEN ${isObject('j_properties')} THEN j_properties::VARCHAR END, '{}')`;
  const topTraits = `CASE WHEN ${isObject('j_traits')} AND j_traits::VARCHAR <> '{}' THEN j_traits END`;
  const contextTraits = `CASE WHEN ${isObject('c_traits')} AND c_traits::VARCHAR <> '{}' THEN c_traits END`;
  return `${properties} AS properties, coalesce(${topTraits}, ${contextTraits})::VARCHAR AS traits, c_consent::VARCHAR AS consent`;
}
