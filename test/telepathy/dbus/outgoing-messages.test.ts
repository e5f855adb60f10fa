import { Writable } from 'node:stream';
import dbus from 'dbus-next';
import { describe, expect, it } from 'vitest';
import { OutgoingMessages } from '#telepathy/adapters/dbus-next/outgoing-messages.js';
import type { Message, MessageBus } from '#telepathy/adapters/dbus-next/dbus-next-internals.js';

const { MessageType } = dbus;

/** A bus whose socket records each write: how many messages each write carried. */
function recordingBus(): { bus: MessageBus; writes: string[][] } {
  const writes: string[][] = [];
  const stream = new Writable({
    writev(chunks, done) {
      writes.push(chunks.map(({ chunk }) => (Buffer.isBuffer(chunk) ? chunk.toString('latin1') : String(chunk))));
      done();
    },
    write(chunk, _encoding, done) {
      writes.push([Buffer.isBuffer(chunk) ? chunk.toString('latin1') : String(chunk)]);
      done();
    },
  });
  let serial = 41;
  const bus = { _connection: { stream }, send: (m: Message) => stream.write(m.member ?? 'reply'), newSerial: () => ++serial };
  return { bus: bus as unknown as MessageBus, writes };
}

const reply = { type: MessageType.METHOD_RETURN, destination: ':1.1', replySerial: 7 } as unknown as Message;
const signal = (member: string) => ({ type: MessageType.SIGNAL, member }) as unknown as Message;
const settled = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('outgoing messages', () => {
  it("write a reply, its after-signals and what the next setImmediate sends (a zero-delay echo) in one write", async () => {
    const { bus, writes } = recordingBus();
    new OutgoingMessages(bus, (s) => bus.send(signal(s.member)), () => {});
    setImmediate(() => bus.send(signal('MessageReceived')));
    bus.send(reply);
    bus.send(signal('MessageSent'));
    await settled();
    expect(writes).toEqual([['reply', 'MessageSent', 'MessageReceived']]);
  });

  it('send what a setImmediate sends first on the next turn, in order', async () => {
    const { bus, writes } = recordingBus();
    new OutgoingMessages(bus, () => {}, () => {});
    setImmediate(() => {
      bus.send(signal('First'));
      setImmediate(() => bus.send(signal('Second')));
    });
    await settled();
    expect(writes.flat()).toEqual(['First', 'Second']);
  });

  it("send a domain signal's own bytes, with the bus's next serial, in order with the rest; dbus-next's message where they cannot be made", async () => {
    const { bus, writes } = recordingBus();
    const outgoing = new OutgoingMessages(bus, () => {}, () => {});
    bus.send(reply);
    outgoing.sendSignal({ path: '/a', interface: 'org.example.I', member: 'Fast', signature: 'u', args: [7] }, () => signal('Slow'));
    outgoing.sendSignal({ path: '/a', interface: 'org.example.I', member: 'Fast', signature: 'u', args: ['seven'] }, () => signal('Slow'));
    await settled();
    expect(writes).toHaveLength(1);
    const [first, fast, slow] = writes[0] ?? [];
    expect([first, slow]).toEqual(['reply', 'Slow']);
    const bytes = Buffer.from(fast ?? '', 'latin1');
    expect([bytes[1], bytes.readUInt32LE(8), bytes.readUInt32LE(bytes.length - 4)]).toEqual([4, 42, 7]);
  });
});
