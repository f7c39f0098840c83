/**
 * `npm start`: the hub in demo mode (HUB_ENV=development unless set) with the demo wiring: demo data, the sandbox
 * departments and the all-access demo consumer, listening on 127.0.0.1 only. The service entry point
 * (server/main.ts) is production by default and knows nothing of the demo.
 */
import '../server/production-mode';
import { runHubProcess } from '../server/main';
import { demoWiring } from './wiring';

process.env.HUB_ENV ??= 'development';
void runHubProcess({ demo: demoWiring });
