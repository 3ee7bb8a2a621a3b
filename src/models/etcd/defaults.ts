import type { Constant, Knob } from '../knob.js';

/**
 * etcd lease liveness (github:etcd-io/etcd, tags v3.5.33 and v3.6.14; the liveness code below is
 * the same in both, see index.ts's version notes): the one table of defaults. A provider holds a
 * `concurrency.Session` (a lease kept alive by client/v3's lessor) and puts its key with that
 * lease; the server's lessor revokes an expired lease, which deletes the key; consumers watch the
 * key prefix. Server keys are etcd's flags (`--heartbeat-interval`, `--election-timeout`, the
 * embed.Config JSON names); the lease TTL is the session's `concurrency.WithTTL` option.
 */
export const ETCD_KEYS = {
  leaseTtl: 'concurrency.WithTTL',
  heartbeatInterval: 'heartbeat-interval',
  electionTimeout: 'election-timeout',
  lessorPhase: 'sim.server.lessorPhase',
} as const;

const T = 'etcd-io/etcd v3.6.14 (v3.5.33 alike)';
const CLIENT = `${T} client/v3/lease.go`;
const SESSION = `${T} client/v3/concurrency/session.go`;
const LESSOR = `${T} server/lease/lessor.go`;
const EMBED = `${T} server/embed/config.go`;
const SERVER = `${T} server/etcdserver/server.go`;

export const ETCD_KNOBS: readonly Knob[] = [
  {
    key: ETCD_KEYS.leaseTtl,
    aliases: ['lease-ttl', 'session-ttl', 'ttl'],
    type: 'number',
    default: 60,
    min: 1,
    max: 9_000_000_000,
    integer: true,
    description: 'seconds: the TTL the session asks its lease for (Grant); the server raises it to its minimum TTL; keepalives go TTL/3 after each answer',
    source: `${SESSION} defaultSessionTTL = 60, NewSession (client.Grant(ops.ctx, int64(ops.ttl))); ${LESSOR} MaxLeaseTTL = 9000000000`,
  },
  {
    key: ETCD_KEYS.heartbeatInterval,
    aliases: ['TickMs'],
    type: 'duration',
    default: 100,
    minMs: 1,
    description: 'the raft tick (ms): with the election timeout it sets the minimum lease TTL, ceil(((3 × electionTicks) / 2) × tick) in whole seconds',
    source: `${EMBED} TickMs: 100 (json "heartbeat-interval"); ${T} server/etcdmain/config.go flag --heartbeat-interval`,
  },
  {
    key: ETCD_KEYS.electionTimeout,
    aliases: ['ElectionMs'],
    type: 'duration',
    default: 1000,
    minMs: 1,
    maxMs: 50_000,
    description:
      'raft election timeout (ms, at least 5 × heartbeat-interval, below 50 s): sets the minimum lease TTL, and a new leader extends every lease by it (Promote)',
    source: `${EMBED} ElectionMs: 1000, Validate (5*cfg.TickMs > cfg.ElectionMs, maxElectionMs = 50000); ${SERVER} applyEntryNormal (s.lessor.Promote(s.Cfg.ElectionTimeout()))`,
  },
  {
    key: ETCD_KEYS.lessorPhase,
    type: 'duration',
    default: 'auto',
    minMs: 0,
    description: 'where the lessor’s 500 ms expiry checks fall after the clients start (auto: drawn from the run seed); below 500 ms',
    source: `livesim: ${LESSOR} runLoop's ticker starts with the server (NewLessor), unrelated to when the clients start`,
  },
];

export const ETCD_CONSTANTS = {
  /** recvKeepAlive: nextKeepAlive = now + (TTL × time.Second) / 3 (a time.Duration, integer ns). */
  keepAliveDivisor: 3,
  /** sendKeepAliveLoop waits retryConnWait between passes; each pass sends every lease whose nextKeepAlive is before now. */
  sendLoopMs: 500,
  /** deadlineLoop: every second, a keepalive whose deadline (last answer + TTL) is before now is closed. */
  deadlineLoopMs: 1000,
  /** NewLease: firstKeepAliveTimeout = DialTimeout + 1 s; 1 s (DialTimeout unset) becomes defaultTTL = 5 s. */
  firstKeepAliveTimeoutMs: 5000,
  /** runLoop: revokeExpiredLeases every 500 ms. */
  lessorCheckMs: 500,
  /** defaultLeaseRevokeRate = 1000 per second; revokeExpiredLeases takes at most rate / 2 per pass. */
  revokeRatePerSecond: 1000,
  revokeLimitDivisor: 2,
  /** server.go: minTTL = ((3 × electionTicks) / 2) ticks (integer division), in whole seconds rounded up. */
  minTtlNumerator: 3,
  minTtlDenominator: 2,
  /** embed.Config.Validate: the election timeout must be at least 5 heartbeat intervals. */
  minElectionTicks: 5,
  /** bootstrap.go raftConfig: HeartbeatTick 1 (the leader sends heartbeats every tick), CheckQuorum true; PreVote true (embed.NewConfig). */
  heartbeatTicks: 1,
  /** raft.go resetRandomizedElectionTimeout: electionTimeout + rand.Intn(electionTimeout) ticks. */
  electionJitterFactor: 1,
  /** A majority: more than half of the members. */
  quorumDivisor: 2,
  /** ServerConfig.ReqTimeout = 5 s + 2 × election timeout: the lessor proposes an expired lease's revoke again after it (ExpiredLeasesRetryInterval). */
  reqTimeoutBaseMs: 5000,
  reqTimeoutElections: 2,
  /** diagnose: the leader is crashed this long after the user's fault (a leader change while the lease runs out). */
  leaderChangeAfterFaultMs: 20_000,
  /** diagnose: the TTL the leader-change cause suggests, and the cluster it needs. */
  shortTtlS: 10,
  clusterMembers: 3,
  /** One second, in ms: TTLs are whole seconds. */
  secondMs: 1000,
  /** livesim: a provider whose session ended asks for a new one; its Grant is sent again every second until answered. */
  regrantRetryMs: 1000,
} as const;

const RAFT = 'etcd-io/etcd v3.5.33 raft/raft.go (go.etcd.io/raft/v3 in v3.6, the same election code)';

export const ETCD_CONSTANT_ROWS: readonly Constant[] = [
  {
    name: 'raft heartbeat',
    value: ETCD_CONSTANTS.heartbeatTicks,
    unit: 'count',
    description:
      'ticks (heartbeat-interval) between the leader’s heartbeats; a follower that hears none for its randomized election timeout campaigns (pre-vote, then vote)',
    source: `${T} server/etcdserver/bootstrap.go raftConfig (HeartbeatTick: 1, CheckQuorum: true, PreVote: cfg.PreVote); ${EMBED} PreVote: true; ${RAFT} tickElection, tickHeartbeat`,
  },
  {
    name: 'randomized election timeout',
    value: ETCD_CONSTANTS.electionJitterFactor,
    unit: 'ratio',
    description:
      'a follower’s election timeout is electionTicks plus a random 0…electionTicks − 1 ticks, drawn again at every change of role; a voter heard from its leader within electionTicks ignores (pre-)votes',
    source: `${RAFT} resetRandomizedElectionTimeout (r.electionTimeout + globalRand.Intn(r.electionTimeout)), Step (inLease := r.checkQuorum && r.lead != None && r.electionElapsed < r.electionTimeout)`,
  },
  {
    name: 'keepalive after an answer',
    value: ETCD_CONSTANTS.keepAliveDivisor,
    unit: 'count',
    description: 'the next keepalive is due TTL / 3 after each keepalive answer (not after the send: an unanswered lease is sent again every pass)',
    source: `${CLIENT} recvKeepAlive (nextKeepAlive := time.Now().Add((time.Duration(karesp.TTL) * time.Second) / 3.0))`,
  },
  {
    name: 'keepalive send loop',
    value: ETCD_CONSTANTS.sendLoopMs,
    unit: 'ms',
    description: 'the send loop wakes every 500 ms and sends each lease whose next keepalive is due: a keepalive leaves up to 500 ms after TTL / 3',
    source: `${CLIENT} sendKeepAliveLoop (ka.nextKeepAlive.Before(now); time.After(retryConnWait)), retryConnWait = 500 * time.Millisecond`,
  },
  {
    name: 'client lease deadline check',
    value: ETCD_CONSTANTS.deadlineLoopMs,
    unit: 'ms',
    description: 'every second the client closes a keepalive not answered for TTL (deadline = last answer + TTL): the session is Done',
    source: `${CLIENT} deadlineLoop (time.NewTimer(time.Second); ka.deadline.Before(now)), recvKeepAlive (ka.deadline = time.Now().Add(TTL))`,
  },
  {
    name: 'first keepalive timeout',
    value: ETCD_CONSTANTS.firstKeepAliveTimeoutMs,
    unit: 'ms',
    description: 'the deadline before the first answer (DialTimeout unset)',
    source: `${CLIENT} NewLease (c.cfg.DialTimeout+time.Second), NewLeaseFromLeaseClient (== time.Second → defaultTTL = 5 * time.Second)`,
  },
  {
    name: 'lessor expiry check',
    value: ETCD_CONSTANTS.lessorCheckMs,
    unit: 'ms',
    description: 'the leader’s lessor revokes the leases past their expiry (now ≥ renewal + TTL) every 500 ms; the keys go with them',
    source: `${LESSOR} runLoop (time.NewTicker(500 * time.Millisecond) in v3.6, time.After(500 * time.Millisecond) in v3.5), revokeExpiredLeases, Lease.expired (Remaining() <= 0)`,
  },
  {
    name: 'lease revoke rate',
    value: ETCD_CONSTANTS.revokeRatePerSecond,
    unit: 'count',
    description: 'leases revoked per second at most: each 500 ms pass takes at most half of it, the earliest expiry first',
    source: `${LESSOR} defaultLeaseRevokeRate = 1000, revokeExpiredLeases (revokeLimit := le.leaseRevokeRate / 2)`,
  },
  {
    name: 'minimum lease TTL',
    value: ETCD_CONSTANTS.minTtlNumerator / ETCD_CONSTANTS.minTtlDenominator,
    unit: 'ratio',
    description:
      'of the election ticks, counted in heartbeat ticks with integer division, then rounded up to whole seconds: 1000 ms / 100 ms → (3 × 10) / 2 = 15 ticks = 1.5 s → 2 s',
    source: `${SERVER} NewServer (minTTL := time.Duration((3*cfg.ElectionTicks)/2) * heartbeat; MinLeaseTTL: int64(math.Ceil(minTTL.Seconds()))); ${LESSOR} Grant (l.ttl < le.minLeaseTTL)`,
  },
  {
    name: 'revoke retry',
    value: ETCD_CONSTANTS.reqTimeoutBaseMs,
    unit: 'ms',
    description: 'cluster: an expired lease whose revoke is not applied yet is proposed again after 5 s + 2 × the election timeout',
    source: `${T} server/config/config.go ReqTimeout (5*time.Second + 2*ElectionTicks*TickMs); ${SERVER} NewServer (ExpiredLeasesRetryInterval: srv.Cfg.ReqTimeout()); ${LESSOR} expireExists`,
  },
  {
    name: 'new session retry',
    value: ETCD_CONSTANTS.regrantRetryMs,
    unit: 'ms',
    description:
      'livesim: when a session ends (lease expired or unanswered for TTL) the provider opens a new one (Grant, Put); the unary Grant over TCP is modelled as a datagram sent again every second until answered',
    source: `livesim; ${SESSION} Done ("closes when the lease is orphaned, expires, or is otherwise no longer being refreshed": a new session is the application's)`,
  },
];
