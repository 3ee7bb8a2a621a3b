import type { Constant, Knob } from '../knob.js';

/**
 * ZooKeeper ephemeral-node liveness, one standalone server (github:apache/zookeeper
 * release-3.9.3) with Curator clients (github:apache/curator apache-curator-5.9.0): the one table
 * of defaults. Server keys are zoo.cfg's; the session and connection timeouts are what Curator's
 * CuratorFrameworkFactory asks for unless told otherwise.
 */
export const ZK_KEYS = {
  tickTime: 'tickTime',
  minSessionTimeout: 'minSessionTimeout',
  maxSessionTimeout: 'maxSessionTimeout',
  sessionTimeout: 'curator-default-session-timeout',
  connectionTimeout: 'curator-default-connection-timeout',
  tickPhase: 'sim.server.tickPhase',
} as const;

const ZK = 'apache/zookeeper release-3.9.3 zookeeper-server/src/main/java/org/apache/zookeeper';
const CURATOR = 'apache/curator apache-curator-5.9.0 curator-framework/src/main/java/org/apache/curator/framework/CuratorFrameworkFactory.java';

export const ZK_KNOBS: readonly Knob[] = [
  {
    key: ZK_KEYS.tickTime,
    type: 'duration',
    default: 3000,
    minMs: 1,
    description: 'the server tick: sessions expire in buckets of one tick (ExpiryQueue), and bound the negotiated timeout',
    source: `${ZK}/server/ZooKeeperServer.java DEFAULT_TICK_TIME = 3000; server/SessionTrackerImpl (new ExpiryQueue<>(tickTime))`,
  },
  {
    key: ZK_KEYS.minSessionTimeout,
    type: 'duration',
    default: 'auto',
    minMs: 1,
    description: 'lowest session timeout the server grants (auto: 2 × tickTime)',
    source: `${ZK}/server/ZooKeeperServer.java setMinSessionTimeout (min == -1 ? tickTime * 2), processConnectRequest`,
  },
  {
    key: ZK_KEYS.maxSessionTimeout,
    type: 'duration',
    default: 'auto',
    minMs: 1,
    description: 'highest session timeout the server grants (auto: 20 × tickTime)',
    source: `${ZK}/server/ZooKeeperServer.java setMaxSessionTimeout (max == -1 ? tickTime * 20), processConnectRequest`,
  },
  {
    key: ZK_KEYS.sessionTimeout,
    aliases: ['sessionTimeoutMs', 'session.timeout'],
    type: 'duration',
    default: 60000,
    minMs: 1,
    description: 'session timeout the client asks for (the server clamps it to [min, max]): the client reads with 2/3 of it and pings after 1/3',
    source: `${CURATOR} DEFAULT_SESSION_TIMEOUT_MS (Integer.getInteger("curator-default-session-timeout", 60 * 1000))`,
  },
  {
    key: ZK_KEYS.connectionTimeout,
    aliases: ['connectionTimeoutMs'],
    type: 'duration',
    default: 15000,
    minMs: 1,
    description: 'Curator’s connection timeout (how long a blocked call waits for a connection; it does not move liveness here)',
    source: `${CURATOR} DEFAULT_CONNECTION_TIMEOUT_MS (15 * 1000)`,
  },
  {
    key: ZK_KEYS.tickPhase,
    type: 'duration',
    default: 'auto',
    minMs: 0,
    description: 'where the expiry buckets (multiples of tickTime on the server’s clock) fall after the clients start (auto: drawn from the run seed)',
    source: 'livesim: ExpiryQueue rounds to multiples of tickTime of Time.currentElapsedTime(), unrelated to when the clients start',
  },
];

export const ZK_CONSTANTS = {
  /** ZooKeeperServer: minSessionTimeout -1 → tickTime * 2, maxSessionTimeout -1 → tickTime * 20. */
  minSessionTicks: 2,
  maxSessionTicks: 20,
  /** ClientCnxn: readTimeout = sessionTimeout * 2 / 3 (ints). */
  readTimeoutNumerator: 2,
  readTimeoutDenominator: 3,
  /** ClientCnxn: expirationTimeout = sessionTimeout * 4 / 3: not heard for this long, the client closes the session itself. */
  expirationNumerator: 4,
  expirationDenominator: 3,
  /** ClientCnxn.SendThread.run: a ping is due at readTimeout / 2 of send idleness (less 1000 ms once idle over 1 s). */
  pingDivisor: 2,
  pingEarlyMs: 1000,
  /** ClientCnxn.SendThread.startConnect: a reconnect first sleeps a random 0…999 ms. */
  reconnectSleepMaxMs: 1000,
} as const;

export const ZK_CONSTANT_ROWS: readonly Constant[] = [
  {
    name: 'read timeout',
    value: ZK_CONSTANTS.readTimeoutNumerator / ZK_CONSTANTS.readTimeoutDenominator,
    unit: 'ratio',
    description: 'of the negotiated session timeout: nothing heard for this long, the client drops the connection and reconnects',
    source: `${ZK}/ClientCnxn.java readTimeout = negotiatedSessionTimeout * 2 / 3`,
  },
  {
    name: 'ping after send idleness',
    value: ZK_CONSTANTS.pingDivisor,
    unit: 'count',
    description: 'a ping when nothing was sent for readTimeout / 2 (the loop wakes then; once idle over 1 s it would ping 1 s earlier)',
    source: `${ZK}/ClientCnxn.java SendThread.run (timeToNextPing = readTimeout / 2 - idleSend - (idleSend > 1000 ? 1000 : 0))`,
  },
  {
    name: 'client-side session expiry',
    value: ZK_CONSTANTS.expirationNumerator / ZK_CONSTANTS.expirationDenominator,
    unit: 'ratio',
    description: 'of the session timeout: not heard for this long, the client closes the session (SessionTimeoutException) and Curator starts a new one',
    source: `${ZK}/ClientCnxn.java expirationTimeout = negotiatedSessionTimeout * 4 / 3`,
  },
  {
    name: 'reconnect sleep',
    value: ZK_CONSTANTS.reconnectSleepMaxMs,
    unit: 'ms',
    description: 'a reconnect waits a random time below this first',
    source: `${ZK}/ClientCnxn.java SendThread.startConnect (ThreadLocalRandom.nextLong(1000))`,
  },
];
