/**
 * What every page must hold on a phone and on a laptop: the document is no wider than the viewport,
 * nothing is cut (a box that scrolls or clips its content sideways, a truncated badge, an element
 * past the right edge), and axe-core finds no critical or serious violation.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'laptop', width: 1280, height: 800 },
] as const;

/**
 * Waits until the page has settled: no request under way, no loader shown, no transition running (a
 * dialog fading in), and every open menu and dialog fully opaque — a fade is scheduled a frame before
 * its transition starts, and a contrast check in that frame reads blended colours.
 */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(
    () => {
      const opaque = (el: Element) => {
        for (let e: Element | null = el; e; e = e.parentElement) if (getComputedStyle(e).opacity !== '1') return false;
        return true;
      };
      const open = [...document.querySelectorAll('[role="menu"], [role="dialog"]')].filter((el) => el.getClientRects().length > 0);
      return (
        document.querySelectorAll('.mantine-Loader-root').length === 0 &&
        document.querySelector('main')?.textContent?.trim() !== '' &&
        document.getAnimations().every((animation) => animation.playState !== 'running') &&
        open.every(opaque)
      );
    },
    undefined,
    { timeout: 15_000 },
  );
}

/** Layout problems of the page as it is now, in words a reader can act on (at most 8). */
export function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const root = document.documentElement;
    const viewport = root.clientWidth;
    if (root.scrollWidth > viewport) problems.push(`the document is ${root.scrollWidth}px wide in a ${viewport}px viewport`);
    const name = (el: Element) => {
      const testId = el.closest('[data-testid]')?.getAttribute('data-testid');
      const cls = [...el.classList].find((c) => c.startsWith('mantine-')) ?? el.classList[0] ?? '';
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return `<${el.tagName.toLowerCase()}${cls ? ` .${cls}` : ''}>${testId ? ` in [data-testid=${testId}]` : ''} "${text}"`;
    };
    const clipsSideways = (style: CSSStyleDeclaration) => style.overflowX !== 'visible';
    for (const el of document.body.querySelectorAll('*')) {
      if (problems.length >= 8) break;
      if (!(el instanceof HTMLElement) || el.closest('[aria-hidden="true"], [inert], [hidden]')) continue;
      // A text field scrolls its own value: that is how typing works, not a cut.
      if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const rect = el.getBoundingClientRect();
      if (rect.width < 2 || rect.height < 2) continue;
      // Text shortened on purpose (an ellipsis, a line clamp) is not cut; a badge never is shortened.
      const shortened = style.textOverflow === 'ellipsis' || (style.webkitLineClamp !== 'none' && style.webkitLineClamp !== '');
      if (clipsSideways(style) && el.scrollWidth > el.clientWidth + 1 && (!shortened || el.closest('.mantine-Badge-root'))) {
        problems.push(`${name(el)} shows ${el.clientWidth}px of its ${el.scrollWidth}px (${style.overflowX})`);
        continue;
      }
      if (rect.right > viewport + 1 && style.position !== 'fixed') {
        let parent = el.parentElement;
        let clipped = false;
        while (parent && parent !== document.body) {
          if (clipsSideways(getComputedStyle(parent))) clipped = true;
          parent = parent.parentElement;
        }
        if (!clipped) problems.push(`${name(el)} ends at ${Math.round(rect.right)}px, past the ${viewport}px viewport`);
      }
    }
    return problems;
  });
}

/** Critical and serious axe-core violations: rule, impact, targets. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 4)
        .map(
          (n) =>
            `${n.target.join(' ')} ${n.html.replace(/\s+/g, ' ').slice(0, 140)} (${n.failureSummary?.split('\n').slice(1).join(' ').trim().slice(0, 160)})`,
        );
      return `${v.id} (${v.impact}): ${v.help} — ${nodes.join(' | ')}${v.nodes.length > 4 ? ` and ${v.nodes.length - 4} more` : ''}`;
    });
}

/** Both checks, labelled with the page and the viewport. */
export async function sweepPage(page: Page, label: string): Promise<string[]> {
  const problems = [...(await layoutProblems(page)).map((p) => `layout: ${p}`), ...(await seriousAxeViolations(page)).map((p) => `axe: ${p}`)];
  return problems.map((p) => `${label}: ${p}`);
}
