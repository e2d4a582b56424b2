// Router tests run the RouterOS emulator on loopback, which the default address rule
// refuses: their tenant allows 127.0.0.0/8 explicitly, as the server's operator would.
import type { Actor, AppContext } from '../app-context.ts';
import { setRouterAllowedCidrs } from './router-allowed-cidrs.service.ts';

export async function allowLoopbackRouters(app: AppContext, actor: Actor): Promise<void> {
  await setRouterAllowedCidrs(app, { ...actor, userId: null, label: 'test-operator' }, ['127.0.0.0/8']);
}
