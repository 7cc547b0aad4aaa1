import { useSigningKeys } from '../../api/evidence.js';
import { Page } from '../../ui/page.js';
import { Await } from '../../ui/states.js';

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
          <table className="table" data-testid="signing-keys">
            <caption className="visually-hidden">Signing keys, current first</caption>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Fingerprint (SHA-256 of the public key)</th>
                <th scope="col">Key</th>
                <th scope="col">Public key</th>
              </tr>
            </thead>
            <tbody>
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
            </tbody>
          </table>
        )}
      </Await>
    </Page>
  );
}
