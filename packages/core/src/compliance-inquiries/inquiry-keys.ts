/** Where inquiries live in the single table (the one place their key shapes are written). */
export const inquiryKeys = {
  inquiry: (orgId: string, id: string) => ({ pk: `INQUIRY#${orgId}#${id}`, sk: 'META' }),
  partition: (orgId: string, id: string) => `INQUIRY#${orgId}#${id}`,
  chunk: (orgId: string, id: string, chunk: number) => ({
    pk: `INQUIRY#${orgId}#${id}`,
    sk: `QUERIES#${String(chunk).padStart(3, '0')}`,
  }),
  chunkPrefix: 'QUERIES#',
  feedback: (orgId: string, id: string, submittedAt: string, feedbackId: string) => ({
    pk: `INQUIRY#${orgId}#${id}`,
    sk: `FEEDBACK#${submittedAt}#${feedbackId}`,
  }),
  feedbackPrefix: 'FEEDBACK#',
  exportRecord: (orgId: string, id: string, exportId: string) => ({
    pk: `INQUIRY#${orgId}#${id}`,
    sk: `EXPORT#${exportId}`,
  }),
  /** gsi1: an organization's inquiries, newest first. */
  listIndex: (orgId: string) => `INQUIRIES#${orgId}`,
  /** gsi2: every inquiry in human review, across organizations (the operator's queue). */
  reviewIndex: 'INQUIRY-REVIEW',
  /** A client token, per user: the input's hash and what it produced. */
  clientToken: (orgId: string, userId: string, kind: 'create' | 'feedback', token: string) => ({
    pk: `INQUIRY-TOKEN#${orgId}#${userId}`,
    sk: `${kind}#${token}`,
  }),
};
