/**
 * Vitest global setup: builds the inspector's page once (dist/inspector.html, as `npm run build` does) before any
 * test, so `enforcement-ledger inspector-page` run from source finds it and the browser tests load the page as built.
 */
import { buildInspectorPage } from '../../scripts/build-inspector-page';

export default async function setup(): Promise<void> {
  await buildInspectorPage();
}
