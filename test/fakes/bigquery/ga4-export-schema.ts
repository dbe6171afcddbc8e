/**
 * BigQuery table schema (the REST `TableSchema` JSON) of a GA4 export table,
 * as documented at https://developers.google.com/analytics/bigquery/event-schema.
 * A subset: the fields segflow reads, plus a few it ignores (so the reader
 * is shown to drop them), in the documented order and types.
 */
export interface SchemaField {
  name: string;
  type: 'STRING' | 'INTEGER' | 'FLOAT' | 'BOOLEAN' | 'RECORD';
  mode?: 'NULLABLE' | 'REPEATED' | 'REQUIRED';
  fields?: SchemaField[];
}

const string = (name: string): SchemaField => ({ name, type: 'STRING', mode: 'NULLABLE' });
const integer = (name: string): SchemaField => ({ name, type: 'INTEGER', mode: 'NULLABLE' });
const float = (name: string): SchemaField => ({ name, type: 'FLOAT', mode: 'NULLABLE' });
const record = (name: string, fields: SchemaField[], mode: 'NULLABLE' | 'REPEATED' = 'NULLABLE'): SchemaField => ({ name, type: 'RECORD', mode, fields });

const paramValue = record('value', [string('string_value'), integer('int_value'), float('float_value'), float('double_value')]);

export const GA4_EXPORT_SCHEMA: { fields: SchemaField[] } = {
  fields: [
    string('event_date'),
    integer('event_timestamp'),
    string('event_name'),
    record('event_params', [string('key'), paramValue], 'REPEATED'),
    integer('event_previous_timestamp'),
    float('event_value_in_usd'),
    integer('event_bundle_sequence_id'),
    integer('event_server_timestamp_offset'),
    string('user_id'),
    string('user_pseudo_id'),
    record('privacy_info', [string('analytics_storage'), string('ads_storage'), string('uses_transient_token')]),
    record('user_properties', [string('key'), record('value', [string('string_value'), integer('int_value'), float('float_value'), float('double_value'), integer('set_timestamp_micros')])], 'REPEATED'),
    integer('user_first_touch_timestamp'),
    record('device', [
      string('category'), string('mobile_brand_name'), string('mobile_model_name'), string('operating_system'), string('operating_system_version'),
      string('language'), string('is_limited_ad_tracking'),
      record('web_info', [string('browser'), string('browser_version'), string('hostname')]),
    ]),
    record('geo', [string('continent'), string('sub_continent'), string('country'), string('region'), string('city'), string('metro')]),
    record('traffic_source', [string('name'), string('medium'), string('source')]),
    string('stream_id'),
    string('platform'),
    record('ecommerce', [
      integer('total_item_quantity'), float('purchase_revenue_in_usd'), float('purchase_revenue'), float('refund_value_in_usd'), float('refund_value'),
      float('shipping_value_in_usd'), float('shipping_value'), float('tax_value_in_usd'), float('tax_value'), integer('unique_items'), string('transaction_id'),
    ]),
    record('items', [
      string('item_id'), string('item_name'), string('item_brand'), string('item_variant'), string('item_category'), float('price_in_usd'), float('price'),
      integer('quantity'), float('item_revenue_in_usd'), float('item_revenue'), string('coupon'), string('affiliation'), string('item_list_name'), string('item_list_index'),
    ], 'REPEATED'),
  ],
};
