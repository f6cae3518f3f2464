// The code-action UI: the quick-fix menu (Ctrl+.), "Fix All" and source-action key bindings, with
// the retry for VS Code's own race ("No code actions available" while a provider is still busy).
import { until } from '../wait.mjs';

/** @param {new (...args: any[]) => object} Base */
export const CodeActions = (Base) => class extends Base {
  /** Titles of the rows of the open action widget (quick fix / source action menu). */
  actionRows() {
    return this.page.evaluate(() => [...document.querySelectorAll('.action-widget .monaco-list-row')].map((r) => ({
      label: r.getAttribute('aria-label') ?? '',
      focused: r.classList.contains('focused'),
      disabled: r.classList.contains('option-disabled') || r.getAttribute('aria-disabled') === 'true',
    })));
  }

  /** Opens the quick-fix menu (Ctrl+.) at the cursor and waits for it to list something. */
  async openQuickFix() {
    return this.codeActionUi('the quick-fix menu', async () => {
      // The light bulb shows once VS Code's automatic request at the cursor has come back from
      // every provider: from then on an invoked request is not raced by a slow one.
      await until('the light bulb at the cursor', () => this.page.evaluate(() => {
        const bulb = document.querySelector('.editor-group-container.active .lightBulbWidget');
        return !!bulb && getComputedStyle(bulb).display !== 'none' && getComputedStyle(bulb).visibility !== 'hidden';
      }), { timeout: 30_000 }).catch(() => {});
      await this.key('Control+.');
    }, async () => {
      const rows = await this.actionRows();
      return rows.some((r) => r.label && !r.disabled) && rows;
    });
  }

  /**
   * Triggers a code-action UI (Ctrl+. , "Fix All", a source-action key binding) and waits for
   * `done`. VS Code cancels an invoked code-action request when an automatic one (the light bulb)
   * follows within 500 ms while a provider is still busy (the TypeScript server, while it starts),
   * and then says "No code actions available" although every provider answered. A person tries
   * again; so does this, up to four times, and says so. A provider that really offers nothing
   * fails all four.
   */
  async codeActionUi(what, trigger, done) {
    // Extensions that are still activating register their providers as they go, and every
    // registration restarts VS Code's code-action state: let them finish first.
    await this.extensionsActivated();
    for (let attempt = 1; ; attempt++) {
      await this.focusEditor();
      await trigger();
      const outcome = await until(`${what} (or VS Code's "No ... available" message)`, async () => {
        const value = await done();
        if (value) return { value };
        const message = await this.page.evaluate(() => document.querySelector('.monaco-editor-overlaymessage')?.textContent?.trim());
        return message ? { message } : undefined;
      }, { timeout: 20_000 });
      if (outcome.value) return outcome.value;
      if (attempt === 4) throw new Error(`tried four times; VS Code said "${outcome.message}" each time`);
      console.log(`    (attempt ${attempt} at ${what}: VS Code said "${outcome.message}"; trying again)`);
      await this.key('Escape');
      await until('the message to close', async () => !(await this.page.locator('.monaco-editor-overlaymessage').count()), { timeout: 5_000 }).catch(() => {});
    }
  }

  /**
   * Chooses `title` in the open action widget with the keyboard (a mouse click can land on the
   * widget's pointer block): ArrowDown until it is focused, then Enter.
   */
  async chooseAction(title) {
    const rows = await this.actionRows();
    if (!rows.some((r) => r.label === title)) {
      throw new Error(`the menu does not offer "${title}"; it offers: ${JSON.stringify(rows.map((r) => r.label).filter(Boolean))}`);
    }
    for (let i = 0; i <= rows.length + 1; i++) {
      const focused = (await this.actionRows()).find((r) => r.focused);
      if (focused?.label === title) {
        await this.key('Enter');
        await until('the menu to close', async () => !(await this.page.locator('.action-widget .monaco-list-row').count()), { timeout: 10_000 });
        return;
      }
      await this.key('ArrowDown');
    }
    throw new Error(`could not focus "${title}" in the menu`);
  }
};
