import type { Logger } from '../ports/runtime.js';

/** Outgoing mail (invitations, password resets). In AWS an SES adapter; locally the log. */
export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

/** The local adapter: the message goes to the structured log, where a developer can follow the link. */
export function loggingMailer(logger: Logger): Mailer {
  return {
    async send(message) {
      logger.log('info', 'email (local: logged, not sent)', {
        to: message.to,
        subject: message.subject,
        text: message.text,
      });
    },
  };
}
