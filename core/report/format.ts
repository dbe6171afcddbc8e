/** Display helpers for report text (tables keep raw numbers). */

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

export function formatShare(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

export function sectionId(...parts: string[]): string {
  return parts.join('-').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
