import { createHmac } from 'node:crypto';
import { expect, test } from 'vitest';
import { defaultLimits } from '../limits.ts';
import { AppRegistry } from '../store/apps.ts';
import { type TokenRequest, verifyTokenRequest } from './tokens.ts';

function signed(keyName: string, secret: string, timestamp: number, nonce: string): TokenRequest {
  const tr = { keyName, ttl: '', capability: '', clientId: '', timestamp, nonce };
  const text = `${[tr.keyName, tr.ttl, tr.capability, tr.clientId, tr.timestamp, tr.nonce].join('\n')}\n`;
  return { keyName, timestamp, nonce, mac: createHmac('sha256', secret).update(text).digest('base64') };
}

test('RSA9 a signed TokenRequest is single-use: replaying its nonce within the window is 40105', () => {
  const apps = new AppRegistry(defaultLimits);
  apps.createApp('a').addKey('k', 'secret');
  const now = 1_000_000_000;
  const tr = signed('a.k', 'secret', now, 'nonce-1');
  expect(verifyTokenRequest(apps, 'a.k', tr, defaultLimits, now).token).toEqual(expect.any(String));
  expect(() => verifyTokenRequest(apps, 'a.k', { ...tr }, defaultLimits, now + 1000)).toThrow(
    expect.objectContaining({ code: 40105, statusCode: 401 }),
  );
  // another nonce is fine, and the remembered nonces do not grow past the window
  expect(
    verifyTokenRequest(apps, 'a.k', signed('a.k', 'secret', now, 'nonce-2'), defaultLimits, now + 1000).token,
  ).toEqual(expect.any(String));
  const later = now + 3 * defaultLimits.tokenRequestMaxAge;
  for (let i = 0; i < 10; i++)
    verifyTokenRequest(apps, 'a.k', signed('a.k', 'secret', later, `late-${i}`), defaultLimits, later);
  expect(apps.key('a.k').usedNonces?.size).toBe(10);
});
