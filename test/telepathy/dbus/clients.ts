import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseIntrospectionXml } from '#telepathy/adapters/dbus-next/interface-definitions.js';

const run = promisify(execFile);
const here = new URL('.', import.meta.url).pathname;
/** Debian's own python3: python3-gi and TelepathyGLib live there, not in another python. */
export const systemPython = '/usr/bin/python3';

export interface PythonReply {
  caller: string;
  reply?: string;
  error?: string;
  message?: string;
}

/**
 * One call from a separate GDBus client process (python3-gi), with exactly the signature given;
 * `args` is the argument tuple in GVariant text, e.g. `(<42>,)`.
 */
export async function pythonCall(address: string, dest: string, path: string, iface: string, member: string, signature = '', args = '()'): Promise<PythonReply> {
  const { stdout } = await run(systemPython, [`${here}dbus_call.py`, address, dest, path, iface, member, signature, args]);
  return JSON.parse(stdout) as PythonReply;
}

/** One call with gdbus (GLib's client); resolves to its text output, or rejects with its error. */
export async function gdbusCall(address: string, dest: string, path: string, method: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('gdbus', ['call', '--address', address, '--dest', dest, '--object-path', path, '--method', method, ...args]);
  return stdout.trim();
}

/** The error gdbus reports for a call, e.g. `GDBus.Error:org.freedesktop.DBus.Error.InvalidArgs: …`. */
export async function gdbusError(address: string, dest: string, path: string, method: string, ...args: string[]): Promise<string> {
  try {
    const out = await gdbusCall(address, dest, path, method, ...args);
    return `no error: ${out}`;
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error);
  }
}

/** What an object says about itself to a GLib client. */
export async function gdbusIntrospect(address: string, dest: string, path: string) {
  const { stdout } = await run('gdbus', ['introspect', '--xml', '--address', address, '--dest', dest, '--object-path', path]);
  return { xml: stdout, interfaces: parseIntrospectionXml(stdout) };
}
