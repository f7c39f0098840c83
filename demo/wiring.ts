/**
 * The demo wiring: the hub's demo data (the 渝中区 region tree) and the sandbox department systems with their
 * synthetic data, handed to `startHub` by the demo entry point and the tests. Outside the hub: nothing under
 * server/, schema/ or resolvers/ imports this folder.
 */
import type { DemoWiring } from '../server/hub';
import { loadDemoData } from '../seeds/demo';
import { startSandboxForHub } from './sandbox';

export const demoWiring: DemoWiring = {
  loadHubData: loadDemoData,
  startDepartments: startSandboxForHub,
};
