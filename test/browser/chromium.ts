/**
 * Debian's chromium for the browser tests (driven by playwright-core; no browser is downloaded). The flags keep it
 * headless, as root, and off the network: without the background-networking ones it keeps trying hosts this closed
 * machine cannot reach.
 */
export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
