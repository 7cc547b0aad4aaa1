import { describe, expect, it } from 'vitest';
import { exampleCorpSeed, seedOrganization } from '../../packages/cli/src/demo-seed.js';
import { accessTestApp, requester } from '../access/directory-test-kit.js';
import { otherCoSeed } from './second-organization.js';

const engineer = exampleCorpSeed.users.find((u) => u.email === 'engineer@example.com');
const otherAdmin = otherCoSeed.users[0];

/**
 * Another organization's emails and account ids are names in another namespace: creating the same
 * name answers exactly as for a name nobody has (docs/access.md, "Tenant isolation of names").
 */
describe('names are per organization: no cross-tenant existence oracle', () => {
  it("creates a user with another tenant's email and an account with another tenant's id, as for fresh ones", async () => {
    const made = await accessTestApp();
    await seedOrganization(made.deps, exampleCorpSeed);
    await seedOrganization(made.deps, otherCoSeed);
    const call = requester(made.app);
    const other = (
      await call('POST', '/api/session', { body: { email: otherAdmin?.email, password: otherAdmin?.password } })
    ).body.token as string;
    const newUser = (email: string, password?: string) =>
      call('POST', '/api/org/users', {
        token: other,
        body: { email, displayName: 'Namesake', accountId: '900000000002', ...(password ? { password } : {}) },
      });
    const newAccount = (accountId: string) =>
      call('POST', '/api/org/accounts', { token: other, body: { name: 'Namesake', accountId } });

    const takenElsewhere = await newUser('engineer@example.com', 'Saffron-Harbor-Quartz-44');
    const takenNowhere = await newUser('nobody@example.com', 'Saffron-Harbor-Quartz-45');
    const ownAgain = await newUser('engineer@example.com');
    const accountElsewhere = await newAccount('555555555555');
    const accountNowhere = await newAccount('123123123123');
    const ownAccountAgain = await newAccount('555555555555');
    // Each organization's engineer@example.com signs in to its own organization only.
    const exampleCorp = await call('POST', '/api/session', {
      body: { organization: 'o-examplecorp', email: 'engineer@example.com', password: engineer?.password },
    });
    const otherCo = await call('POST', '/api/session', {
      body: {
        organization: 'o-otherco',
        email: 'engineer@example.com',
        password: 'Saffron-Harbor-Quartz-44',
        newPassword: 'Saffron-Harbor-Quartz-46',
      },
    });
    const crossed = await call('POST', '/api/session', {
      body: { organization: 'o-otherco', email: 'engineer@example.com', password: engineer?.password },
    });
    const noSuchOrganization = await call('POST', '/api/session', {
      body: { organization: 'o-nosuchorg', email: 'engineer@example.com', password: engineer?.password },
    });
    const me = await call('GET', '/api/me', { token: exampleCorp.body.token });

    expect([takenElsewhere.status, takenNowhere.status]).toEqual([201, 201]);
    expect(Object.keys(takenElsewhere.body).sort()).toEqual(Object.keys(takenNowhere.body).sort());
    expect(ownAgain.status).toBe(409);
    expect(ownAgain.body.code).toBe('email_taken');
    expect([accountElsewhere.status, accountNowhere.status]).toEqual([201, 201]);
    expect(ownAccountAgain.status).toBe(409);
    expect(ownAccountAgain.body.code).toBe('account_exists');
    expect([exampleCorp.status, otherCo.status]).toEqual([201, 201]);
    expect(me.body.organization.orgId).toBe('o-examplecorp');
    expect([crossed.status, noSuchOrganization.status]).toEqual([401, 401]);
    expect(crossed.body.detail).toBe(noSuchOrganization.body.detail);
  }, 120_000);
});
