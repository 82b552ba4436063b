/** Debian's Chromium and the flags every headless run here uses (browser tests, the first-load benchmark). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Chromium looks up Google's hosts at start even with background networking off: keep it entirely on this machine. */
export const HOST_RESOLVER_RULES = '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-dev-shm-usage',
  HOST_RESOLVER_RULES,
];
