import 'aws-sdk-client-mock-vitest/extend';
import { SESv2Client, SESv2ServiceException, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DependencyUnavailableError } from '@evidence-portal/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SesMailer } from './ses-mailer.js';

// No local SES exists: the SDK's behaviour is what is tested here (aws-sdk-client-mock).
const ses = mockClient(SESv2Client);
afterEach(() => ses.reset());
// Test files share a worker's modules (isolate: false): put the real client back for the next file.
afterAll(() => ses.restore());

const fault = (name: string, status: number) =>
  new SESv2ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });

describe('SesMailer', () => {
  it('sends one plain-text message from the stage sender to the one recipient, with the configuration set', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const mailer = new SesMailer(new SESv2Client({ region: 'eu-west-1' }), {
      from: 'no-reply@portal.example.com',
      configurationSet: 'portal-mail',
    });

    await mailer.send({ to: 'dana@example.com', subject: 'Reset', text: 'https://portal.example.com/reset#token=abc' });

    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, {
      FromEmailAddress: 'no-reply@portal.example.com',
      Destination: { ToAddresses: ['dana@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: 'Reset', Charset: 'UTF-8' },
          Body: { Text: { Data: 'https://portal.example.com/reset#token=abc', Charset: 'UTF-8' } },
        },
      },
      ConfigurationSetName: 'portal-mail',
    });
  });

  it('turns throttling and a paused account into dependency_unavailable, naming only SES and the error', async () => {
    const mailer = new SesMailer(new SESv2Client({ region: 'eu-west-1', maxAttempts: 1 }), {
      from: 'no-reply@portal.example.com',
    });
    ses
      .on(SendEmailCommand)
      .rejectsOnce(fault('TooManyRequestsException', 429))
      .rejectsOnce(fault('SendingPausedException', 400));

    const throttled = await mailer.send({ to: 'a@example.com', subject: 's', text: 'secret-link' }).catch((e) => e);
    const paused = await mailer.send({ to: 'a@example.com', subject: 's', text: 'secret-link' }).catch((e) => e);

    expect(throttled).toBeInstanceOf(DependencyUnavailableError);
    expect(throttled).toMatchObject({ dependency: 'mail', retryable: true });
    expect(paused).toMatchObject({ dependency: 'mail', retryable: false });
    expect(`${throttled.message} ${paused.message}`).not.toContain('secret-link');
  });
});
