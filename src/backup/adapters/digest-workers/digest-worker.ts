/**
 * A digest worker thread's program (digest-workers.ts starts it): each message is a batch of
 * requests, answered with one message of replies in the same order.
 */
import { parentPort } from 'node:worker_threads';
import { digestRequest, type DigestRequest } from './digest-file.js';

parentPort?.on('message', (batch: DigestRequest[]) => {
  parentPort!.postMessage(batch.map(digestRequest));
});
