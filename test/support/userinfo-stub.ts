import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type StubBehaviour =
  | { kind: 'user'; claims: Record<string, unknown> }
  | { kind: 'status'; status: number }
  | { kind: 'reset' }
  | { kind: 'hang' };

/**
 * A real userinfo server on 127.0.0.1 with a random port, which the test
 * controls: each token gets a behaviour, and every lookup is counted.
 */
export class UserinfoStub {
  readonly lookups = new Map<string, number>();
  /** Every Authorization header seen, to prove the guard sends the token as is. */
  readonly headers: string[] = [];
  private readonly tokens = new Map<string, StubBehaviour>();
  private readonly sockets = new Set<Socket>();
  private server?: Server;
  /** Delay before answering, to hold lookups in flight together. */
  delayMs = 0;
  fallback: StubBehaviour = { kind: 'status', status: 401 };

  get url(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}/userinfo`;
  }

  /** A token for this user and client. */
  user(token: string, userId: string, clientId: string, extra: Record<string, unknown> = {}): string {
    this.tokens.set(token, { kind: 'user', claims: { id: userId, cid: clientId, ...extra } });
    return token;
  }

  set(token: string, behaviour: StubBehaviour): string {
    this.tokens.set(token, behaviour);
    return token;
  }

  lookupCount(token?: string): number {
    if (token !== undefined) return this.lookups.get(token) ?? 0;
    return [...this.lookups.values()].reduce((a, b) => a + b, 0);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.answer(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const header = req.headers.authorization ?? '';
    this.headers.push(header);
    const token = header.replace(/^Bearer /, '');
    this.lookups.set(token, (this.lookups.get(token) ?? 0) + 1);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const behaviour = this.tokens.get(token) ?? this.fallback;
    switch (behaviour.kind) {
      case 'user':
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(behaviour.claims));
        return;
      case 'status':
        res.writeHead(behaviour.status, { 'content-type': 'application/json' }).end('{"error":"stub"}');
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'hang':
        return;
    }
  }
}
