import { Errors } from '../errors.ts';
import type { ServerLimits } from '../limits.ts';

/**
 * The one channel-name check, for REST, realtime and the lab hooks. Refused with 40010 (ably-common
 * errors/codes/40010.md; naming rules at https://ably.com/docs/channels): not a string, empty,
 * longer than `maxChannelNameLength`, containing control characters (newlines included), starting
 * with `:`, or starting with `[` (a qualifier such as `[meta]` or `[?params]`: not supported here).
 */
export function validChannelName(name: unknown, limits: Pick<ServerLimits, 'maxChannelNameLength'>): string {
  if (typeof name !== 'string') throw Errors.invalidChannelName('Invalid channel name: not a string');
  if (name === '') throw Errors.invalidChannelName('Invalid channel name: empty');
  if (name.length > limits.maxChannelNameLength)
    throw Errors.invalidChannelName(`Invalid channel name: longer than ${limits.maxChannelNameLength} characters`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this rejects
  if (/[\u0000-\u001f\u007f]/.test(name))
    throw Errors.invalidChannelName('Invalid channel name: contains control characters');
  if (name.startsWith(':'))
    throw Errors.invalidChannelName(`Invalid channel name: ${JSON.stringify(name.slice(0, 64))} starts with ":"`);
  if (name.startsWith('['))
    throw Errors.invalidChannelName(
      `Invalid channel name: qualifier in ${JSON.stringify(name.slice(0, 64))} not supported by the lab server`,
    );
  return name;
}
