import { type BundleStatement, dssePayloadType } from './bundle-format.js';

/**
 * The openssl + sha256sum recipe, as a shell script (VERIFY.md carries it; a test runs it against
 * good and tampered bundles). Run in the directory the archive was extracted into.
 */
export const opensslRecipe = `set -eu
# 1. The signature (manifest.sig, DER ECDSA P-256) covers the DSSE pre-authentication encoding of manifest.json.
printf 'DSSEv1 %d %s %d ' ${dssePayloadType.length} '${dssePayloadType}' "$(wc -c < manifest.json)" > manifest.pae
cat manifest.json >> manifest.pae
openssl dgst -sha256 -verify signing-key.pem -signature manifest.sig manifest.pae
# 2. The DSSE envelope carries the same manifest and the same signature.
test "$(grep -o '"payload": "[^"]*"' manifest.dsse.json | cut -d'"' -f4 | openssl base64 -d -A | sha256sum)" = "$(sha256sum < manifest.json)"
test "$(grep -o '"sig": "[^"]*"' manifest.dsse.json | cut -d'"' -f4 | openssl base64 -d -A | sha256sum)" = "$(sha256sum < manifest.sig)"
# 3. Every file has the digest the signed manifest names.
grep -o '"name":"files/[^"]*","digest":{"sha256":"[0-9a-f]\\{64\\}"}' manifest.json \\
  | sed 's/^"name":"\\([^"]*\\)","digest":{"sha256":"\\([0-9a-f]*\\)"}$/\\2  \\1/' > manifest.sha256
sha256sum --strict --quiet -c manifest.sha256
# 4. No file is missing from the manifest.
test "$(find files -type f | LC_ALL=C sort)" = "$(cut -c67- manifest.sha256 | LC_ALL=C sort)"
echo "bundle verified: signature, envelope and every file"
`;

/** VERIFY.md of one bundle: what it is, whose key signed it, and how to check it by hand. */
export function verifyGuide(statement: BundleStatement): string {
  const { predicate } = statement;
  return `# Verifying evidence bundle ${predicate.bundleId}

Organization: ${predicate.org.name} (${predicate.org.id})
Requested by: ${predicate.requester.email} (account ${predicate.requester.accountId})
Purpose: ${predicate.purpose}
Issued: ${predicate.issuedAt}; valid until ${predicate.expiresAt}
Files: ${statement.subject.length}
Signing key fingerprint (SHA-256 of its DER SubjectPublicKeyInfo): ${predicate.signingKey.fingerprint}

**Trust the key you pinned, not the one in this archive.** Compare the fingerprint above with the one
the organization gave you out of band (GET /api/keys/signing once over TLS, a contract, a letter).
\`signing-key.pem\` here only lets you check integrity; replace it with the key you pinned to check origin.
Check too that the date you verify at is before "valid until" above.

## With the evidence verifier

The verifier is one JavaScript file that runs with plain \`node\` 20 or newer, offline, with no AWS
credentials (the organization hands it to you, or build it from the portal's repository with
\`npm run build:verifier\`):

    node evidence-verify.mjs verify bundle.evb --public-key keys.json --decrypt-key auditor-private.pem

It decrypts the bundle (with your RSA private key), checks every file digest, the DSSE signature, the
ledger checkpoint signature and inclusion proofs, and the expiry; it exits non-zero naming what failed.

## With openssl and sha256sum only

Decrypt first (\`node evidence-verify.mjs decrypt bundle.evb --decrypt-key auditor-private.pem -o bundle.tar\`),
then extract (\`mkdir bundle && tar -xf bundle.tar -C bundle && cd bundle\`) and run:

\`\`\`sh
${opensslRecipe}\`\`\`

Any failing step stops the script with a non-zero status.

## Format

manifest.json is an in-toto Statement v1 (${statement.predicateType}); manifest.dsse.json its DSSE
envelope (payloadType ${dssePayloadType}); manifest.sig the same DER signature alone. The format is
specified in docs/evidence-bundle-format.md of the portal's repository.
`;
}
