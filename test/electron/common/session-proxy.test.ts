import { describe, expect, it } from 'vitest';
import { siteProxy } from '../../../core/net/proxy-config.ts';
import { partitionProxy } from '../../../electron/common/session-proxy.ts';

describe("a desktop login partition's proxy", () => {
  it("follows the system's settings unless the site's profile names its own", () => {
    expect(partitionProxy(siteProxy({}))).toEqual({ mode: 'system' });
    expect(partitionProxy(siteProxy({ proxy: null }))).toEqual({ mode: 'system' });
    expect(partitionProxy(siteProxy({ proxy: 'direct' }))).toEqual({ mode: 'direct' });
    expect(partitionProxy(siteProxy({ proxy: 'http://proxy.corp.example:3128' }))).toEqual({
      mode: 'fixed_servers',
      proxyRules: 'http://proxy.corp.example:3128',
      proxyBypassRules: '<-loopback>;localhost;127.0.0.0/8;[::1]',
    });
  });
});
