import { SingleBar } from 'cli-progress';
import type { CliIo } from '../cli-program.js';

/** A byte progress bar on the terminal (cli-progress); nothing when the CLI is not on a TTY. */
export function progressBar(
  io: CliIo,
  label: string,
): { update(done: number, total: number): void; stop(): void } | undefined {
  const stream = io.progressStream;
  if (!stream) return undefined;
  const bar = new SingleBar({
    stream,
    format: `${label} [{bar}] {percentage}% | {value}/{total} MiB`,
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  const mib = (bytes: number) => Math.round((bytes / (1 << 20)) * 10) / 10;
  return {
    update(done, total) {
      if (!started) {
        bar.start(mib(total), 0);
        started = true;
      }
      bar.update(mib(done));
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
