/**
 * The code samples under docs/examples/ run here, so a sample that stops working fails CI.
 * (The shell and Python samples run from the documents' console blocks: test/docs/docs.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoConversation } from '../../docs/examples/telepathy/echo-client.js';
import { echoOnMemoryBus } from '../../docs/examples/telepathy/echo-on-memory-bus.js';
import { checkReplyBeforeNewChannels } from '../../docs/examples/telepathy/signal-order-property.js';
import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { CM_BUS_NAME } from '#telepathy/domain/names/names.js';
import { bins, childEnv } from '../support/child-env.js';

describe('docs/examples/telepathy/echo-on-memory-bus.ts', () => {
  it('shows the reply to CreateChannel before NewChannels, and the echo after the reply to SendMessage', async () => {
    expect(await echoOnMemoryBus()).toEqual([
      '  name-owner',
      'call RequestConnection',
      '  name-owner',
      '  signal NewConnection',
      '  reply',
      'call Connect',
      '  signal StatusChanged',
      '  signal StatusChanged',
      '  signal PresencesChanged',
      '  signal ContactListStateChanged',
      '  signal ContactListStateChanged',
      '  reply',
      'call CreateChannel',
      '  reply',
      '  signal NewChannels',
      '  signal NewChannel',
      'call SendMessage',
      '  reply',
      '  signal MessageSent',
      '  signal Sent',
      '  signal MessageReceived',
      '  signal Received',
    ]);
  });
});

describe('docs/examples/telepathy/signal-order-property.ts', () => {
  it('holds on a hundred random request sequences', async () => {
    await checkReplyBeforeNewChannels(100);
  });
});

describe('docs/examples/telepathy/echo-client.ts', () => {
  let bus: PrivateBus;
  beforeAll(async () => {
    bus = await startPrivateBus({ env: childEnv() });
    // Short idle exit: the activated daemon leaves (and writes its coverage) once the client is done.
    await bus.addService(CM_BUS_NAME, `${process.execPath} ${bins.telepathyCave} --idle-exit 1`);
  });
  afterAll(() => bus.stop());

  it('activates telepathy-cave over dbus-next and gets the echo', async () => {
    expect(await echoConversation(bus.address, 'Hello from dbus-next')).toEqual([
      'connection /org/freedesktop/Telepathy/Connection/cave/echo/me_40example_2ecom',
      'channel /org/freedesktop/Telepathy/Connection/cave/echo/me_40example_2ecom/TextChannel1',
      'sent "Hello from dbus-next" (token 1)',
      'received "Hello from dbus-next" from alice@example.com',
      'disconnected',
    ]);
  });
});
