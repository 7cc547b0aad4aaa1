import type { Mailer } from './mailer.js';

/** Where account mail goes out and which site its links point at (a deployment setting). */
export interface AccountMailDeps {
  mailer: Mailer;
  /** The web console's origin, e.g. `https://portal.example.com`: links are `<siteOrigin>/invitation#token=…`. */
  siteOrigin: string;
}

/**
 * The text of the mail the identity module sends. Tokens travel in the URL fragment, which browsers
 * never send to a server, so they do not reach access logs on the way back.
 */
export const accountMail = {
  invitation: (input: { to: string; invitedBy: string; token: string; siteOrigin: string; orgId: string }) => ({
    to: input.to,
    subject: `${input.invitedBy} invited you to evidence-portal`,
    text: [
      `Set your password within 7 days: ${input.siteOrigin}/invitation#token=${input.token}&organization=${input.orgId}`,
      `Then sign in with the organization ID ${input.orgId} and this email address.`,
    ].join('\n'),
  }),
  passwordReset: (input: { to: string; token: string; siteOrigin: string; orgId: string }) => ({
    to: input.to,
    subject: 'Reset your evidence-portal password',
    text: `Set a new password within an hour: ${input.siteOrigin}/reset-password#token=${input.token}&organization=${input.orgId}`,
  }),
};
