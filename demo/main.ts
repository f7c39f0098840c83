/** `npm start`: the hub process with the demo wiring (demo data, sandbox departments). */
import { runHubProcess } from '../server/main';
import { demoWiring } from './wiring';

void runHubProcess({ demo: demoWiring });
