// Driving VS Code's workbench (served by code-server) the way a person does: keyboard shortcuts,
// the command palette, the quick-fix menu, hovers, the Problems panel and tree views. Every helper
// waits for what it needs on screen and fails with what it saw instead.
//
// One class, `Workbench`, made of a mixin per part of the workbench (lib/workbench/): the quick
// input, the editor, the code-action UI, the panels and status bar, the side-bar views. The mixins
// call each other's methods through `this`.
import { until } from './wait.mjs';
import { QuickInput } from './workbench/quick-input.mjs';
import { Editor } from './workbench/editor.mjs';
import { CodeActions } from './workbench/code-actions.mjs';
import { Panels } from './workbench/panels.mjs';
import { Views } from './workbench/views.mjs';

class WorkbenchPage {
  /** @param {import('playwright-core').Page} page */
  constructor(page, workspace) {
    this.page = page;
    this.workspace = workspace;
  }

  async ready() {
    await this.page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    // The status bar fills in once the workbench has restored its parts.
    await this.page.waitForSelector('.statusbar-item', { timeout: 60_000 });
    // The extension's contributions are registered once its activity-bar container shows: before
    // that the command palette does not list its commands yet.
    await until('the Linger entry in the activity bar (the extension\'s contributions loaded)', () =>
      this.page.locator('.activitybar .action-item a[aria-label^="Linger"]').count(), { timeout: 60_000 });
  }

  /** Everything the page shows as text (for failure reports). */
  visibleText() {
    return this.page.evaluate(() => document.body.innerText);
  }
}

export class Workbench extends Views(Panels(CodeActions(Editor(QuickInput(WorkbenchPage))))) {}
