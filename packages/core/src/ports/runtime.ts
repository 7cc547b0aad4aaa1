/** Time, injectable so expiry and point-in-time rules are testable. */
export interface Clock {
  now(): Date;
}

/** Unique, roughly time-ordered ids. */
export interface IdGenerator {
  newId(): string;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured logging; never pass tokens, passwords or key material. */
export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}
