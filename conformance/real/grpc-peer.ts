/**
 * grpc-js with the Nacos client's health loop, run inside a network namespace.
 *
 *   node grpc-peer.js server PORT
 *   node grpc-peer.js client HOST PORT KEEPALIVE_MS TIMEOUT_MS RETRY
 *
 * The server answers Nacos's unary `/Request/request` (nacos-grpc-service.proto: service Request
 * { rpc request (Payload) returns (Payload) }) with raw bytes; the payload does not matter here.
 * The client runs RpcClient's loop as at tag 2.2.3 (common/.../remote/client/RpcClient.java): wait
 * `keepAlive` after the last success (reconnectionSignal.poll(keepAliveTime) then the
 * lastActiveTimeStamp check), then healthCheck(): up to retry + 1 attempts, each a request with
 * the health timeout as deadline, no sleep between them before 2.2.4. Events go to stdout as JSON
 * lines stamped with CLOCK_MONOTONIC ms. Bounded: exits after `unhealthy`, or a hard limit.
 */
import * as grpc from '@grpc/grpc-js';

const HARD_LIMIT_MS = 300_000;
const now = (): number => Number(process.hrtime.bigint()) / 1e6;
const emit = (ev: string, extra: Record<string, unknown> = {}): void => {
  process.stdout.write(`${JSON.stringify({ t: now(), ev, ...extra })}\n`);
};
const raw = (b: Buffer): Buffer => b;
const SERVICE: grpc.ServiceDefinition = {
  request: {
    path: '/Request/request',
    requestStream: false,
    responseStream: false,
    requestSerialize: raw,
    requestDeserialize: raw,
    responseSerialize: raw,
    responseDeserialize: raw,
  },
};

const [role, ...args] = process.argv.slice(2);
setTimeout(() => process.exit(3), HARD_LIMIT_MS).unref();

if (role === 'server') {
  const server = new grpc.Server();
  server.addService(SERVICE, { request: (_call: unknown, cb: (e: null, r: Buffer) => void) => cb(null, Buffer.from('ok')) });
  server.bindAsync(`0.0.0.0:${args[0]}`, grpc.ServerCredentials.createInsecure(), (err) => {
    if (err) throw err;
    emit('listening');
  });
} else if (role === 'client') {
  const [host, port, keepAliveMs, timeoutMs, retry] = [args[0], ...args.slice(1).map(Number)] as [string, number, number, number, number];
  const Client = grpc.makeGenericClientConstructor(SERVICE, 'Request');
  const client = new Client(`${host}:${port}`, grpc.credentials.createInsecure());
  const request = (): Promise<boolean> =>
    new Promise((resolve) => {
      (client as unknown as { request: (b: Buffer, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null) => void) => void }).request(
        Buffer.from('health'),
        { deadline: Date.now() + timeoutMs },
        (e) => {
          if (e) emit('attempt-failed', { code: grpc.status[e.code] });
          resolve(e === null);
        },
      );
    });
  const healthCheck = async (): Promise<boolean> => {
    for (let left = retry; left >= 0; left--) if (await request()) return true;
    return false;
  };
  const loop = async (): Promise<void> => {
    for (;;) {
      await new Promise((r) => setTimeout(r, keepAliveMs));
      if (await healthCheck()) emit('check-ok');
      else {
        emit('unhealthy');
        process.exit(0);
      }
    }
  };
  request().then((ok) => {
    emit(ok ? 'check-ok' : 'unhealthy');
    if (ok) void loop();
  });
} else {
  process.stderr.write('usage: grpc-peer.js server PORT | client HOST PORT KEEPALIVE_MS TIMEOUT_MS RETRY\n');
  process.exit(2);
}
