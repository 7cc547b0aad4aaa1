import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';

export interface DemoReportSpec {
  title: string;
  company: string;
  series: string;
  periodStart: string;
  periodEnd: string;
  /** Total pages, at least 3 (cover, contents, body). */
  pages: number;
}

const sections = [
  'Independent Service Auditor’s Report',
  'Management’s Assertion',
  'Description of the System',
  'Control Environment',
  'Risk Assessment Process',
  'Information and Communication',
  'Monitoring Activities',
  'Logical and Physical Access Controls',
  'System Operations',
  'Change Management',
  'Risk Mitigation',
  'Complementary User Entity Controls',
  'Tests of Controls and Results',
];

const sentences = [
  'The service organization maintains documented policies that are reviewed and approved annually by management.',
  'Access to production systems requires multi-factor authentication and is granted on a least-privilege basis.',
  'Quarterly access reviews were performed and exceptions were remediated within the defined service levels.',
  'Changes to production infrastructure are peer reviewed, tested and approved prior to deployment.',
  'Encryption at rest uses keys managed by a hardware-backed key management service with annual rotation.',
  'The auditor inspected a sample of 25 changes and noted no exceptions in the approval evidence.',
  'Security events are aggregated centrally and triaged by an on-call team within documented time frames.',
  'Backups are performed daily, replicated to a separate region and restored in a quarterly recovery test.',
  'New personnel complete security awareness training within thirty days of hire and annually thereafter.',
  'Vendor risk assessments are performed before onboarding and reviewed at least annually.',
  'The incident response plan was exercised in a tabletop scenario during the review period.',
  'Network segmentation restricts traffic between environments to explicitly approved flows.',
];

/** Plausible audit-report PDFs for the demo catalog and benchmarks (standard fonts: no embedding). */
export async function generateDemoReportPdf(spec: DemoReportSpec): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(spec.title);
  doc.setAuthor(spec.company);
  doc.setCreationDate(new Date(`${spec.periodEnd}T00:00:00Z`));
  doc.setModificationDate(new Date(`${spec.periodEnd}T00:00:00Z`));
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const total = Math.max(3, spec.pages);

  const cover = doc.addPage([612, 792]);
  cover.drawRectangle({ x: 0, y: 560, width: 612, height: 232, color: rgb(0.11, 0.2, 0.36) });
  cover.drawText(spec.company, { x: 56, y: 720, size: 16, font: bold, color: rgb(1, 1, 1) });
  drawWrapped(cover, spec.title, { x: 56, y: 660, size: 26, font: bold, width: 500, color: rgb(1, 1, 1) });
  cover.drawText(spec.series, { x: 56, y: 500, size: 18, font: regular });
  cover.drawText(`Reporting period: ${spec.periodStart} to ${spec.periodEnd}`, {
    x: 56,
    y: 470,
    size: 12,
    font: regular,
  });
  cover.drawText('CONFIDENTIAL — for use by customers under the terms of access', {
    x: 56,
    y: 120,
    size: 10,
    font: bold,
  });

  const contents = doc.addPage([612, 792]);
  contents.drawText('Contents', { x: 56, y: 720, size: 20, font: bold });
  const bodyPages = total - 2;
  sections.forEach((section, i) => {
    const page = 3 + Math.floor((i * bodyPages) / sections.length);
    contents.drawText(`${i + 1}. ${section}`, { x: 56, y: 680 - i * 22, size: 12, font: regular });
    contents.drawText(String(page), { x: 520, y: 680 - i * 22, size: 12, font: regular });
  });

  for (let n = 0; n < bodyPages; n++) {
    const page = doc.addPage([612, 792]);
    const section = sections[Math.floor((n * sections.length) / bodyPages)] ?? sections[0];
    page.drawText(`${spec.company} — ${spec.series}`, { x: 56, y: 760, size: 8, font: regular });
    page.drawText(String(section), { x: 56, y: 720, size: 15, font: bold });
    let y = 690;
    for (let paragraph = 0; paragraph < 5 && y > 120; paragraph++) {
      const text = Array.from({ length: 4 }, (_, k) => sentences[(n * 7 + paragraph * 3 + k) % sentences.length]).join(
        ' ',
      );
      y = drawWrapped(page, text, { x: 56, y, size: 10.5, font: regular, width: 500 }) - 14;
    }
    page.drawText(`Page ${n + 3} of ${total}`, { x: 270, y: 40, size: 8, font: regular });
  }
  return doc.save();
}

function drawWrapped(
  page: PDFPage,
  text: string,
  options: { x: number; y: number; size: number; font: PDFFont; width: number; color?: ReturnType<typeof rgb> },
): number {
  const words = text.split(/\s+/);
  let line = '';
  let y = options.y;
  const flush = () => {
    page.drawText(line, {
      x: options.x,
      y,
      size: options.size,
      font: options.font,
      ...(options.color ? { color: options.color } : {}),
    });
    y -= options.size * 1.45;
    line = '';
  };
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    if (options.font.widthOfTextAtSize(candidate, options.size) > options.width && line) {
      flush();
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) flush();
  return y;
}
