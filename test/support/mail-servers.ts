import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  dovecotConfig, dovecotDir, dovecotUsers, greetingOf, mailUid, postfixConfigDir, postfixMailboxes, postfixMain, postfixMaster,
  type MailServerLayout, type MailUser,
} from './mail-server-configs.js';

export { BOUNCING_ADDRESS, type MailUser } from './mail-server-configs.js';

const run = promisify(execFile);

/** A private Dovecot (IMAP) and Postfix (SMTP) on loopback ports, from a temporary folder. */
export interface MailServers {
  /** The address to connect to (Dovecot treats it as secure, so it allows plain login). */
  readonly host: string;
  /** Another loopback address with the same ports, where Dovecot insists on TLS before login. */
  readonly strictHost: string;
  /** imap: STARTTLS; imaps: implicit TLS; submission: STARTTLS required; smtps: implicit TLS. */
  readonly ports: MailServerLayout['ports'];
  /** The test CA's certificate: the servers' certificates (for `localhost`, 127.0.0.1, 127.0.0.2) chain to it. */
  readonly caPem: string;
  /** The mailboxes on `cave.test`, with their passwords. */
  readonly users: { readonly me: MailUser; readonly alice: MailUser; readonly bob: MailUser };
  /** Scratch folder of configuration, logs and mail store; removed by `stop()`. */
  readonly dir: string;
  /** Stop Dovecot alone (every IMAP connection drops) and start it again, mail store kept: a network drop. */
  readonly imap: { stop(): Promise<void>; start(): Promise<void> };
  /** Stop both servers, wait until their ports are closed, and remove the folder. */
  stop(): Promise<void>;
}

/** Test mailboxes; the passwords are distinctive so tests can look for them in logs and errors. */
const testUsers = {
  me: { address: 'me@cave.test', password: 'me-Secret-7d1f' },
  alice: { address: 'alice@cave.test', password: 'alice-Secret-93ab' },
  bob: { address: 'bob@cave.test', password: 'bob-Secret-5c20' },
} as const;

/** A free TCP port on 127.0.0.1 (the kernel's choice; closed again before use). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Make an ECDSA P-256 test CA and a server certificate it signs; returns the CA's PEM. */
async function makeCertificates(tls: string): Promise<string> {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await run('openssl', ['req', '-x509', ...ec, '-keyout', `${tls}/ca.key`, '-out', `${tls}/ca.pem`,
    '-days', '2', '-subj', '/CN=cave test CA']);
  await run('openssl', ['req', '-new', ...ec, '-keyout', `${tls}/server.key`, '-out', `${tls}/server.csr`, '-subj', '/CN=localhost']);
  await writeFile(`${tls}/server.ext`, 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:127.0.0.2\n'
    + 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n');
  await run('openssl', ['x509', '-req', '-in', `${tls}/server.csr`, '-CA', `${tls}/ca.pem`, '-CAkey', `${tls}/ca.key`,
    '-CAcreateserial', '-days', '2', '-out', `${tls}/server.pem`, '-extfile', `${tls}/server.ext`]);
  return readFile(`${tls}/ca.pem`, 'utf8');
}

/** Write a file Postfix will read, dated in the past: it ignores files changed within the last second. */
async function writeBackdated(path: string, text: string): Promise<void> {
  await writeFile(path, text);
  const past = new Date(Date.now() - 60_000);
  await utimes(path, past, past);
}

async function writeConfigs(l: MailServerLayout, users: readonly MailUser[]): Promise<void> {
  const dovecotGid = Number((await run('id', ['-g', 'dovecot'])).stdout.trim());
  await mkdir(`${dovecotDir(l)}/run`, { recursive: true });
  await mkdir(`${dovecotDir(l)}/state`, { recursive: true });
  await writeFile(l.usersFile, dovecotUsers(l, users), { mode: 0o640 });
  await chown(l.usersFile, 0, dovecotGid);
  await writeFile(`${dovecotDir(l)}/dovecot.conf`, dovecotConfig(l));
  for (const u of users) {
    await mkdir(`${l.dir}/mail/${u.address}`, { recursive: true });
    await chown(`${l.dir}/mail/${u.address}`, mailUid, mailUid);
  }
  await mkdir(postfixConfigDir(l), { recursive: true });
  await writeBackdated(`${postfixConfigDir(l)}/main.cf`, postfixMain(l));
  await writeBackdated(`${postfixConfigDir(l)}/master.cf`, postfixMaster(l));
  await writeBackdated(`${postfixConfigDir(l)}/vmailbox`, postfixMailboxes(users));
}

/** Resolve once something accepts TCP connections on `host:port`, or fail after `ms`. */
async function waitForPort(host: string, port: number, ms: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mail server exited with ${child.exitCode} before listening on ${port}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, host, () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A free port is only free when it is chosen: another test's servers, started at the same time,
 * may take it first, and then answer here. Thrown when a port is not ours; the servers start again
 * on other ports.
 */
class PortTakenError extends Error {}

/** The first line a server sends on a plain connection to `host:port` (empty when it closes first). */
function firstLine(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const socket = connect(port, host);
    const done = () => (socket.destroy(), resolve(text.split('\n')[0]!));
    socket.setTimeout(5000, done);
    socket.on('data', (chunk) => ((text += chunk.toString('latin1')), text.includes('\n') && done()));
    socket.once('error', done).once('close', done);
  });
}

/** Whether a TLS server on `host:port` shows a certificate of this run's own CA (no other server can). */
function provesOurs(host: string, port: number, caPem: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTls({ host, port, ca: caPem, servername: 'localhost' }, () => (socket.destroy(), resolve(true)));
    socket.setTimeout(5000, () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

/** Throws PortTakenError unless the plain port greets as this layout's servers and the TLS one proves our certificate. */
async function checkOurs(l: MailServerLayout, plain: number, tls: number, caPem: string): Promise<void> {
  const [line, ours] = await Promise.all([firstLine('127.0.0.1', plain), provesOurs('127.0.0.1', tls, caPem)]);
  if (!line.includes(greetingOf(l)) || !ours) throw new PortTakenError(`port ${plain} or ${tls} answered as another server (${JSON.stringify(line)})`);
}

/** Resolve once nothing accepts connections on `host:port` (PID 1 reaps dead children slowly here). */
async function waitForClosed(host: string, port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, host, () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (!open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function layout(): Promise<MailServerLayout> {
  const dir = await mkdtemp(join(tmpdir(), 'cave-mail-'));
  await chmod(dir, 0o755);
  await mkdir(`${dir}/tls`);
  const [imap, imaps, submission, smtps] = [await freePort(), await freePort(), await freePort(), await freePort()];
  return {
    dir, certFile: `${dir}/tls/server.pem`, keyFile: `${dir}/tls/server.key`, usersFile: `${dir}/users`,
    addresses: ['127.0.0.1', '127.0.0.2'], ports: { imap: imap!, imaps: imaps!, submission: submission!, smtps: smtps! },
  };
}

/** Whatever the servers logged, to explain a failed start. */
async function logs(l: MailServerLayout): Promise<string> {
  const read = (f: string) => readFile(f, 'utf8').catch(() => '');
  return `${await read(`${dovecotDir(l)}/dovecot.log`)}\n${await read(`${l.dir}/postfix/maillog`)}`.trim();
}

/**
 * Start Dovecot and Postfix from a fresh temporary configuration and mail store (needs root, as
 * both servers drop privileges to their own users). Stop them with `stop()`. Ports another test's
 * servers took in the meantime are given up for others, up to three times.
 */
export async function startMailServers(): Promise<MailServers> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce();
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt === 3) throw error;
    }
  }
}

async function startOnce(): Promise<MailServers> {
  const l = await layout();
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await stopChild(child);
    for (const port of Object.values(l.ports)) await waitForClosed('127.0.0.1', port, 5000);
    await rm(l.dir, { recursive: true, force: true });
  };
  try {
    const caPem = await makeCertificates(`${l.dir}/tls`);
    await writeConfigs(l, Object.values(testUsers));
    const startDovecot = async () => {
      const dovecot = spawn('dovecot', ['-F', '-c', `${dovecotDir(l)}/dovecot.conf`], { stdio: 'ignore' });
      children.unshift(dovecot); // stopped last, after Postfix, as before
      await waitForPort('127.0.0.1', l.ports.imaps, 10_000, dovecot);
      await checkOurs(l, l.ports.imap, l.ports.imaps, caPem);
    };
    const stopDovecot = async () => {
      const dovecot = children.find((c) => c.spawnfile === 'dovecot' && c.exitCode === null && c.signalCode === null);
      if (dovecot) await stopChild(dovecot);
      for (const port of [l.ports.imap, l.ports.imaps]) await waitForClosed('127.0.0.1', port, 5000);
    };
    await startDovecot();
    await mkdir(`${l.dir}/postfix/queue`, { recursive: true });
    await run('postfix', ['-c', postfixConfigDir(l), 'check']); // creates the queue's folders, owned right
    // Its master itself, as our child: `postfix start-fg` would leave it running when killed.
    const daemons = (await run('postconf', ['-c', postfixConfigDir(l), '-h', 'daemon_directory'])).stdout.trim();
    const postfix = spawn(`${daemons}/master`, ['-s', '-c', postfixConfigDir(l)], { stdio: 'ignore' });
    children.push(postfix);
    await waitForPort('127.0.0.1', l.ports.submission, 10_000, postfix);
    await checkOurs(l, l.ports.submission, l.ports.smtps, caPem);
    const imap = { stop: stopDovecot, start: startDovecot };
    return { host: '127.0.0.1', strictHost: '127.0.0.2', ports: l.ports, caPem, users: testUsers, dir: l.dir, imap, stop };
  } catch (error) {
    const why = await logs(l);
    await stop();
    if (error instanceof PortTakenError) throw error;
    throw new Error(`mail servers did not start: ${(error as Error).message}\n${why}`);
  }
}
