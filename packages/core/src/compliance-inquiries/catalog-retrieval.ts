import { type Caller, orgOf } from '../access/caller.js';
import { deniedError } from '../access/require-allowed.js';
import { reportArn } from '../access/resources.js';
import { isPublishedToCustomers, type Report } from '../reports/report-model.js';
import { reportConditionKeys } from '../reports/report-question.js';
import type { InquiryDeps } from './inquiry-deps.js';
import type { InquiryCitation } from './inquiry-model.js';

/**
 * Answers come from the portal's own evidence: the published report catalog the caller may read
 * (`portal:GetReport`, with each report's category and series), matched word by word against each
 * report's name, series, category, company, description and reporting period. This is retrieval,
 * not a language model: an answer quotes what the catalog says, cites where it says it, and says
 * plainly when no published report addresses the question.
 */

const stopWords = new Set(
  (
    'a an and are as at be been being by can could do does did for from has have how i if in into is it its ' +
    'may me my no not of on or our please provide should so such than that the their them then there these ' +
    'they this those to was we were what when where whether which who whom why will with would you your yours ' +
    'any all each every also about describe explain list state confirm company organization organisation ' +
    'vendor provider service services report reports document documents evidence compliance compliant policy ' +
    'policies current currently available copy share send us'
  ).split(' '),
);

/** Lower-case words and numbers; `SOC2` and `ISO27001` split into their parts, as the catalog writes them. */
export function termsOf(text: string): string[] {
  const spaced = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/([a-z])(\d)/g, '$1 $2')
    .replace(/(\d)([a-z])/g, '$1 $2');
  const words = spaced.match(/[a-z0-9]+/g) ?? [];
  return [...new Set(words.filter((word) => !stopWords.has(word) && (word.length > 1 || /\d/.test(word))))];
}

/** The text the retrieval reads from a report: what the catalog holds about it. */
function fieldsOf(report: Report): Array<{ weight: number; text: string }> {
  const latest = report.latest;
  return [
    { weight: 3, text: report.name },
    { weight: 3, text: report.series },
    { weight: 2, text: report.category },
    { weight: 1, text: report.company },
    { weight: 1, text: report.description },
    ...(latest ? [{ weight: 1, text: `${latest.periodStart.slice(0, 10)} ${latest.periodEnd.slice(0, 10)}` }] : []),
  ];
}

export interface Match {
  report: Report;
  score: number;
  matched: string[];
}

/** Reports matching the question, best first: at least one question word in the report's name, series or category. */
export function matchReports(question: string, reports: readonly Report[], limit = 3): Match[] {
  const terms = termsOf(question);
  if (terms.length === 0) return [];
  const matches: Match[] = [];
  for (const report of reports) {
    // Each question word counts once, at the weight of the best field it is in.
    const best = new Map<string, number>();
    for (const field of fieldsOf(report)) {
      const words = new Set(termsOf(field.text));
      for (const term of terms) {
        if (words.has(term) && field.weight > (best.get(term) ?? 0)) best.set(term, field.weight);
      }
    }
    // Only the report's own naming decides relevance; description words alone are too common.
    if (![...best.values()].some((weight) => weight >= 2)) continue;
    // Among equals, the report whose name says least besides the question (SOC 2 before "SOC 2 — Full Results").
    const nameTerms = termsOf(report.name);
    const precision = nameTerms.filter((term) => best.has(term)).length / Math.max(1, nameTerms.length);
    const score = [...best.values()].reduce((sum, weight) => sum + weight, 0) + best.size * 2 + precision;
    matches.push({ report, score, matched: [...best.keys()] });
  }
  return matches.sort((a, b) => b.score - a.score || a.report.name.localeCompare(b.report.name)).slice(0, limit);
}

/** The model's ShortStringAttribute: letters, digits, spaces, `_` and `-`, at most 256. */
export const sourceLabelOf = (report: Report) =>
  `${report.name}${report.latest ? ` version ${report.latest.version}` : ''}`
    .normalize('NFKD')
    .replace(/[^a-zA-Z0-9_\-\s]+/g, '-')
    .replace(/-{2,}/g, '-')
    .slice(0, 256);

/** What the catalog says about the report, in one excerpt (no `<` or `>`). */
export function excerptOf(report: Report): string {
  const period = report.latest
    ? ` Reporting period ${report.latest.periodStart.slice(0, 10)} to ${report.latest.periodEnd.slice(0, 10)} (version ${report.latest.version}).`
    : '';
  return `${report.name} (${report.series}, ${report.category}; ${report.company}): ${report.description}${period}`
    .replace(/[<>]/g, ' ')
    .slice(0, 1000);
}

export interface RetrievedAnswer {
  response: string;
  citations: InquiryCitation[];
}

export const noMatchResponse =
  'No published report you can access addresses this question. Ask your provider directly, or ask for human review ' +
  '(supportMode FULL_SUPPORT) with a questionnaire file.';

/** One answer: the matching reports' catalog entries, quoted and cited; or the honest no-match answer. */
export function answerFrom(question: string, reports: readonly Report[]): RetrievedAnswer {
  const matches = matchReports(question, reports);
  if (matches.length === 0) return { response: noMatchResponse, citations: [] };
  const [first, ...others] = matches.map(({ report }) => report);
  const best = first as Report;
  const also = others.map((report) => `${report.name}${report.latest ? ` (version ${report.latest.version})` : ''}`);
  const response = [
    `${matches.length === 1 ? 'One published report addresses' : `${matches.length} published reports address`} this question.`,
    excerptOf(best),
    ...(also.length > 0 ? [`Also relevant: ${also.join('; ')}.`] : []),
    'See each source for its full text.',
  ]
    .join(' ')
    .replace(/[<>]/g, ' ')
    .slice(0, 2048);
  return {
    response,
    citations: matches.map(({ report }) => ({
      reportId: report.id,
      ...(report.latest ? { version: report.latest.version } : {}),
      sourceLabel: sourceLabelOf(report),
      sourceContent: excerptOf(report),
    })),
  };
}

/** The published reports the caller may read: the evidence its answers may draw on. */
export async function readableReports(deps: InquiryDeps, caller: Caller): Promise<Report[]> {
  const orgId = orgOf(caller);
  const published = (await deps.catalog()).filter(
    (report) => isPublishedToCustomers(report) || (report.publisherOrgId === orgId && report.latest !== undefined),
  );
  if (caller.kind === 'system') return published;
  const { principal } = caller;
  const readable: Report[] = [];
  // Asked quietly: a report the caller may not read is simply not evidence for its answers.
  for (const report of published) {
    const resource = reportArn(orgId, report.id, principal.accountId);
    const decision = await deps.authorizer.authorize(
      principal,
      'portal:GetReport',
      resource,
      reportConditionKeys(report),
    );
    if (decision.decision === 'Allow') readable.push(report);
  }
  if (readable.length === 0 && published.length > 0) {
    // As the catalog list does: a caller explicitly denied reading reports at all is told so (403),
    // rather than answered "no published report addresses this".
    const any = await deps.authorizer.authorize(
      principal,
      'portal:GetReport',
      reportArn(orgId, '*', principal.accountId),
    );
    if (any.decision === 'ExplicitDeny') {
      throw deniedError(any.decision, `Not allowed to portal:GetReport, which answers draw on: ${any.reason}`);
    }
  }
  return readable;
}
