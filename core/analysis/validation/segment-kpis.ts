import { meanInterval, type MeanInterval } from './mean-interval.js';
import { wilsonInterval, type IntervalOptions, type ProportionInterval } from './wilson-interval.js';

/** One profile's outcome over the evaluation window. */
export interface SegmentMember {
  segment: string;
  converted: boolean;
  /** Still active at the end of the retention window. */
  retained: boolean;
  /** Value of each order placed in the window (empty if none). */
  orderValues: readonly number[];
}

export interface SegmentKpis {
  segment: string;
  members: number;
  conversionRate: ProportionInterval;
  retentionRate: ProportionInterval;
  churnRate: ProportionInterval;
  /** Average order value over the segment's orders; undefined when it has none. */
  averageOrderValue: MeanInterval | undefined;
}

/** Per segment KPIs with confidence intervals, in first-seen segment order. */
export function segmentKpis(members: readonly SegmentMember[], options: IntervalOptions = {}): SegmentKpis[] {
  const groups = new Map<string, SegmentMember[]>();
  for (const member of members) {
    const group = groups.get(member.segment);
    if (group) group.push(member);
    else groups.set(member.segment, [member]);
  }
  return [...groups].map(([segment, group]) => kpisOf(segment, group, options));
}

function kpisOf(segment: string, group: readonly SegmentMember[], options: IntervalOptions): SegmentKpis {
  const converted = group.filter((member) => member.converted).length;
  const retained = group.filter((member) => member.retained).length;
  const orders = group.flatMap((member) => member.orderValues);
  return {
    segment,
    members: group.length,
    conversionRate: wilsonInterval(converted, group.length, options),
    retentionRate: wilsonInterval(retained, group.length, options),
    churnRate: wilsonInterval(group.length - retained, group.length, options),
    averageOrderValue: orders.length > 0 ? meanInterval(orders, options) : undefined,
  };
}
