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

  /** What the quick input shows: whether it is open, the text in its box, and its rows (label, which is focused). */
  quickInputState() {
    return this.page.evaluate(() => {
      const widget = [...document.querySelectorAll('.quick-input-widget')].find((w) => w.offsetParent !== null || getComputedStyle(w).display !== 'none');
      if (!widget) return { open: false, value: '', rows: [] };
      return {
        open: true,
        value: widget.querySelector('input.input')?.value ?? '',
        rows: [...widget.querySelectorAll('.quick-input-list .monaco-list-row')].map((r) => ({
          label: (r.querySelector('.monaco-icon-label .label-name')?.textContent ?? '').replace(/\u00a0/g, ' ').trim(),
          description: (r.querySelector('.label-description')?.textContent ?? '').trim(),
          aria: r.getAttribute('aria-label') ?? '',
          focused: r.classList.contains('focused'),
        })),
      };
    });
  }

  /** Labels of the rows of the visible quick input list, and which is focused. */
  async quickInputRows() {
    return (await this.quickInputState()).rows;
  }

  /** Moves the focus in the open quick input list to the row whose label matches, then accepts it. */
  async acceptQuickInputRow(match, what, { timeout = 20_000 } = {}) {
    let last;
    const rows = await until(`a row "${what}" in the quick input`, async () => {
      last = await this.quickInputState();
      return last.rows.some((r) => match(r)) && last.rows;
    }, { timeout }).catch((e) => {
      const seen = last?.open ? `holds "${last.value}" and lists ${JSON.stringify(last.rows.map((r) => r.label).slice(0, 12))}` : 'is closed';
      throw new Error(`${e.message}; the quick input ${seen}`);
    });
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

  /**
   * Opens the command palette, types `label` and accepts the command with that label. The palette
   * lists the commands enabled when the text was typed: one whose `when` clause becomes true later
   * (the `isWorkspaceTrusted` context key is false until the workbench reaches its `Restored`
   * lifecycle phase, seconds after the window shows on a loaded machine) is not added to an open
   * palette. So a palette that does not offer it is closed and opened again, as a person would,
   * until it does (or `timeout` passes).
   */
  async chooseCommand(label, { timeout = 60_000 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      await this.openQuickInput('F1');
      await this.page.keyboard.type(label, { delay: 5 });
      try {
        await this.acceptQuickInputRow((r) => r.label === label, label, { timeout: Math.min(10_000, Math.max(1_000, deadline - Date.now())) });
        return;
      } catch (e) {
        if (Date.now() >= deadline || /could not focus/.test(e.message)) throw e;
        console.log(`    (the command palette does not offer "${label}" yet; opening it again)`);
        await this.key('Escape');
      }
    }
  }

  /** Runs a command from the command palette by its full label, e.g. "Linger: Audit Connections in Workspace". */
  async command(label) {
    await this.chooseCommand(label);
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
