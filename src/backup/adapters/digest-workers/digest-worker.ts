/**
 * A digest worker thread's program (digest-workers.ts starts it): each message is a batch of
 * files (digest-batch.ts), answered with one message of replies in the same order.
 */
import { parentPort } from 'node:worker_threads';
import type { DigestBatch } from './digest-batch.js';
import { digestBatch } from './digest-file.js';

parentPort?.on('message', (batch: DigestBatch) => {
  parentPort!.postMessage(digestBatch(batch));
});
