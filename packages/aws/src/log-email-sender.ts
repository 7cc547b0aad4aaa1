import type { EmailMessage, EmailSender, Logger } from '@evidence-portal/core';

/** The local email adapter: the message goes to the structured log instead of a mail server. */
export class LogEmailSender implements EmailSender {
  constructor(private readonly logger: Logger) {}

  async send(message: EmailMessage): Promise<void> {
    this.logger.log('info', 'email (local adapter: written to the log, not sent)', {
      email: { to: message.to, subject: message.subject, text: message.text },
    });
  }
}
