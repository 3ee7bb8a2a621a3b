import { LINUX_TCP_SYSCTLS, TCP_DEFAULT_ROWS, TCP_SYSCTL_LIMITS } from '../sim/tcp-defaults.js';
import type { TcpSysctls } from '../sim/tcp-settings.js';
import type { Config, Knob } from './knob.js';

/**
 * The kernel settings of each side's hosts, as scenario knobs: `sim.client.net.ipv4.tcp_retries2`
 * and so on (clients and subscribers), the same under `sim.server.` (the Nacos servers). They are
 * per network namespace in Linux, so per host here; defaults, ranges and sources are the one
 * table of src/sim/tcp-defaults.ts.
 */
export type HostSide = 'client' | 'server';

interface SysctlKnob {
  readonly field: 'retries2' | 'synRetries' | 'keepaliveTimeMs' | 'keepaliveIntvlMs' | 'keepaliveProbes';
  readonly sysctl: string;
  readonly description: string;
  readonly duration: boolean;
}

const SYSCTLS: readonly SysctlKnob[] = [
  {
    field: 'retries2',
    sysctl: 'net.ipv4.tcp_retries2',
    description: 'RTO back-offs before an established connection with unacknowledged data gives up (15 ≈ 925-980 s)',
    duration: false,
  },
  { field: 'synRetries', sysctl: 'net.ipv4.tcp_syn_retries', description: 'SYN retransmissions before connect() fails', duration: false },
  {
    field: 'keepaliveTimeMs',
    sysctl: 'net.ipv4.tcp_keepalive_time',
    description: 'SO_KEEPALIVE: idle time before the first probe (only on sockets that set SO_KEEPALIVE)',
    duration: true,
  },
  {
    field: 'keepaliveIntvlMs',
    sysctl: 'net.ipv4.tcp_keepalive_intvl',
    description: 'SO_KEEPALIVE: interval between unanswered probes',
    duration: true,
  },
  {
    field: 'keepaliveProbes',
    sysctl: 'net.ipv4.tcp_keepalive_probes',
    description: 'SO_KEEPALIVE: unanswered probes before the connection is reset',
    duration: false,
  },
];

export const kernelKey = (side: HostSide, sysctl: string): string => `sim.${side}.${sysctl}`;

const sourceOf = (sysctl: string): string => `linux ${TCP_DEFAULT_ROWS.find((r) => r.key === sysctl)?.source ?? 'Documentation/networking/ip-sysctl.rst'}`;

const knobsFor = (side: HostSide): Knob[] =>
  SYSCTLS.map((k): Knob => {
    const base = { key: kernelKey(side, k.sysctl), description: `${side} hosts: ${k.description}`, source: sourceOf(k.sysctl) };
    const value = LINUX_TCP_SYSCTLS[k.field];
    const { min, max } = TCP_SYSCTL_LIMITS[k.field];
    return k.duration
      ? { ...base, type: 'duration', default: value, minMs: min, maxMs: max }
      : { ...base, type: 'number', default: value, min, max, integer: true };
  });

/** Every kernel knob, clients' then servers'. */
export const KERNEL_KNOBS: readonly Knob[] = [...knobsFor('client'), ...knobsFor('server')];

/** The sysctls a scenario set for one side (the rest stay stock Linux). */
export const kernelSysctls = (config: Config, side: HostSide): Partial<TcpSysctls> => {
  const out: Partial<Record<SysctlKnob['field'], number>> = {};
  for (const k of SYSCTLS) {
    const v = config[kernelKey(side, k.sysctl)];
    if (typeof v === 'number' && v !== LINUX_TCP_SYSCTLS[k.field]) out[k.field] = v;
  }
  return out;
};

/** The keepalive sysctls a scenario changed for one side (what a "has no effect" note names). */
export const keepaliveKeysSet = (config: Config, side: HostSide): string[] =>
  SYSCTLS.filter((k) => k.sysctl.startsWith('net.ipv4.tcp_keepalive_') && kernelSysctls(config, side)[k.field] !== undefined).map((k) =>
    kernelKey(side, k.sysctl),
  );
