// The keyboard and VS Code's quick input: the command palette (F1), quick open (Ctrl+P) and the
// pickers and simple file dialog that share its widget. Rows are chosen with the keyboard, never
// clicked (a click can land on a pointer block).
import { until } from '../wait.mjs';

/** @param {new (...args: any[]) => object} Base */
export const QuickInput = (Base) => class extends Base {
  key(k) {
    return this.page.keyboard.press(k);
  }

  /** The visible quick input (command palette, quick open, pickers, simple file dialog). */
  get quickInput() {
    return this.page.locator('.quick-input-widget:visible');
  }

  async openQuickInput(shortcut) {
    // A previous quick input or hover may still hold the focus: close it first.
    if (await this.quickInput.count()) await this.key('Escape');
    await this.key(shortcut);
    await this.quickInput.locator('input.input').waitFor({ state: 'visible', timeout: 15_000 });
  }

  /** Labels of the rows of the visible quick input list, and which is focused. */
  quickInputRows() {
    return this.page.evaluate(() => {
      const widget = [...document.querySelectorAll('.quick-input-widget')].find((w) => w.offsetParent !== null || getComputedStyle(w).display !== 'none');
      if (!widget) return [];
      return [...widget.querySelectorAll('.quick-input-list .monaco-list-row')].map((r) => ({
        label: (r.querySelector('.monaco-icon-label .label-name')?.textContent ?? '').replace(/\u00a0/g, ' ').trim(),
        description: (r.querySelector('.label-description')?.textContent ?? '').trim(),
        aria: r.getAttribute('aria-label') ?? '',
        focused: r.classList.contains('focused'),
      }));
    });
  }

  /** Moves the focus in the open quick input list to the row whose label matches, then accepts it. */
  async acceptQuickInputRow(match, what) {
    const rows = await until(`a row "${what}" in the quick input`, async () => {
      const rs = await this.quickInputRows();
      return rs.some((r) => match(r)) && rs;
    }, { timeout: 20_000 });
    for (let i = 0; i <= rows.length + 1; i++) {
      const now = await this.quickInputRows();
      const focused = now.find((r) => r.focused);
      if (focused && match(focused)) {
        await this.key('Enter');
        return;
      }
      await this.key('ArrowDown');
    }
    throw new Error(`could not focus "${what}" in the quick input; rows: ${JSON.stringify((await this.quickInputRows()).map((r) => r.label))}`);
  }

  /** Runs a command from the command palette by its full label, e.g. "Linger: Audit Connections in Workspace". */
  async command(label) {
    await this.openQuickInput('F1');
    await this.page.keyboard.type(label, { delay: 5 });
    await this.acceptQuickInputRow((r) => r.label === label, label);
    await this.quickInput.waitFor({ state: 'hidden', timeout: 15_000 }).catch(() => {});
  }

  /** The command palette's labels matching `text` (to say what was offered when a command is missing). */
  async paletteLabels(text) {
    await this.openQuickInput('F1');
    await this.page.keyboard.type(text, { delay: 5 });
    // The list filters as the text arrives: take it once it has stopped changing.
    let previous;
    const rows = await until('the command palette to filter', async () => {
      const rs = JSON.stringify((await this.quickInputRows()).map((r) => r.label));
      const stable = rs === previous;
      previous = rs;
      return stable && JSON.parse(rs);
    }, { timeout: 10_000, interval: 300 }).catch(() => []);
    await this.key('Escape');
    return rows;
  }
};
