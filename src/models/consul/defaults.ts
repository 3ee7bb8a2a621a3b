import type { Constant, Knob } from '../knob.js';

/**
 * Consul liveness (github:hashicorp/consul, agent and server; github:hashicorp/memberlist v0.5.1,
 * the SWIM/Lifeguard layer under Serf): the one table of defaults. Keys are the agent
 * configuration's (HCL/JSON names: `gossip_lan.probe_interval`, a check's `ttl` and
 * `deregister_critical_service_after`), aliased by memberlist's Config field names; memberlist
 * fields Consul does not expose are keyed by their field name. The consul snapshot is larger than
 * the fetch limit here, so its files were read one by one from the stored index (the commit each
 * was stored at is named; the code read is the same in the 1.x releases around it).
 */
export const CONSUL_KEYS = {
  checkType: 'sim.checkType',
  ttl: 'ttl',
  interval: 'interval',
  timeout: 'timeout',
  deregisterAfter: 'deregister_critical_service_after',
  probeInterval: 'gossip_lan.probe_interval',
  probeTimeout: 'gossip_lan.probe_timeout',
  suspicionMult: 'gossip_lan.suspicion_mult',
  gossipInterval: 'gossip_lan.gossip_interval',
  gossipNodes: 'gossip_lan.gossip_nodes',
  retransmitMult: 'gossip_lan.retransmit_mult',
  indirectChecks: 'IndirectChecks',
  suspicionMaxMult: 'SuspicionMaxTimeoutMult',
  awarenessMax: 'AwarenessMaxMultiplier',
  gossipToTheDead: 'GossipToTheDeadTime',
  ttlUpdateInterval: 'sim.app.ttlUpdateInterval',
  agentPhase: 'sim.agentStartPhase',
} as const;

const ML = 'hashicorp/memberlist v0.5.1';
const ML_LAN = `${ML} config.go DefaultLANConfig`;
const CONSUL_DEFAULTS =
  'hashicorp/consul agent/config/default.go DefaultSource gossip_lan (from consul.DefaultConfig → memberlist DefaultLANConfig; read at 00ca99bf)';

export const CONSUL_KNOBS: readonly Knob[] = [
  {
    key: CONSUL_KEYS.checkType,
    type: 'enum',
    default: 'ttl',
    values: ['ttl', 'http'],
    description: 'the service’s check: a TTL check the application passes, or an HTTP check the agent runs against it every `interval`',
    source: 'hashicorp/consul agent/structs/check_type.go (IsTTL, IsHTTP); agent/agent.go addCheck; livesim: one check per service',
  },
  {
    key: CONSUL_KEYS.interval,
    aliases: ['check.interval'],
    type: 'duration',
    default: 10000,
    minMs: 1,
    description:
      'HTTP check: the agent requests the application this long after the previous check ended (the first after a random stagger within one interval); below 1 s it is raised to 1 s',
    source:
      'hashicorp/consul agent/checks/check.go CheckHTTP.run (lib.RandomStagger(Interval), then time.After(Interval) after each check), MinInterval = time.Second; agent/agent.go addCheck; Consul has no default interval: 10 s is the docs’ example',
  },
  {
    key: CONSUL_KEYS.timeout,
    aliases: ['check.timeout'],
    type: 'duration',
    default: 10000,
    minMs: 1,
    description: 'HTTP check: a request unanswered this long (a paused application) turns the check critical; a refused one (a crashed application) at once',
    source: 'hashicorp/consul agent/checks/check.go CheckHTTP.Start (http.Client{Timeout: 10 * time.Second}, Timeout when set), check (an error → critical)',
  },
  {
    key: CONSUL_KEYS.ttl,
    aliases: ['check.ttl'],
    type: 'duration',
    default: 30000,
    minMs: 1,
    description: "the service's TTL check: critical once this long passes without an update (PUT /v1/agent/check/pass) from the application",
    source:
      'hashicorp/consul agent/checks/check.go CheckTTL (timer := time.NewTimer(TTL), SetStatus → timer.Reset(TTL), expiry → UpdateCheck(critical); read at 0303d8c3); Consul has no default TTL: 30 s is the docs’ example',
  },
  {
    key: CONSUL_KEYS.deregisterAfter,
    aliases: ['check.deregister_critical_service_after'],
    type: 'duration',
    default: 0,
    minMs: 0,
    description:
      'the agent deregisters the service once one of its checks has been critical longer than this (0: never, the default); below 1 min it is raised to 1 min',
    source:
      'hashicorp/consul agent/agent.go addCheck (DeregisterCriticalServiceAfter > 0; raised to CheckDeregisterIntervalMin) and reapServicesInternal (CriticalFor() > timeout → RemoveService)',
  },
  {
    key: CONSUL_KEYS.probeInterval,
    aliases: ['ProbeInterval'],
    type: 'duration',
    default: 1000,
    minMs: 1,
    description:
      'memberlist probes one member every interval (round robin over a shuffled list); the wait for indirect acks is this × the local health multiplier',
    source: `${ML_LAN} ProbeInterval = 1 * time.Second; ${ML} state.go schedule, probe, probeNode; ${CONSUL_DEFAULTS}`,
  },
  {
    key: CONSUL_KEYS.probeTimeout,
    aliases: ['ProbeTimeout'],
    type: 'duration',
    default: 500,
    minMs: 1,
    description: 'wait for the direct ack before the indirect probes go out; also how long an indirect prober waits before its nack',
    source: `${ML_LAN} ProbeTimeout = 500 * time.Millisecond; ${ML} state.go probeNode, net.go handleIndirectPing; ${CONSUL_DEFAULTS}`,
  },
  {
    key: CONSUL_KEYS.suspicionMult,
    aliases: ['SuspicionMult'],
    type: 'number',
    default: 4,
    min: 1,
    max: 100,
    integer: true,
    description: 'suspicion timeout min = this × max(1, log10(N)) × probe interval; confirmations wanted k = this − 2 (0 below 4 members)',
    source: `${ML_LAN} SuspicionMult = 4; ${ML} util.go suspicionTimeout, state.go suspectNode; ${CONSUL_DEFAULTS}`,
  },
  {
    key: CONSUL_KEYS.gossipInterval,
    aliases: ['GossipInterval'],
    type: 'duration',
    default: 200,
    minMs: 1,
    description: 'every interval a member sends its queued broadcasts (alive, suspect, dead) to GossipNodes random members',
    source: `${ML_LAN} GossipInterval = 200 * time.Millisecond; ${ML} state.go gossip; ${CONSUL_DEFAULTS}`,
  },
  {
    key: CONSUL_KEYS.gossipNodes,
    aliases: ['GossipNodes'],
    type: 'number',
    default: 3,
    min: 1,
    max: 100,
    integer: true,
    description: 'members each gossip round goes to (alive and suspect ones, and the dead for GossipToTheDeadTime)',
    source: `${ML_LAN} GossipNodes = 3; ${CONSUL_DEFAULTS}`,
  },
  {
    key: CONSUL_KEYS.retransmitMult,
    aliases: ['RetransmitMult'],
    type: 'number',
    default: 4,
    min: 1,
    max: 100,
    integer: true,
    description: 'a broadcast is sent this × ceil(log10(N + 1)) times, piggybacked on pings, acks and gossip',
    source: `${ML_LAN} RetransmitMult = 4; ${ML} util.go retransmitLimit, queue.go TransmitLimitedQueue; ${CONSUL_DEFAULTS}`,
  },
  {
    key: CONSUL_KEYS.indirectChecks,
    type: 'number',
    default: 3,
    min: 0,
    max: 100,
    integer: true,
    description: 'members asked to probe a target that missed its direct ack (memberlist field; Consul does not expose it)',
    source: `${ML_LAN} IndirectChecks = 3; ${ML} state.go probeNode (kRandomNodes(IndirectChecks, …))`,
  },
  {
    key: CONSUL_KEYS.suspicionMaxMult,
    type: 'number',
    default: 6,
    min: 1,
    max: 100,
    integer: true,
    description: 'a suspicion starts at this × the minimum timeout and shrinks towards the minimum with each independent confirmation (memberlist field)',
    source: `${ML_LAN} SuspicionMaxTimeoutMult = 6; ${ML} suspicion.go newSuspicion, remainingSuspicionTime, Confirm`,
  },
  {
    key: CONSUL_KEYS.awarenessMax,
    type: 'number',
    default: 8,
    min: 1,
    max: 100,
    integer: true,
    description: 'Lifeguard local health: the probe interval is scaled by (score + 1), score in [0, this − 1] (memberlist field)',
    source: `${ML_LAN} AwarenessMaxMultiplier = 8; ${ML} awareness.go ApplyDelta, ScaleTimeout; state.go probeNode (awarenessDelta), refute`,
  },
  {
    key: CONSUL_KEYS.gossipToTheDead,
    type: 'duration',
    default: 30000,
    minMs: 0,
    description: 'a dead member still gets gossip this long, and is forgotten by memberlist at the first list reset after it (memberlist field)',
    source: `${ML_LAN} GossipToTheDeadTime = 30 * time.Second; ${ML} state.go gossip, resetNodes (moveDeadNodes)`,
  },
  {
    key: CONSUL_KEYS.ttlUpdateInterval,
    type: 'duration',
    default: 10000,
    minMs: 1,
    description: 'how often the application passes its TTL check (PUT /v1/agent/check/pass/:id to its local agent)',
    source: 'livesim: the application’s choice; Consul leaves it to the client (a third of the 30 s TTL here)',
  },
  {
    key: CONSUL_KEYS.agentPhase,
    type: 'duration',
    default: 'auto',
    minMs: 0,
    description:
      'when the agents start after 0 (auto: each drawn from the run seed within one probe interval); their probe and gossip tickers, reapers and syncers count from then',
    source: 'livesim: memberlist.schedule starts its tickers when the agent starts; agents start whenever their machines do',
  },
];

/** What Consul does not let anyone change (non-user config) or livesim does not vary, each with its source. */
export const CONSUL_CONSTANTS = {
  /** agent/checks/check.go MinInterval = time.Second: a shorter HTTP check interval is raised to it. */
  checkMinIntervalMs: 1000,
  /** NonUserSource: check_reap_interval = "30s"; reapServices loops time.After(CheckReapInterval). */
  checkReapIntervalMs: 30000,
  /** NonUserSource: check_deregister_interval_min = "1m". */
  deregisterMinMs: 60000,
  /** NonUserSource: ae_interval = "1m": the anti-entropy full sync. */
  aeIntervalMs: 60000,
  /** agent/ae/ae.go retryFailIntv = 15 * time.Second. */
  aeRetryFailMs: 15000,
  /** default_query_time = "300s": a blocking query without ?wait. */
  defaultQueryTimeMs: 300000,
  /** agent/consul/rpc.go: the wait gets a random jitter of up to wait / 16 (lib.RandomStagger(queryTimeout / JitterFraction)). */
  queryJitterFraction: 16,
  /** memberlist util.go suspicionTimeout: time.Duration(nodeScale*1000) * interval / 1000. */
  suspicionScalePrecision: 1000,
  /** suspectNode: k = SuspicionMult − 2, and 0 when n − 2 < k. */
  confirmationsOffset: 2,
  /** state.go probeNode: ind.Nack = peer.PMax >= 4 (every member speaks protocol 5 now). */
  nackProtocol: 4,
  /** memberlist kRandomNodes: up to 3·n random draws. */
  randomDrawsPerNode: 3,
  secondMs: 1000,
  /** memberlist DefaultLANConfig PushPullInterval = 30 * time.Second (full state sync with one random alive member). */
  pushPullIntervalMs: 30000,
  /** memberlist util.go pushPullScaleThreshold = 32: the push/pull interval grows only above this many members. */
  pushPullScaleThreshold: 32,
  /** serf DefaultConfig ReconnectInterval = 30 * time.Second (handleReconnect: time.After after each attempt). */
  reconnectIntervalMs: 30000,
  /** Go's math.Log10 (log10.go): log2(x) × (Ln2/Ln10), log2 = Log(frac) × (1/Ln2) + exp; both constants rounded from exact values. */
  invLn2: Math.LOG2E,
  log10Of2: 0.3010299956639812,
  /** Frexp: the fraction lies in [½, 1). */
  half: 0.5,
} as const;

const REAP_SRC = 'hashicorp/consul agent/config/default.go NonUserSource';

export const CONSUL_CONSTANT_ROWS: readonly Constant[] = [
  {
    name: 'push/pull interval',
    value: CONSUL_CONSTANTS.pushPullIntervalMs,
    unit: 'ms',
    description:
      'every member exchanges its whole member list with one random alive member (a remote dead is merged as a suspicion); above 32 members the interval grows with log2 N',
    source:
      'hashicorp/memberlist v0.5.1 config.go DefaultLANConfig PushPullInterval = 30 * time.Second; state.go pushPullTrigger, pushPull, mergeState; util.go pushPullScale',
  },
  {
    name: 'serf reconnect interval',
    value: CONSUL_CONSTANTS.reconnectIntervalMs,
    unit: 'ms',
    description: 'Serf tries to join one random failed member every 30 s, with probability failed / alive',
    source: 'hashicorp/serf v0.10.1 serf/config.go DefaultConfig ReconnectInterval = 30 * time.Second; serf/serf.go handleReconnect, reconnect',
  },
  {
    name: 'check reap interval',
    value: CONSUL_CONSTANTS.checkReapIntervalMs,
    unit: 'ms',
    description: 'the agent looks for services critical longer than deregister_critical_service_after every 30 s (fixed delay from the agent’s start)',
    source: `${REAP_SRC} check_reap_interval = "30s"; agent/agent.go reapServices (time.After(CheckReapInterval))`,
  },
  {
    name: 'deregister minimum',
    value: CONSUL_CONSTANTS.deregisterMinMs,
    unit: 'ms',
    description: 'a shorter deregister_critical_service_after is raised to this (with a warning)',
    source: `${REAP_SRC} check_deregister_interval_min = "1m"; agent/agent.go addCheck`,
  },
  {
    name: 'anti-entropy interval',
    value: CONSUL_CONSTANTS.aeIntervalMs,
    unit: 'ms',
    description: 'full sync of the agent’s services and checks to the servers (changes are synced at once: TriggerSyncChanges)',
    source: `${REAP_SRC} ae_interval = "1m"; agent/ae/ae.go StateSyncer; agent/local/state.go UpdateCheck (TriggerSyncChanges on a status change)`,
  },
  {
    name: 'anti-entropy retry after failure',
    value: CONSUL_CONSTANTS.aeRetryFailMs,
    unit: 'ms',
    description: 'a failed full sync is retried after 15 s plus a random stagger',
    source: 'hashicorp/consul agent/ae/ae.go retryFailIntv = 15 * time.Second',
  },
  {
    name: 'default blocking query wait',
    value: CONSUL_CONSTANTS.defaultQueryTimeMs,
    unit: 'ms',
    description:
      'a blocking query (?index=) without ?wait returns after 300 s (plus up to wait/16 jitter) when nothing changed; it returns as soon as the result’s index moves',
    source:
      'hashicorp/consul agent/config/default.go default_query_time = "300s"; agent/consul/rpc.go blockingQuery (jitter: lib.RandomStagger(timeout / JitterFraction), JitterFraction = 16)',
  },
];
