import { describe, expect, it } from 'vitest';
import { CM_BUS_NAME, CM_PATH, Iface } from '#telepathy/domain/names/names.js';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { errorOf } from '#test/telepathy/support/harness.js';
import { startEmailHarness } from './email-harness.js';

const EMAIL_PATH = `${CM_PATH}/email`;

describe('the email protocol\'s Protocol.Interface.Addressing', () => {
  it('says contacts are addressed by the vCard email field and mailto: URIs', async () => {
    const { client } = await startEmailHarness();
    const protocol = await client.getAll(CM_BUS_NAME, EMAIL_PATH, Iface.Protocol);
    expect(protocol['Interfaces']?.value).toEqual([Iface.ProtocolAddressing]);
    const addressing = await client.getAll(CM_BUS_NAME, EMAIL_PATH, Iface.ProtocolAddressing);
    expect(addressing).toEqual({
      AddressableVCardFields: { signature: 'as', value: ['email'] },
      AddressableURISchemes: { signature: 'as', value: ['mailto'] },
    });
    // The manager's Protocols map carries them too: clients such as telepathy-glib read them there.
    const manager = await client.getAll(CM_BUS_NAME, CM_PATH, Iface.ConnectionManager);
    const email = (manager['Protocols']!.value as Record<string, Record<string, unknown>>)['email']!;
    expect(email[`${Iface.ProtocolAddressing}.AddressableVCardFields`]).toEqual({ signature: 'as', value: ['email'] });
    expect(email[`${Iface.ProtocolAddressing}.AddressableURISchemes`]).toEqual({ signature: 'as', value: ['mailto'] });
  });

  it('normalises an address book\'s EMAIL field to the contact id clients compare', async () => {
    const { client } = await startEmailHarness();
    const normalize = (field: string, address: string) =>
      client.call(CM_BUS_NAME, EMAIL_PATH, Iface.ProtocolAddressing, 'NormalizeVCardAddress', [field, address]);
    expect(await normalize('email', ' Alice@Example.COM ')).toEqual(['alice@example.com']);
    expect(await normalize('EMAIL', '<Bob@Example.org>')).toEqual(['bob@example.org']);
    expect(await errorOf(normalize('tel', '+1 206 555 1234'))).toBe(ErrorNames.NotImplemented);
    expect(await errorOf(normalize('email', 'not an address'))).toBe(ErrorNames.InvalidArgument);
  });

  it('normalises a mailto: URI to the contact alone, dropping headers such as ?subject=', async () => {
    const { client } = await startEmailHarness();
    const normalize = (uri: string) => client.call(CM_BUS_NAME, EMAIL_PATH, Iface.ProtocolAddressing, 'NormalizeContactURI', [uri]);
    expect(await normalize('mailto:Alice@Example.COM?subject=Lunch&body=Hi')).toEqual(['mailto:alice@example.com']);
    expect(await normalize('MAILTO:bob%40Example.org')).toEqual(['mailto:bob@example.org']);
    expect(await normalize('mailto:?to=Carol@Example.net&subject=x')).toEqual(['mailto:carol@example.net']);
    expect(await errorOf(normalize('xmpp:alice@example.com'))).toBe(ErrorNames.NotImplemented);
    expect(await errorOf(normalize('alice@example.com'))).toBe(ErrorNames.NotImplemented);
    for (const notOneContact of ['mailto:', 'mailto:a@example.com,b@example.com', 'mailto:%zz@example.com']) {
      expect(await errorOf(normalize(notOneContact)), notOneContact).toBe(ErrorNames.InvalidArgument);
    }
  });
});
