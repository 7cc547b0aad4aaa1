import type { Logger, LogLevel } from '@evidence-portal/core';

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One JSON object per line on stdout (CloudWatch and `npm start` alike). */
export function createJsonLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  base: Record<string, unknown> = {},
): Logger {
  return {
    log(messageLevel, message, fields) {
      if (order[messageLevel] < order[level]) return;
      write(JSON.stringify({ time: new Date().toISOString(), level: messageLevel, msg: message, ...base, ...fields }));
    },
    child(fields) {
      return createJsonLogger(level, write, { ...base, ...fields });
    },
  };
}

/** For tests that want silence but still exercise logging paths. */
export const silentLogger: Logger = {
  log() {},
  child() {
    return silentLogger;
  },
};
