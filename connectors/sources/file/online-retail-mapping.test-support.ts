import type { CsvOrdersSourceConfig } from './csv-orders-config.js';

/**
 * The mapping a user writes for the UCI Online Retail export (see the README
 * in shared/datasets/online-retail); the unit tests' fixtures use its layout.
 */
export function onlineRetailMapping(id: string, path: string, extra: Partial<CsvOrdersSourceConfig> = {}): CsvOrdersSourceConfig {
  return {
    type: 'csv-orders',
    id,
    path,
    columns: {
      order_id: 'InvoiceNo',
      customer_id: 'CustomerID',
      timestamp: 'InvoiceDate',
      quantity: 'Quantity',
      unit_price: 'UnitPrice',
      product_id: 'StockCode',
      product_name: 'Description',
    },
    currency: 'GBP',
    refunds: { order_id_prefix: 'C' },
    properties: { country: 'Country' },
    ...extra,
  };
}
