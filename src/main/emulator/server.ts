/**
 * A faithful Clerk Backend API emulator: a real HTTP server on 127.0.0.1 (port 0 by default) for tests,
 * benchmarks and the in-app Sandbox. Plain Node: no electron.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DEFAULT_BEHAVIOUR, type Behaviour } from './behaviour.ts';
import { EmuError, errors } from './errors.ts';
import { Faults, badOkBody, faultSpecs, type FaultOptions, type FaultSpec } from './faults.ts';
import { RateLimiter, type Bucket, type RateLimitOptions } from './rateLimit.ts';
import { seedOutsideInvitations, type OutsideSeed } from './outside.ts';
import { matchRoute } from './routes.ts';
import { acceptInvitation, createInstance, type EmuInstance, type InstanceSeed } from './store.ts';

export type EmulatorOptions = {
  port?: number;
  host?: string;
  rateLimits?: RateLimitOptions;
  /** Instances to create at start; one development instance when absent. */
  instances?: InstanceSeed[];
  now?: () => number;
  random?: () => number;
  /** How the emulated Clerk answers where the evidence is old or missing (see behaviour.ts). */
  behaviour?: Partial<Behaviour>;
  /** Faults active from the start, e.g. `{ lateCommit: { probability: 0.03, delayMs: 150 } }`. */
  faults?: FaultOptions;
};

export type RequestLogEntry = {
  method: string;
  path: string;
  status: number;
  instanceId: string | null;
  /** Whether an Authorization header came with the request (the key itself is never logged). */
  authorized: boolean;
  at: number;
};

export type ClerkEmulator = Awaited<ReturnType<typeof startClerkEmulator>>;

const MAX_BODY = 1024 * 1024;

export async function startClerkEmulator(options: EmulatorOptions = {}) {
  const now = options.now ?? Date.now;
  let badOkAnswers = 0;
  const limiter = new RateLimiter(options.rateLimits);
  const behaviour: Behaviour = { ...DEFAULT_BEHAVIOUR, ...options.behaviour };
  const faults = new Faults(options.random);
  for (const spec of faultSpecs(options.faults)) faults.inject(spec);
  /**
   * Late commits to land: each at `due` on Clerk's clock. Its timer applies it; so does any request that arrives once it
   * is due, first (a loaded event loop runs a timer late, and Clerk would have committed by then all the same).
   */
  const lateTimers = new Map<ReturnType<typeof setTimeout>, { due: number; apply: () => void }>();
  const landDue = () => {
    const due = [...lateTimers].filter(([, l]) => l.due <= now()).sort((a, b) => a[1].due - b[1].due);
    for (const [timer, l] of due) {
      clearTimeout(timer);
      lateTimers.delete(timer);
      l.apply();
    }
  };
  const instances = new Map<string, EmuInstance>();
  const requests: RequestLogEntry[] = [];
  const lateCommits: { method: string; path: string; at: number; committed: boolean }[] = [];
  const sockets = new Set<Socket>();
  let baseUrl = '';

  const addInstance = (seed: InstanceSeed = {}): EmuInstance => {
    const instance = createInstance(seed, now());
    instances.set(instance.secretKey, instance);
    return instance;
  };
  for (const seed of options.instances ?? [{}]) addInstance(seed);

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    // Clerk's own clock (the `now` option: a test may set it apart from the caller's), as a real server says it.
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      Date: new Date(now()).toUTCString(),
      ...headers,
    });
    res.end(text);
  }

  function sendError(res: ServerResponse, e: EmuError, headers: Record<string, string> = {}): void {
    send(res, e.status, { errors: e.items, clerk_trace_id: `trace_${Math.random().toString(16).slice(2, 18)}` }, headers);
  }

  async function readBody(req: IncomingMessage): Promise<{ ok: true; body: unknown } | { ok: false }> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) return { ok: false };
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') return { ok: true, body: undefined };
    try {
      return { ok: true, body: JSON.parse(text) };
    } catch {
      return { ok: false };
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://emulator');
    const entry: RequestLogEntry = {
      method,
      path: url.pathname,
      status: 0,
      instanceId: null,
      authorized: !!req.headers.authorization,
      at: now(),
    };
    requests.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
    landDue();

    const fault = faults.pick(method, url.pathname);
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.kind === 'status')
      return sendError(
        res,
        fault.status >= 500 ? withStatus(errors.internal(), fault.status) : new EmuError(fault.status, errors.internal().items),
      );
    if (fault?.kind === 'rate_limit')
      return sendError(res, errors.rateLimited(behaviour.rateLimitCode), { 'Retry-After': String(fault.retryAfterSeconds) });

    const auth = req.headers.authorization;
    const m = auth ? /^Bearer (\S+)$/.exec(auth) : null;
    if (!m) return sendError(res, errors.headerFormat());
    const instance = instances.get(m[1]!);
    if (!instance) return sendError(res, errors.keyInvalid());
    entry.instanceId = instance.id;

    const matched = matchRoute(method, url.pathname);
    if (!matched) return sendError(res, errors.notFound());
    const bucket: Bucket | null = matched.route.bucket;
    limiter.mode = behaviour.window;
    limiter.count429 = behaviour.rejectedCount === 'counted_with_429';
    const scope = bucket?.startsWith('org_') && behaviour.orgLimits === 'per_organization' ? (matched.params['org'] ?? '') : '';
    if (bucket) {
      const wait = limiter.take(instance.id, bucket, instance.environment, now(), scope);
      if (wait !== null) return sendError(res, errors.rateLimited(behaviour.rateLimitCode), { 'Retry-After': String(wait) });
    }
    // A call that also draws a second limit (the waitlist invite, in one variant): refused when either is spent.
    const also = matched.route.alsoBucket?.(behaviour) ?? null;
    if (also) {
      const wait = limiter.take(instance.id, also, instance.environment, now(), scope);
      if (wait !== null) return sendError(res, errors.rateLimited(behaviour.rateLimitCode), { 'Retry-After': String(wait) });
    }
    // Whether a refused request counts against the limit is unknown: one variant takes it back.
    const refund = () => {
      if (bucket && behaviour.rejectedCount === 'not_counted') limiter.refund(instance.id, bucket, now(), scope);
      if (also && behaviour.rejectedCount === 'not_counted') limiter.refund(instance.id, also, now(), scope);
    };
    const body = await readBody(req);
    if (!body.ok) {
      refund();
      return sendError(res, errors.bodyInvalid());
    }
    if (fault?.kind === 'late_commit') {
      // The caller is cut off now; Clerk applies the request a little later (outcome unknown to the caller).
      req.socket.destroy();
      const apply = () => {
        try {
          matched.route.handle({
            instance,
            params: matched.params,
            query: url.searchParams,
            body: body.body,
            now: now(),
            baseUrl,
            behaviour,
          });
          lateCommits.push({ method, path: url.pathname, at: now(), committed: true });
        } catch {
          // refused when it finally ran (e.g. a duplicate): nothing committed
          lateCommits.push({ method, path: url.pathname, at: now(), committed: false });
        }
      };
      const timer = setTimeout(() => {
        lateTimers.delete(timer);
        apply();
      }, fault.delayMs);
      lateTimers.set(timer, { due: now() + fault.delayMs, apply });
      return;
    }
    if (fault?.kind === 'bad_ok') badOkAnswers++;
    if (fault?.kind === 'bad_ok' && !fault.commit) return send(res, 200, badOkBody(fault.body, undefined));
    try {
      const result = matched.route.handle({
        instance,
        params: matched.params,
        query: url.searchParams,
        body: body.body,
        now: now(),
        baseUrl,
        behaviour,
      });
      if (fault?.kind === 'reset_after_commit') {
        req.socket.destroy();
        return;
      }
      send(res, 200, fault?.kind === 'bad_ok' ? badOkBody(fault.body, result) : result);
    } catch (e) {
      if (e instanceof EmuError) {
        if (e.status < 500) refund();
        return sendError(res, e, e.headers);
      }
      sendError(res, errors.internal());
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendError(res, errors.internal());
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  baseUrl = `http://${options.host ?? '127.0.0.1'}:${address.port}`;

  return {
    /** Origin of the server, e.g. `http://127.0.0.1:41234`. */
    origin: baseUrl,
    /** What a client uses as its Clerk base URL. */
    apiUrl: `${baseUrl}/v1`,
    port: address.port,
    /** The first instance (created at start). */
    get instance(): EmuInstance {
      return [...instances.values()][0]!;
    },
    instances,
    addInstance,
    /** Invitations made outside Invite Desk, by the thousand (outside.ts), in the first instance or the one given. */
    seedOutside: (seed: OutsideSeed, instance?: EmuInstance) =>
      seedOutsideInvitations(instance ?? [...instances.values()][0]!, now(), seed),
    faults: {
      inject: (spec: FaultSpec) => faults.inject(spec),
      remove: (id: number) => faults.remove(id),
      clear: () => faults.clear(),
    },
    rateLimits: limiter,
    /**
     * The invitee clicks the link (tests and the Sandbox): the pending invitation of this address is accepted and the
     * user (or membership) made with its metadata, as the acceptance variants in `behaviour` say. False when none.
     */
    accept: (email: string, instance?: EmuInstance): boolean =>
      acceptInvitation(instance ?? [...instances.values()][0]!, email, now(), behaviour),
    /** Switch per test: `emulator.behaviour.partialBulk = true`. */
    behaviour,
    requests,
    /** Requests run after their caller was cut off (the late-commit fault): committed, or refused then. */
    lateCommits,
    /** Late commits still to land. */
    pendingLateCommits: () => lateTimers.size,
    /** 200 answers that did not show the outcome (`bad_ok` faults) served so far. */
    badOkAnswers: () => badOkAnswers,
    async close(): Promise<void> {
      for (const t of lateTimers.keys()) clearTimeout(t);
      lateTimers.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function withStatus(e: EmuError, status: number): EmuError {
  return new EmuError(status, e.items);
}
