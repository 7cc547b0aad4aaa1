import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../packages/local-stack/src/local-stack.js';

/** One loopback stack (in memory) for the whole test run; stopped at the end, on every path. */
export default async function setup(project: TestProject) {
  const stack = await startLocalStack();
  project.provide('localStack', stack.info);
  return async () => {
    await stack.stop();
  };
}
