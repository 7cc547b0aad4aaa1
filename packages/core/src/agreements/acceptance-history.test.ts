import { describe, expect, it } from 'vitest';
import { agreementFixture } from '../../../../test/agreements/agreement-fixture.js';
import { NotFoundError } from '../errors.js';

describe('acceptance history (use case, in memory)', () => {
  it('answers another organization’s acceptance id exactly like a missing one', async () => {
    const f = await agreementFixture();
    await f.createOrg();
    const { agreement, revision } = await f.publishBaa();
    const mine = await f.service.accept(f.caller(), {
      agreementId: agreement.agreementId,
      scope: 'organization',
      revisionId: revision.revisionId,
    });
    const outsider = f.caller({ orgId: 'o-other' });

    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => error,
      );
    const foreign = await refusal(
      f.service.acceptance(outsider, { agreementId: agreement.agreementId, acceptanceId: mine.acceptanceId }),
    );
    const missing = await refusal(
      f.service.acceptance(outsider, { agreementId: agreement.agreementId, acceptanceId: 'acc-nope' }),
    );

    expect(foreign).toBeInstanceOf(NotFoundError);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((foreign as Error).message).toBe((missing as Error).message);
    expect(await f.service.history(outsider, { agreementId: agreement.agreementId })).toEqual([]);
  });
});
