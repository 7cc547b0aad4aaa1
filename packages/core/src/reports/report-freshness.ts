/**
 * Audit reports are relied on for 12 months after their period ends; after that a bridge letter is
 * due. Dates are ISO calendar dates (YYYY-MM-DD), compared in UTC.
 */
export const relianceMonths = 12;
export const lapsingWindowDays = 30;

export interface Freshness {
  /** The day the version stops being current (period end + 12 months). */
  lapsesOn: string;
  /** Already lapsed: for the newest version, a bridge letter is due. */
  lapsed: boolean;
  /** Lapses within the next 30 days. */
  lapsingSoon: boolean;
}

function addMonths(date: string, months: number): Date {
  const at = new Date(`${date}T00:00:00Z`);
  const day = at.getUTCDate();
  at.setUTCDate(1);
  at.setUTCMonth(at.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 0)).getUTCDate();
  at.setUTCDate(Math.min(day, lastDay));
  return at;
}

export function freshness(periodEnd: string, now: Date): Freshness {
  const lapses = addMonths(periodEnd, relianceMonths);
  const soon = now.getTime() + lapsingWindowDays * 86_400_000;
  return {
    lapsesOn: lapses.toISOString().slice(0, 10),
    lapsed: lapses.getTime() <= now.getTime(),
    lapsingSoon: lapses.getTime() > now.getTime() && lapses.getTime() <= soon,
  };
}
