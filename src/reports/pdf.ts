/**
 * HTML → PDF with Chromium's print-to-PDF (playwright-core, the system Chromium). The page gets the
 * report's HTML as content and every network request is refused, so a PDF can only show what the
 * HTML carries inline.
 */
import { existsSync } from 'node:fs';
import { HandoffError } from '../core/errors.ts';

/** The Chromium used for PDFs (`HANDOFF_CHROMIUM` overrides). */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Flags for a headless Chromium that makes no background requests. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The Chromium executable to use, or null when none is installed. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | null {
  const p = env.HANDOFF_CHROMIUM || DEFAULT_CHROMIUM;
  return existsSync(p) ? p : null;
}

/** Prints HTML to a PDF (US Letter, backgrounds on) and returns its bytes. */
export async function htmlToPdf(html: string, options: { executablePath?: string; timeoutMs?: number } = {}): Promise<Buffer> {
  const executablePath = options.executablePath ?? chromiumPath();
  if (!executablePath) {
    throw new HandoffError('not_found', `no Chromium found at ${process.env.HANDOFF_CHROMIUM || DEFAULT_CHROMIUM} (set HANDOFF_CHROMIUM); use --format html instead`);
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS, timeout: options.timeoutMs ?? 60_000 });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load', timeout: options.timeoutMs ?? 60_000 });
    await page.emulateMedia({ media: 'print' });
    return await page.pdf({ format: 'Letter', printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
}
