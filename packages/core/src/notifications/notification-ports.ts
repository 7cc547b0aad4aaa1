/** Outbound ports of the notification module; adapters live in packages/aws. */

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
}

/** `status` when the receiver answered; `error` when it could not be reached or was refused. */
export type WebhookResponse = { ok: true; status: number } | { ok: false; status?: number; error: string };

/**
 * Sends one webhook POST. Implementations resolve the host, refuse non-public addresses (except the
 * allow-list) and connect to the address they validated, so DNS rebinding cannot redirect them.
 */
export interface WebhookTransport {
  send(request: WebhookRequest): Promise<WebhookResponse>;
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
}
