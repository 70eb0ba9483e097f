import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";

/** Debian's chromium unless CHROMIUM_PATH says otherwise; never a downloaded browser build. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOTS = join(import.meta.dirname, "..", "..", "test-results", "screenshots");

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Launches headless Chromium with the flags this machine needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS });
}

/** One preview frame (a card in one state) by its id. */
export function frame(page: Page, id: string): Locator {
  return page.getByTestId(`frame-${id}`);
}

/** Saves a screenshot of one frame as test-results/screenshots/<name>.png. */
export async function shoot(page: Page, id: string, name = id): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await frame(page, id).screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}
