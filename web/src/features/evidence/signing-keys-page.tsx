import { useSigningKeys } from '../../api/evidence.js';
import { Page } from '../../ui/page.js';
import { Await } from '../../ui/states.js';
import { DataTable } from '../../ui/table.js';

/** The public keys that sign bundles and checkpoints: what an auditor pins, by fingerprint. */
export function SigningKeysPage() {
  const keys = useSigningKeys();
  return (
    <Page
      title="Signing keys"
      actions={
        <a className="button-secondary" href="/api/keys/signing" download="signing-keys.json">
          Download keys (JSON)
        </a>
      }
    >
      <p className="lead">
        Give your auditor these fingerprints through another channel (a letter, the audit contract): the verifier trusts
        the key they pinned, never one inside a bundle. After a key rotation old bundles still verify with the previous
        key they name.
      </p>
      <Await query={keys} what="the signing keys">
        {({ items }) => (
          <DataTable
            caption="Signing keys, current first"
            columns={['Status', 'Fingerprint (SHA-256 of the public key)', 'Key', 'Public key']}
            testId="signing-keys"
          >
            {items.map((key) => (
              <tr key={key.fingerprint}>
                <td>{key.status}</td>
                <td>
                  <code className="wrap">{key.fingerprint}</code>
                </td>
                <td>
                  <code className="wrap">{key.keyId}</code>
                </td>
                <td>
                  <details>
                    <summary>PEM</summary>
                    <pre>{key.publicKeyPem}</pre>
                  </details>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Await>
    </Page>
  );
}
