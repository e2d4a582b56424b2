// The device record is read before the setup screen shows, so its first step is in the first
// frame (issue 15: no placeholder that the step then pushes down).
import { agentDb, THIS_DEVICE } from '#lib/agent/agent-db.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async () => ({ device: await agentDb().device.get(THIS_DEVICE) });
