import type { TypedValue } from '#telepathy/domain/bus/bus.port.js';
import { tv } from './harness.js';

/** A message with an HTML part and its plain-text alternative, most faithful first as the spec orders them. */
export function htmlAndText(html: string, text: string): Record<string, TypedValue>[] {
  return [{}, { 'content-type': tv('s', 'text/html'), alternative: tv('s', 'body'), content: tv('s', html) },
    { 'content-type': tv('s', 'text/plain'), alternative: tv('s', 'body'), content: tv('s', text) }];
}
