/**
 * The project's local S3 (s3rver, `startS3Local`) in a process of its own, so a benchmark's RSS and
 * event loop are its own: prints `{"endpoint": ...}` once listening and stops on SIGTERM.
 */
import { startS3Local } from '@evidence-portal/local-stack';

const s3 = await startS3Local();
process.stdout.write(`${JSON.stringify({ endpoint: s3.endpoint })}\n`);
process.on('SIGTERM', () => {
  void s3.stop().finally(() => process.exit(0));
});
