// Debian's Chromium for the browser tests, driven by playwright-core (which downloads no browser).
// Tests skip, saying so, where it is missing. The flags keep Chromium off the network: without
// them it tries Google's hosts at every start, which this machine's closed network refuses.
import fs from "node:fs";
import type { Browser } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const hasChromium = fs.existsSync(CHROMIUM);
/** A test's `skip` option: false, or why the browser tests cannot run here. */
export const skipWithoutChromium: false | string = hasChromium ? false : `no browser at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
  });
}
