// Kasi's interface to one MikroTik router: generic verbs on any menu plus typed reads for what
// Kasi uses. Reads run concurrently (tagged on one session); changes are queued so that two
// changes to the same router never overlap. Keep one RouterClient per router.
import type { PrintOptions, RouterAttributes } from './command.words.ts';
import { addWords, commandWords, itemWords, printWords, setWords, unsetWords } from './command.words.ts';
import { RouterConnection } from './router.connection.ts';
import { RouterError } from './router.errors.ts';
import type { ConnectRouterOptions } from './router.options.ts';
import { resolveOptions } from './router.options.ts';
import type {
  HotspotActiveSession,
  HotspotProfile,
  PppAaa,
  PppActiveSession,
  RadiusClient,
  RadiusIncoming,
  RouterInterface,
  RouterResource,
} from './router.records.ts';
import {
  HOTSPOT_ACTIVE_PROPS,
  HOTSPOT_PROFILE_PROPS,
  INTERFACE_PROPS,
  PPP_ACTIVE_PROPS,
  RESOURCE_PROPS,
  toHotspotActive,
  toHotspotProfile,
  toInterface,
  toPppAaa,
  toPppActive,
  toRadiusClient,
  toRadiusIncoming,
  toResource,
} from './router.records.ts';
import type { RouterRow } from './row.reader.ts';
import type { SafeModeSupport, SafeModeTake } from './safe-mode.ts';
import { supportsSafeMode, takeRefusal } from './safe-mode.ts';
import { SerialQueue } from './serial.queue.ts';

export interface PrintCallOptions extends PrintOptions {
  /** Overrides the client's timeoutMs for this call (e.g. a large table). */
  timeoutMs?: number;
}

/** Connects and logs in (retrying per the backoff policy); rejects with a RouterError. */
export async function connectRouter(options: ConnectRouterOptions): Promise<RouterClient> {
  const client = new RouterClient(new RouterConnection(resolveOptions(options)));
  await client.connect();
  return client;
}

export class RouterClient {
  readonly #connection: RouterConnection;
  readonly #changes = new SerialQueue();

  constructor(connection: RouterConnection) {
    this.#connection = connection;
  }

  /** host:port */
  get router(): string {
    return this.#connection.router;
  }

  get connected(): boolean {
    return this.#connection.connected;
  }

  async connect(): Promise<void> {
    await this.#connection.open();
  }

  print(path: string, options: PrintCallOptions = {}): Promise<RouterRow[]> {
    return this.#connection.call(printWords(path, options), options.timeoutMs);
  }

  /** A singleton menu's one row (/system/resource, /ppp/aaa, /radius/incoming…). */
  async getSingleton(path: string, proplist?: readonly string[]): Promise<RouterRow> {
    const [row] = await this.print(path, proplist ? { proplist } : {});
    if (!row) throw new RouterError('ROUTER.BAD_REPLY', `${path}: the router printed no row`);
    return row;
  }

  /** Returns the new item's id (`=ret=` of `!done`). */
  async add(path: string, attrs: RouterAttributes): Promise<string> {
    const reply = await this.#change(addWords(path, attrs));
    const id = reply.at(-1)?.ret;
    if (!id) throw new RouterError('ROUTER.BAD_REPLY', `${path}/add: the router returned no id`);
    return id;
  }

  async set(path: string, id: string, attrs: RouterAttributes): Promise<void> {
    await this.#change(setWords(path, id, attrs));
  }

  async setSingleton(path: string, attrs: RouterAttributes): Promise<void> {
    await this.#change(setWords(path, undefined, attrs));
  }

  async remove(path: string, id: string): Promise<void> {
    await this.#change(itemWords(path, 'remove', id));
  }

  async enable(path: string, id: string): Promise<void> {
    await this.#change(itemWords(path, 'enable', id));
  }

  async disable(path: string, id: string): Promise<void> {
    await this.#change(itemWords(path, 'disable', id));
  }

  /** Resets one property of an item to its default. */
  async unset(path: string, id: string, property: string): Promise<void> {
    await this.#change(unsetWords(path, id, property));
  }

  async getResource(): Promise<RouterResource> {
    return toResource(await this.getSingleton('/system/resource', RESOURCE_PROPS));
  }

  async getIdentity(): Promise<string> {
    const row = await this.getSingleton('/system/identity');
    if (row.name === undefined) throw new RouterError('ROUTER.BAD_REPLY', '/system/identity: no name');
    return row.name;
  }

  async listInterfaces(): Promise<RouterInterface[]> {
    return (await this.print('/interface', { proplist: INTERFACE_PROPS })).map(toInterface);
  }

  async listRadius(): Promise<RadiusClient[]> {
    return (await this.print('/radius')).map(toRadiusClient);
  }

  async listHotspotProfiles(): Promise<HotspotProfile[]> {
    return (await this.print('/ip/hotspot/profile', { proplist: HOTSPOT_PROFILE_PROPS })).map(
      toHotspotProfile,
    );
  }

  async getPppAaa(): Promise<PppAaa> {
    return toPppAaa(await this.getSingleton('/ppp/aaa'));
  }

  async getRadiusIncoming(): Promise<RadiusIncoming> {
    return toRadiusIncoming(await this.getSingleton('/radius/incoming'));
  }

  /** Live hotspot sessions, optionally only a user's (to find whom to kick). */
  async listHotspotActive(filter: { user?: string } = {}): Promise<HotspotActiveSession[]> {
    const where: RouterAttributes = filter.user === undefined ? {} : { user: filter.user };
    return (await this.print('/ip/hotspot/active', { proplist: HOTSPOT_ACTIVE_PROPS, where })).map(
      toHotspotActive,
    );
  }

  async listPppActive(filter: { name?: string } = {}): Promise<PppActiveSession[]> {
    const where: RouterAttributes = filter.name === undefined ? {} : { name: filter.name };
    return (await this.print('/ppp/active', { proplist: PPP_ACTIVE_PROPS, where })).map(toPppActive);
  }

  /** Disconnects a hotspot session (cannot be undone: audit it). */
  removeHotspotActive(id: string): Promise<void> {
    return this.remove('/ip/hotspot/active', id);
  }

  /** Disconnects a PPP session (cannot be undone: audit it). */
  removePppActive(id: string): Promise<void> {
    return this.remove('/ppp/active', id);
  }

  /** Whether this router's API has safe mode (RouterOS 7.18+), read from /system/resource. */
  async getSafeModeSupport(): Promise<SafeModeSupport> {
    const { version } = await this.getResource();
    return { supported: supportsSafeMode(version), version };
  }

  /** True from a successful takeSafeMode until it is released, unrolled or abandoned. */
  get holdsSafeMode(): boolean {
    return this.#connection.holding;
  }

  /**
   * Takes RouterOS safe mode on this client's session. Until release, unroll or abandon, every
   * call runs on that session; if it ends, calls fail with ROUTER.SAFE_MODE_LOST rather than
   * reconnect (the router undoes the changes). Closing the client without releasing undoes
   * them too. Resolves `{ taken: false }` when the router has no safe mode or refuses it.
   */
  takeSafeMode(): Promise<SafeModeTake> {
    return this.#changes.run(async () => {
      try {
        await this.#connection.hold(['/safe-mode/take']);
        return { taken: true };
      } catch (error) {
        const refusal = takeRefusal(error);
        if (refusal) return refusal;
        throw error;
      }
    });
  }

  /** Keeps the changes made in safe mode and leaves it. */
  releaseSafeMode(): Promise<void> {
    return this.#changes.run(() => this.#connection.unhold(['/safe-mode/release']));
  }

  /** Has the router undo the changes made in safe mode now; the session stays open. */
  unrollSafeMode(): Promise<void> {
    return this.#changes.run(() => this.#connection.unhold(['/safe-mode/unroll']));
  }

  /** Closes the safe mode session without releasing it, so the router undoes the changes itself. */
  abandonSafeMode(): Promise<void> {
    return this.#changes.run(() => this.#connection.drop());
  }

  /**
   * `/tool/fetch`: the router downloads `url` into the file `dstPath`. Resolves with the last
   * progress record (`status=finished`); a failed download rejects with the router's trap.
   */
  async fetchToFile(url: string, dstPath: string, timeoutMs = 60_000): Promise<RouterRow> {
    const words = commandWords('/tool/fetch', { url, 'dst-path': dstPath });
    const rows = await this.#change(words, timeoutMs);
    const last = rows.at(-1);
    if (last?.status !== 'finished')
      throw new RouterError(
        'ROUTER.BAD_REPLY',
        `/tool/fetch: the download did not finish (${last?.status ?? 'no status'})`,
      );
    return last;
  }

  /** A file's row from /file (name, type, size, and contents when the router shows them). */
  async getFile(name: string): Promise<RouterRow | undefined> {
    const [row] = await this.print('/file', { where: { name } });
    return row;
  }

  /** `/ip/hotspot/active/login`: logs a device in as `user` (the hotspot profile's check applies). */
  async loginHotspotDevice(input: { user: string; password: string; macAddress: string; ip: string }) {
    await this.#change(
      commandWords('/ip/hotspot/active/login', {
        user: input.user,
        password: input.password,
        'mac-address': input.macAddress,
        ip: input.ip,
      }),
    );
  }

  /** Logs out and closes the session; later calls reject. */
  close(): Promise<void> {
    return this.#connection.close();
  }

  #change(words: string[], timeoutMs?: number): Promise<RouterRow[]> {
    return this.#changes.run(() => this.#connection.call(words, timeoutMs));
  }
}
