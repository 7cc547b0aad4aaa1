import type { Logger } from '../ports/runtime.js';

/** Outgoing mail (invitations, password resets, notifications). In AWS the SES adapter; locally the log. */
export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

/** One-time tokens travel in link fragments (`#token=…`): a log line keeps the link but never the token. */
export function redactTokens(text: string): string {
  return text.replace(/([#?&]token=)[^&\s]+/g, '$1[redacted]');
}

/**
 * The local adapter (the local stack only; composition refuses it where no local endpoints are
 * configured): the message goes to the structured log with its token REDACTED, and, whole, to the
 * `outbox` sink when one is given — the local server's `<dataDir>/mail-outbox.jsonl`, a file on the
 * developer's own disk where they (and the browser journeys) follow the link.
 */
export function loggingMailer(
  logger: Logger,
  outbox?: (message: { to: string; subject: string; text: string }) => void,
): Mailer {
  return {
    async send(message) {
      outbox?.(message);
      logger.log('info', 'email (local: logged, not sent)', {
        to: message.to,
        subject: message.subject,
        text: redactTokens(message.text),
        ...(outbox ? { outbox: 'the whole message is in the local mail outbox file' } : {}),
      });
    },
  };
}
