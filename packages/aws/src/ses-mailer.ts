import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Mailer } from '@evidence-portal/core';
import { translateSesError } from './aws-errors.js';

export interface SesMailerSettings {
  /** The verified SES identity mail is sent from (stage config: `PORTAL_MAIL_FROM`). */
  from: string;
  /** An SES configuration set (bounce/complaint events, dedicated IPs); optional. */
  configurationSet?: string;
}

/**
 * Account mail (invitations, password resets) and notification mail through SES v2 `SendEmail`,
 * plain text, one recipient per message. The stacks grant `ses:SendEmail` on the sender identity only.
 * Nothing of the message is logged. The SES client loads on the first message, not at the API's cold start
 * (stacks/api-bundle.test.ts budgets what a cold start loads; most requests send no mail).
 */
export class SesMailer implements Mailer {
  private client: Promise<SESv2Client> | undefined;

  constructor(
    private readonly source: SESv2Client | (() => Promise<SESv2Client>),
    private readonly settings: SesMailerSettings,
  ) {}

  async send(message: { to: string; subject: string; text: string }): Promise<void> {
    const source = this.source;
    this.client ??= typeof source === 'function' ? source() : Promise.resolve(source);
    const [{ SendEmailCommand }, client] = await Promise.all([import('@aws-sdk/client-sesv2'), this.client]);
    try {
      await client.send(
        new SendEmailCommand({
          FromEmailAddress: this.settings.from,
          Destination: { ToAddresses: [message.to] },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: message.text, Charset: 'UTF-8' } },
            },
          },
          ...(this.settings.configurationSet ? { ConfigurationSetName: this.settings.configurationSet } : {}),
        }),
      );
    } catch (error) {
      throw translateSesError('SendEmail', error);
    }
  }
}

/** The SES mailer of a deployment: the SDK's default credentials (the function's role) and region. */
export function sesMailer(settings: SesMailerSettings & { region: string }): SesMailer {
  const { region, ...sender } = settings;
  return new SesMailer(async () => {
    const { SESv2Client } = await import('@aws-sdk/client-sesv2');
    return new SESv2Client({ region, maxAttempts: 3 });
  }, sender);
}
