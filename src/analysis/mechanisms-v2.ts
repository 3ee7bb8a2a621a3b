import { V2_CONSTANTS as K, V2_KEYS as KEY } from '../models/nacos-v2/defaults.js';
import { v2ProviderSettings } from '../models/nacos-v2/sdk-go.js';
import type { V2Settings } from '../models/nacos-v2/settings.js';
import { atLeast, formatVersion, type Version } from '../models/version.js';
import type { Fault } from '../sim/faults.js';
import type { Interval } from './bounds.js';
import { type V2BoundsInput, v2Bounds } from './bounds-v2.js';
import { type Envelope, EPS, envelope, lastHeard, quietBeforeFaultLowerMs, roundUs, serverGiveUp, silentApplies, silentParts } from './bounds-v2-silent.js';
import type { Mechanism, RemovalMechanisms } from './mechanisms.js';

/**
 * Each mechanism of a Nacos 2.x server that can end the connection of a client that fell silent,
 * with its own window from the fault, split out of silentFromFault (bounds-v2-silent.ts) so that
 * the windows of those that apply span exactly its bound:
 *   - no answer caught by the fault: the ejector or the PING (from the last request heard), or
 *     SO_KEEPALIVE if it ends before either puts data on the wire;
 *   - an answer caught unacknowledged (cut: it left at most dmax before the fault; s2c: always):
 *     tcp_retries2 on it, unless the ejector or the PING ends the connection first.
 */

const w = (lowerMs: number, upperMs: number): Interval => ({ lowerMs: roundUs(lowerMs), upperMs: roundUs(upperMs) });
const shift = (heard: Interval, i: Interval): Interval => w(heard.lowerMs + i.lowerMs - EPS, heard.upperMs + i.upperMs);
const secs = (ms: number): string => `${Number((ms / 1000).toFixed(3))} s`;

const SRC = {
  ejector: 'core/.../remote/NacosRuntimeConnectionEjector.doEject (2.3.0+, #10509; 2.2.0-2.2.4 only log, #9653); 2.0/2.1: ConnectionManager.start',
  ping: 'core/.../remote/grpc/GrpcSdkServer.getKeepAliveTime/getKeepAliveTimeout (from 2.2.1; before: BaseGrpcServer, grpc-java NettyServerBuilder defaults 2 h / 20 s)',
  soKeepalive: 'grpc-java NettyServerBuilder (SO_KEEPALIVE on accepted sockets); linux net/ipv4/tcp_timer.c tcp_keepalive_timer',
  retries2: 'linux net/ipv4/tcp_timer.c tcp_write_timeout / retransmits_timed_out (tcp_retries2)',
  close: 'core/.../remote/grpc/GrpcBiStreamRequestAcceptor (onCompleted/onError → ConnectionManager.unregister)',
};

interface Named {
  readonly ejector: string;
  readonly ping: string;
  readonly soKeepalive: string;
  readonly retries2: string;
}

const names = (s: V2Settings, server: Version): Named => {
  const k = s.serverKernel;
  return {
    ejector: `the ejector (NacosRuntimeConnectionEjector: idle ${secs(K.idleLimitMs)}, ${secs(K.ejectorPeriodMs)} ticks, probe ${secs(s.ejection ? s.probeTimeoutMs : K.probeTimeoutMs)})`,
    ping: `the gRPC server keep-alive (PING after ${secs(s.serverKeepAliveMs)} without a read, timeout ${secs(s.serverKeepAliveTimeoutMs)}${
      atLeast(server, '2.2.1') ? `; ${KEY.serverKeepAlive} / ${KEY.serverKeepAliveTimeout}` : '; fixed before 2.2.1'
    })`,
    soKeepalive: `the server socket's SO_KEEPALIVE (tcp_keepalive_time ${secs(k.keepaliveTimeMs)} + ${k.keepaliveProbes} × ${secs(k.keepaliveIntvlMs)}; sim.server.net.ipv4.tcp_keepalive_*)`,
    retries2: `the server kernel giving up retransmitting (tcp_retries2 = ${k.retries2}; sim.server.net.ipv4.tcp_retries2)`,
  };
};

const mech = (id: Mechanism['id'], name: string, source: string, window: Interval | null, note: string | null): Mechanism => ({
  id,
  name,
  source,
  window: window !== null && window.lowerMs < window.upperMs ? window : null,
  note,
});

/** A silent fault (cut, oneway, pause) whose bound is a window: each mechanism with its own. */
const silent = (s: V2Settings, d: Envelope, f: Fault, n: Named, version: string): Mechanism[] => {
  const rtx = serverGiveUp(s, d);
  const heard = lastHeard(f, s, d);
  const s2c = f.kind === 'oneway' && f.direction === 's2c';
  const p = silentParts(s, d, rtx, !s2c);
  const on = silentApplies(p);
  const baseId = s.ejection ? 'ejector' : 'grpc-keepalive';
  const baseName = s.ejection ? n.ejector : n.ping;
  const baseSrc = s.ejection ? SRC.ejector : SRC.ping;
  const noEjector = mech('ejector', n.ejector, SRC.ejector, null, `no ejector in ${version}: doEject only logs (2.2.0-2.2.4, #9653)`);
  const other = s.ejection ? [] : [noEjector];
  if (s2c) {
    // The answer to the last request heard is lost: whichever of the two comes first from there.
    const first = Math.min(p.base.upperMs, rtx.upperMs);
    // Or the last read came before F and the PING / probe after it is the first thing lost (quietBeforeFaultLowerMs).
    const baseLower = Math.min(heard.lowerMs + p.base.lowerMs - EPS, quietBeforeFaultLowerMs(s, d, rtx));
    const base = p.base.lowerMs < rtx.upperMs ? w(baseLower, heard.upperMs + first) : null;
    const give = rtx.lowerMs < p.base.upperMs ? w(heard.lowerMs + rtx.lowerMs - EPS, heard.upperMs + first) : null;
    return [
      ...other,
      mech(baseId, baseName, baseSrc, base, base === null ? 'tcp_retries2 gives up on the lost answer first' : null),
      mech('so-keepalive', n.soKeepalive, SRC.soKeepalive, null, 'the lost answer stays unacknowledged: keepalive probes only an idle socket'),
      mech(
        'tcp-retries2',
        n.retries2,
        SRC.retries2,
        give,
        give === null ? `${s.ejection ? 'the ejector' : 'the PING'} ends it first` : 'on the answer s2c swallows',
      ),
    ];
  }
  // No answer caught: from the last request heard.
  const baseFree = on.base ? shift(heard, p.base) : null;
  const ka = on.keepalive && p.keepalive !== null ? shift(heard, p.keepalive) : null;
  // An answer caught in flight: the kernel gives up on it, or the ejector / PING comes first.
  const caughtUpper = Math.min(p.base.upperMs + heard.upperMs, rtx.upperMs);
  const give = w(rtx.lowerMs - d.max - EPS, caughtUpper);
  const baseCaught = heard.lowerMs + p.base.lowerMs < rtx.upperMs ? w(heard.lowerMs + p.base.lowerMs - EPS, caughtUpper) : null;
  const base =
    baseFree === null
      ? baseCaught
      : baseCaught === null
        ? baseFree
        : w(Math.min(baseFree.lowerMs, baseCaught.lowerMs), Math.max(baseFree.upperMs, baseCaught.upperMs));
  const firstData = s.ejection ? 'the ejector probe' : `the PING at ${secs(s.serverKeepAliveMs)}`;
  const giveOk = give.lowerMs < give.upperMs;
  return [
    ...other,
    mech(baseId, baseName, baseSrc, base, base === null ? 'SO_KEEPALIVE resets the connection before it starts' : null),
    mech(
      'so-keepalive',
      n.soKeepalive,
      SRC.soKeepalive,
      ka,
      ka === null ? `${firstData} puts data on the wire first, and keepalive probes only an idle socket` : null,
    ),
    mech(
      'tcp-retries2',
      n.retries2,
      SRC.retries2,
      giveOk ? give : null,
      giveOk
        ? 'only if the fault catches an answer in flight, the one thing ever unacknowledged'
        : `nothing unacknowledged long enough: ${s.ejection ? 'the ejector' : 'the PING'} ends it first`,
    ),
  ];
};

/** The 2.x mechanisms for one client and one server under the user's fault. */
export const v2Mechanisms = (input: V2BoundsInput): RemovalMechanisms => {
  const removal = v2Bounds(input).removedFromFault;
  const s = v2ProviderSettings(input.config, { client: input.clientVersion, server: input.serverVersion });
  const version = formatVersion(input.serverVersion);
  const n = names(s, input.serverVersion);
  const f = input.faults[0];
  if (removal.kind !== 'within' || f === undefined) return { removal, mechanisms: [] };
  const d = envelope(input.latency);
  if (f.kind === 'crash' || f.kind === 'rst') {
    const what = f.kind === 'crash' ? "the client's OS closes the socket: its FIN" : 'the reset';
    return { removal, mechanisms: [mech('close', `${what} reaches the server`, SRC.close, removal.interval, null)] };
  }
  return { removal, mechanisms: silent(s, d, f, n, version) };
};
