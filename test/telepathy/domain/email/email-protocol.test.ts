import { describe, expect, it } from 'vitest';
import { CM_BUS_NAME, CM_PATH, Iface } from '#telepathy/domain/names/names.js';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { errorOf, tv } from '#test/telepathy/support/harness.js';
import { meParameters, startEmailHarness } from './email-harness.js';

const EMAIL_PATH = `${CM_PATH}/email`;

describe('the email protocol', () => {
  it('is listed beside echo, with every parameter, its flags and defaults', async () => {
    const { client } = await startEmailHarness();
    expect(await client.call(CM_BUS_NAME, CM_PATH, Iface.ConnectionManager, 'ListProtocols')).toEqual([['echo', 'email']]);
    const [params] = (await client.call(CM_BUS_NAME, CM_PATH, Iface.ConnectionManager, 'GetParameters', ['email'])) as [unknown[][]];
    expect(params.map(([name, flags, sig, def]) => [name, flags, sig, (def as { value: unknown }).value])).toEqual([
      ['account', 1, 's', ''],
      ['password', 1 | 8, 's', ''],
      ['imap-server', 0, 's', ''],
      ['imap-port', 4, 'q', 993],
      ['smtp-server', 0, 's', ''],
      ['smtp-port', 4, 'q', 587],
      ['require-encryption', 4, 'b', true],
      ['imap-user', 0, 's', ''],
      ['smtp-user', 0, 's', ''],
    ]);
    const props = await client.getAll(CM_BUS_NAME, EMAIL_PATH, Iface.Protocol);
    expect(props['Parameters']?.value).toEqual(params);
    expect(props['VCardField']?.value).toBe('email');
  });

  it('normalises contacts and accounts so Alice@Example.COM is alice@example.com', async () => {
    const { client } = await startEmailHarness();
    const call = (member: string, args: unknown[]) => client.call(CM_BUS_NAME, EMAIL_PATH, Iface.Protocol, member, args);
    expect(await call('NormalizeContact', ['  Alice@Example.COM '])).toEqual(['alice@example.com']);
    expect(await call('NormalizeContact', ['mailto:<Bob@Example.org>'])).toEqual(['bob@example.org']);
    expect(await errorOf(call('NormalizeContact', ['not an address']))).toBe(ErrorNames.InvalidHandle);
    expect(await call('IdentifyAccount', [{ account: tv('s', 'Me@Cave.TEST'), password: tv('s', 'x') }])).toEqual(['me@cave.test']);
    expect(await errorOf(call('IdentifyAccount', [{ account: tv('s', 'me') }]))).toBe(ErrorNames.InvalidArgument);
  });

  it('refuses bad parameters with InvalidArgument, never echoing the password', async () => {
    const { client } = await startEmailHarness();
    const request = async (parameters: Record<string, unknown>) => {
      try {
        await client.call(CM_BUS_NAME, CM_PATH, Iface.ConnectionManager, 'RequestConnection', ['email', parameters]);
      } catch (error) {
        return error as Error & { dbusName: string };
      }
      throw new Error('expected a refusal');
    };
    const cases = [
      { account: tv('s', 'me@cave.test') },
      { ...meParameters('hunter2-Secret'), 'imap-port': tv('s', '993') },
      { ...meParameters('hunter2-Secret'), 'imap-port': tv('q', 0) },
      { ...meParameters('hunter2-Secret'), 'require-encryption': tv('b', false) },
      { ...meParameters('hunter2-Secret'), colour: tv('s', 'blue') },
    ];
    for (const parameters of cases) {
      const error = await request(parameters);
      expect(error.dbusName).toBe(ErrorNames.InvalidArgument);
      expect(error.message).not.toContain('hunter2');
    }
  });
});
