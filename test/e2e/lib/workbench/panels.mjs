// The Problems panel, notification toasts, the status bar and Linger's language-status item.
import { until } from '../wait.mjs';

/** @param {new (...args: any[]) => object} Base */
export const Panels = (Base) => class extends Base {
  async showProblems() {
    if (await this.page.locator('.markers-panel:visible').count()) return;
    await this.command('Problems: Focus on Problems View');
    await this.page.locator('.markers-panel').first().waitFor({ state: 'visible', timeout: 15_000 });
  }

  /**
   * Rows of the Problems panel: files (level 1), problems (level 2, with message, source, code,
   * code link, position, severity) and related locations (level 3).
   */
  problemRows() {
    return this.page.evaluate(() => {
      const t = (el) => (el?.textContent ?? '').replace(/\u00a0/g, ' ').trim();
      return [...document.querySelectorAll('.markers-panel .monaco-list-row:not(.monaco-tree-sticky-row)')]
        .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
        .map((r) => {
          const level = Number(r.getAttribute('aria-level'));
          const row = { level, aria: r.getAttribute('aria-label') ?? '' };
          if (level === 1) row.file = t(r.querySelector('.label-name'));
          if (level === 2) {
            row.message = t(r.querySelector('.marker-message'));
            row.source = t(r.querySelector('.marker-source'));
            row.code = t(r.querySelector('.marker-code'));
            row.codeHref = r.querySelector('a.monaco-link')?.getAttribute('href') ?? undefined;
            row.position = t(r.querySelector('.marker-line'));
            row.severity = r.querySelector('.marker-icon')?.classList.contains('warning') ? 'warning'
              : r.querySelector('.marker-icon')?.classList.contains('error') ? 'error' : 'info';
          }
          if (level === 3) {
            row.resource = t(r.querySelector('.related-info-resource'));
            row.position = t(r.querySelector('.marker-line'));
            row.message = t(r.querySelector('.marker-description'));
          }
          return row;
        });
    });
  }

  /** The problems (level-2 rows) of the Problems panel, each with its related rows. */
  async problems() {
    await this.showProblems();
    const rows = await this.problemRows();
    const out = [];
    let file;
    for (const r of rows) {
      if (r.level === 1) file = r.file;
      else if (r.level === 2) out.push({ ...r, file, related: [] });
      else if (r.level === 3 && out.length) out[out.length - 1].related.push(r);
    }
    return out;
  }

  /**
   * Records every notification toast that appears from now on (text and severity), however briefly,
   * with a MutationObserver in the page. Read with `notificationsSeen()`.
   */
  async recordNotifications() {
    await this.page.evaluate(() => {
      if (window.__e2eToasts) return;
      const seen = (window.__e2eToasts = []);
      const note = (el) => {
        const text = (el.innerText ?? '').replace(/\u00a0/g, ' ').trim();
        const severity = el.querySelector('.codicon-error') ? 'error' : el.querySelector('.codicon-warning') ? 'warning' : 'info';
        const progress = !!el.querySelector('.monaco-progress-container.active, .monaco-progress-container.infinite, .monaco-progress-container.discrete');
        if (text && !seen.some((s) => s.text === text)) seen.push({ text, severity, progress, at: Date.now() });
      };
      const scan = () => document.querySelectorAll('.notifications-toasts .notification-toast, .notifications-center .notification-list-item').forEach(note);
      new MutationObserver(scan).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['class'] });
      scan();
    });
  }

  notificationsSeen() {
    return this.page.evaluate(() => window.__e2eToasts ?? []);
  }

  /** Waits until the status bar no longer shows "Activating Extensions...". */
  extensionsActivated() {
    return until('extensions to finish activating', async () => !(await this.statusItems()).some((i) => /Activating Extensions/i.test(i.text)), { timeout: 60_000 });
  }

  /** The text of the status bar items, by id. */
  statusItems() {
    return this.page.evaluate(() => [...document.querySelectorAll('.statusbar-item')].map((i) => ({
      id: i.id,
      text: (i.innerText ?? '').trim(),
      aria: i.querySelector('[aria-label]')?.getAttribute('aria-label') ?? i.getAttribute('aria-label') ?? '',
    })));
  }

  /**
   * The detail of Linger's language-status item for the active editor ("2 findings · 130 ms",
   * "ready", "server stopped", ...), read from the status bar's language-status entry.
   */
  async lingerStatus() {
    const aria = await this.page.evaluate(() => document.querySelector('[id="status.languageStatus"]')?.querySelector('[aria-label]')?.getAttribute('aria-label')
      ?? document.querySelector('[id="status.languageStatus"]')?.getAttribute('aria-label') ?? '');
    const m = /Linger, (.*?)(?:, next: |$)/.exec(aria);
    return m?.[1];
  }

  /** Opens the language-status hover and returns Linger's entry: its text and severity. */
  async lingerStatusHover() {
    const read = () => this.page.evaluate(() => {
      const entry = [...document.querySelectorAll('.hover-language-status')].find((e) => e.querySelector('.left')?.textContent?.startsWith('Linger'));
      if (!entry) return undefined;
      const sev = entry.querySelector('.severity');
      return {
        text: (entry.querySelector('.left')?.textContent ?? '').replace(/\u00a0/g, ' '),
        severity: sev?.classList.contains('sev3') ? 'error' : sev?.classList.contains('sev2') ? 'warning' : 'information',
      };
    });
    // A hover left open from before would show old text: move away so that it closes, then onto the item.
    await this.page.mouse.move(700, 300);
    await until('the previous hover to close', async () => !(await read()), { timeout: 10_000 });
    const box = await this.page.locator('[id="status.languageStatus"]').boundingBox();
    if (!box) throw new Error('no language status item in the status bar');
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 3 });
    return until('the language status hover with Linger\'s entry', read, { timeout: 10_000 });
  }
};
