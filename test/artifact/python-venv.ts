import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const repoRoot = join(import.meta.dirname, '..', '..');
/** Cached across runs (node_modules is git-ignored and rebuilt by `npm ci`, which drops a stale venv too). */
export const venvDir = join(repoRoot, 'node_modules', '.cache', 'artifact-boto3-venv');
export const venvPython = join(venvDir, 'bin', 'python');

const missingVenv =
  'The Artifact API suite needs Python 3 with venv: install it with `sudo apt-get install -y python3-venv` ' +
  '(CI: .ci/run does). It never skips.';

/**
 * A virtual environment with boto3, created once: `python3 -m venv`, then pip from the machine's
 * package index with no retries (these machines cannot reach PyPI itself; without the flags pip
 * retries for minutes). Throws, naming the apt line, when Python or venv is missing.
 */
export function ensureBoto3Venv(): string {
  const ready = () =>
    existsSync(venvPython) && spawnSync(venvPython, ['-c', 'import boto3'], { stdio: 'ignore' }).status === 0;
  if (ready()) return venvPython;
  const python = spawnSync('python3', ['-c', 'import venv, ensurepip'], { stdio: 'ignore' });
  if (python.error || python.status !== 0) throw new Error(missingVenv);
  mkdirSync(join(venvDir, '..'), { recursive: true });
  const made = spawnSync('python3', ['-m', 'venv', '--clear', venvDir], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`${missingVenv}\n${made.stderr}`);
  try {
    execFileSync(venvPython, ['-m', 'pip', 'install', '--quiet', '--retries', '0', '--timeout', '5', 'boto3'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    throw new Error(`pip could not install boto3 into ${venvDir}: ${(error as { stderr?: string }).stderr ?? error}`);
  }
  if (!ready()) throw new Error(`boto3 does not import in ${venvDir}`);
  return venvPython;
}
