/**
 * One real TCP endpoint, run inside a network namespace (`ip netns exec NS node peer.js …`).
 * It does only what the runner tells it on stdin (JSON lines) and reports every socket event on
 * stdout (JSON lines, `t` = CLOCK_MONOTONIC in ms, the same clock the runner reads), so the
 * scenario logic lives in one place, the case that drives it.
 *
 *   node peer.js listen PORT            accept one connection
 *   node peer.js connect HOST PORT      connect to it
 *
 * Commands: {"op":"write","data":"…"} · {"op":"pause"} (stop reading: data stays in the kernel's
 * receive queue) · {"op":"echo"} (write back every line read) · {"op":"keepalive","idleMs":N}
 * · {"op":"close"}. It exits when stdin closes or after a hard limit (bounded).
 */
import { createServer, type Socket, connect as tcpConnect } from 'node:net';
import { createInterface } from 'node:readline';

const HARD_LIMIT_MS = 300_000;
const now = (): number => Number(process.hrtime.bigint()) / 1e6;
const emit = (ev: string, extra: Record<string, unknown> = {}): void => {
  process.stdout.write(`${JSON.stringify({ t: now(), ev, ...extra })}\n`);
};

let sock: Socket | null = null;
let echo = false;
let buffered = '';

const attach = (s: Socket): void => {
  sock = s;
  s.setNoDelay(true);
  s.on('data', (chunk) => onData(s, chunk.toString()));
  s.on('end', () => emit('fin'));
  s.on('error', (e: NodeJS.ErrnoException) => emit('error', { code: e.code ?? e.message }));
  s.on('close', () => emit('close'));
};

const onData = (s: Socket, text: string): void => {
  emit('data', { data: text });
  if (!echo) return;
  buffered += text;
  const lines = buffered.split('\n');
  buffered = lines.pop() ?? '';
  for (const line of lines) {
    s.write(`${line}\n`);
    emit('wrote', { data: `${line}\n` });
  }
};

const [role, a, b] = process.argv.slice(2);
if (role === 'listen') {
  const server = createServer((s) => {
    emit('accept');
    attach(s);
    server.close();
  });
  server.listen(Number(a), () => emit('listening'));
} else if (role === 'connect') {
  emit('connecting');
  // With `onread`, pause() stops libuv reading (uv_read_stop), so unread data stays in the
  // kernel's receive queue; without it, pause() only stops the stream and libuv keeps reading.
  const buffer = Buffer.alloc(65536);
  const s: Socket = tcpConnect(
    {
      host: a as string,
      port: Number(b),
      onread: {
        buffer,
        callback: (n) => {
          onData(s, buffer.toString('utf8', 0, n));
          return true;
        },
      },
    },
    () => emit('connect'),
  );
  attach(s);
} else {
  process.stderr.write('usage: peer.js listen PORT | connect HOST PORT\n');
  process.exit(2);
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const cmd = JSON.parse(line) as { op: string; data?: string; idleMs?: number };
  if (cmd.op === 'echo') echo = true;
  else if (sock === null) return emit('error', { code: 'no socket yet' });
  else if (cmd.op === 'write') {
    sock.write(cmd.data ?? '');
    emit('wrote', { data: cmd.data ?? '' });
  } else if (cmd.op === 'pause') sock.pause();
  else if (cmd.op === 'keepalive') sock.setKeepAlive(true, cmd.idleMs ?? 0);
  else if (cmd.op === 'close') sock.end();
  emit('done', { op: cmd.op });
});
process.stdin.on('end', () => process.exit(0));
setTimeout(() => process.exit(3), HARD_LIMIT_MS).unref();
