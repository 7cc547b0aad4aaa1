import { Page } from '../../ui/page.js';

/**
 * Evidence bundles and the signing key have no API yet: this screen says so plainly, and no test calls it
 * done. It becomes the bundle list (create, progress, download) and key page when that API lands.
 */
export function EvidencePage() {
  return (
    <Page title="Evidence bundles">
      <div className="coming" data-testid="coming-soon">
        <p className="badge badge-warn">Coming</p>
        <p className="lead">
          Signed, encrypted evidence bundles for an audit — and the public signing key an auditor verifies them with —
          are not available in this version of the portal yet.
        </p>
        <p>
          When they arrive you will be able to export the reports, agreements and audit trail of chosen accounts as one
          bundle, signed by the portal’s KMS key and encrypted for your auditor, and follow its progress here.
        </p>
      </div>
    </Page>
  );
}
