/** Where the browser tests find Chromium (Debian's package; HUB_CHROMIUM_PATH overrides) and whether it is there. */
import fs from 'node:fs';

export const CHROMIUM_PATH = process.env.HUB_CHROMIUM_PATH ?? '/usr/bin/chromium';
export const browserAvailable = () => fs.existsSync(CHROMIUM_PATH);
