import { describe, expect, test } from 'vitest';
import { allows, capabilityText, intersect, parseCapability } from './capability.ts';

describe('capabilities (RSA4, TK2)', () => {
  test('a token gets the intersection of the key and the requested capability, not a refusal', () => {
    const key = parseCapability('{"chat:*":["*"],"news":["subscribe","history"]}');
    expect(capabilityText(intersect(key, parseCapability('{"*":["subscribe"]}')))).toBe(
      '{"chat:*":["subscribe"],"news":["subscribe"]}',
    );
    expect(
      capabilityText(
        intersect(key, parseCapability('{"chat:room1":["publish","presence"],"news":["publish","history"]}')),
      ),
    ).toBe('{"chat:room1":["presence","publish"],"news":["history"]}');
    expect(capabilityText(intersect(parseCapability('{"*":["*"]}'), parseCapability('{"a":["publish"]}')))).toBe(
      '{"a":["publish"]}',
    );
  });

  test('an empty intersection is 40160', () => {
    expect(() => intersect(parseCapability('{"chat:*":["publish"]}'), parseCapability('{"news":["publish"]}'))).toThrow(
      expect.objectContaining({ code: 40160 }),
    );
  });

  test('malformed capabilities are 400s: unknown operation, "*" with others, no operations', () => {
    for (const c of [
      '{"x":["publish_"]}',
      '{"x":["*","publish"]}',
      '{"channel0":[]}',
      '{"x":"publish"}',
      '[]',
      'nope',
    ]) {
      expect(() => parseCapability(c), c).toThrow(expect.objectContaining({ statusCode: 400 }));
    }
  });

  test('"[*]*" matches every channel, qualified names included; "*" does not match qualified names', () => {
    const c = parseCapability('{"[*]*":["subscribe"]}');
    expect(allows(c, 'plain', 'subscribe')).toBe(true);
    expect(allows(c, '[filter=name==`x`]chan', 'subscribe')).toBe(true);
    expect(allows(parseCapability('{"*":["subscribe"]}'), '[meta]log', 'subscribe')).toBe(false);
  });
});
