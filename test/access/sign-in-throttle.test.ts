import { describe, expect, it } from 'vitest';
import { directoryTestDeps } from './directory-test-kit.js';

describe('sign-in throttling per client address', () => {
  it('locks an address after 20 failures across many emails, leaving other addresses free', async () => {
    const deps = await directoryTestDeps();
    const { users, sessions } = deps.portal;
    const { ops } = await users.newUserOps('o-throttle', {
      email: 'victim@example.com',
      displayName: 'Victim',
      accountId: '600000000001',
      password: 'Harbor-Crimson-Tundra-71',
    });
    await deps.store.transact(ops);
    for (let i = 0; i < 20; i++) {
      await expect(
        sessions.signIn({ email: `guess${i}@example.com`, password: 'wrong-wrong-wrong', clientIp: '203.0.113.9' }),
      ).rejects.toMatchObject({ code: 'invalid_credentials' });
    }

    const fromAttacker = await sessions
      .signIn({ email: 'victim@example.com', password: 'Harbor-Crimson-Tundra-71', clientIp: '203.0.113.9' })
      .catch((error: unknown) => error);
    const fromVictim = await sessions.signIn({
      email: 'victim@example.com',
      password: 'Harbor-Crimson-Tundra-71',
      clientIp: '198.51.100.7',
    });

    expect(fromAttacker).toMatchObject({ code: 'sign_in_locked' });
    expect(fromVictim.session.userId).toBe(fromVictim.user.userId);
  });
});
