// One API connection: reads sentences, runs commands concurrently (replies interleave by tag),
// handles /login, /cancel and /quit, and applies the per-command faults.
import type { Socket } from 'node:net';
import { SentenceReader, sentenceToText } from '../protocol/sentence.reader.ts';
import type { RouterState } from '../state/router.state.ts';
import { MESSAGES, TRAP_CATEGORY, TrapError } from '../state/router.errors.ts';
import type { CommandContext } from './command.context.ts';
import { CommandReply } from './command.reply.ts';
import type { ApiRequest } from './command.request.ts';
import { parseRequest } from './command.request.ts';
import { routeCommand } from './command.router.ts';
import type { FaultController } from './fault.controller.ts';
import { handleLogin } from './login.handler.ts';
import { ReplyWriter } from './reply.writer.ts';
import { isSafeModeCommand, runSafeModeCommand } from './safe-mode.handler.ts';
import { runToolFetch } from './tool-fetch.handler.ts';
import type { ApiUser, UserDirectory } from './user.directory.ts';

export interface SessionServices {
  readonly state: RouterState;
  readonly faults: FaultController;
  readonly users: UserDirectory;
}

interface Running {
  readonly request: ApiRequest;
  readonly reply: CommandReply;
  readonly stops: Array<() => void>;
  stopped: boolean;
}

export class ApiSession {
  readonly #socket: Socket;
  readonly #services: SessionServices;
  readonly #reader = new SentenceReader();
  readonly #writer: ReplyWriter;
  readonly #running = new Set<Running>();
  #user: ApiUser | undefined;
  #closed = false;

  constructor(socket: Socket, services: SessionServices) {
    this.#socket = socket;
    this.#services = services;
    this.#writer = new ReplyWriter(socket, () => services.faults.writeMode());
    socket.setNoDelay(true); // one sentence, one segment, as a router answers
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    // The peer's FIN ends the session at once (no waiting for 'close'), so safe mode is undone
    // before the client can reconnect and read.
    socket.on('end', () => this.#shutdown());
    socket.on('close', () => this.#shutdown());
    socket.on('error', () => this.#shutdown()); // peers resetting the connection is routine
  }

  get user(): ApiUser | undefined {
    return this.#user;
  }

  /** Sends `!fatal <message>` and closes, as RouterOS does before dropping a session. */
  sendFatal(message: string): void {
    this.#writer.send(['!fatal', message]);
    this.#closeGracefully();
  }

  /** Tears the connection down at once (no reply, no FIN courtesy). */
  destroy(): void {
    this.#shutdown();
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    try {
      for (const words of this.#reader.push(chunk)) this.#onSentence(sentenceToText(words));
    } catch {
      // Malformed framing (e.g. a reserved control byte): RouterOS drops such a connection.
      this.destroy();
    }
  }

  #onSentence(words: string[]): void {
    const request = parseRequest(words);
    if (this.#closed || !request) return;
    const { faults } = this.#services;
    const fatal = faults.fatalFor(request.command);
    if (fatal !== undefined) return this.sendFatal(fatal);
    if (faults.isSilenced(request.command)) return;
    const running = this.#register(request);
    const delay = faults.delayFor(request.command);
    if (delay <= 0) return this.#run(running);
    const timer = setTimeout(() => this.#run(running), delay);
    running.stops.push(() => clearTimeout(timer));
  }

  #register(request: ApiRequest): Running {
    const limit = this.#services.faults.dropLimit(request.command);
    let sent = 0;
    const sink = {
      send: (words: readonly string[]) => {
        this.#writer.send(words);
        if (limit !== undefined && ++sent >= limit) this.#closeGracefully();
      },
      tagPosition: () => this.#services.faults.tagPosition(),
    };
    const running: Running = {
      request,
      reply: new CommandReply(sink, request.tag),
      stops: [],
      stopped: false,
    };
    this.#running.add(running);
    return running;
  }

  #run(running: Running): void {
    if (running.stopped) return;
    try {
      this.#execute(running);
    } catch (error) {
      running.reply.trap(asTrap(error));
      this.#complete(running);
    }
  }

  #execute(running: Running): void {
    const { request, reply } = running;
    if (request.command === '/login') {
      this.#user = handleLogin(request, reply, this.#services.users) ?? this.#user;
      return this.#complete(running);
    }
    if (request.command === '/quit') return this.#quit();
    if (!this.#user) throw new TrapError(MESSAGES.notLoggedIn);
    if (request.command === '/cancel') return this.#cancel(running);
    if (isSafeModeCommand(request, this.#services.state)) {
      runSafeModeCommand({ request, state: this.#services.state, user: this.#user, session: this });
      return this.#complete(running);
    }
    if (request.command === '/tool/fetch') return this.#fetch(running, this.#user);
    const { menu, handler } = routeCommand(request, this.#user);
    handler(this.#contextFor(running, menu));
  }

  #contextFor(running: Running, menu: CommandContext['menu']): CommandContext {
    const { state, faults } = this.#services;
    return {
      state,
      faults,
      menu,
      request: running.request,
      reply: running.reply,
      onStop: (cleanup) => running.stops.push(cleanup),
      isStopped: () => running.stopped,
      done: (ret) => this.#complete(running, ret),
    };
  }

  /** `/tool/fetch` downloads for real; the reply comes when the download ends. */
  #fetch(running: Running, user: ApiUser): void {
    if (!user.policies.has('write')) throw new TrapError(MESSAGES.notEnoughPermissions);
    const { state } = this.#services;
    const stopped = () => running.stopped;
    runToolFetch({ request: running.request, state, reply: running.reply, stopped }).then(
      () => {
        if (!running.stopped) this.#complete(running);
      },
      (error: unknown) => {
        if (running.stopped) return;
        running.reply.trap(asTrap(error));
        this.#complete(running);
      },
    );
  }

  /** Order as documented: the victim's `!trap`, then `/cancel`'s `!done`, then the victim's `!done`. */
  #cancel(running: Running): void {
    const tag = running.request.attributes.get('tag');
    const victims = [...this.#running].filter(
      (r) => r !== running && r.request.command !== '/cancel' && (tag === undefined || r.request.tag === tag),
    );
    for (const victim of victims) {
      this.#stop(victim);
      victim.reply.trap(new TrapError(MESSAGES.interrupted, TRAP_CATEGORY.interrupted));
    }
    this.#complete(running);
    for (const victim of victims) victim.reply.done();
  }

  #complete(running: Running, ret?: string): void {
    running.reply.done(ret);
    this.#running.delete(running);
  }

  #stop(running: Running): void {
    running.stopped = true;
    this.#running.delete(running);
    for (const cleanup of running.stops.splice(0)) cleanup();
  }

  /** The console manual: leaving with /quit keeps safe mode changes (only a lost session undoes them). */
  #quit(): void {
    this.#services.state.safeMode.release(this);
    this.sendFatal(MESSAGES.sessionTerminated);
  }

  #closeGracefully(): void {
    this.#shutdown();
    this.#writer.end();
  }

  #shutdown(): void {
    this.#closed = true;
    for (const running of [...this.#running]) this.#stop(running);
    this.#services.state.safeMode.sessionEnded(this);
  }
}

function asTrap(error: unknown): TrapError {
  if (error instanceof TrapError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new TrapError(`emulator error: ${message}`, TRAP_CATEGORY.general);
}
