import { type Remedy, set } from '../../diagnose/remedy.js';

/** Remedies for a 1.x instance that is not taken offline: the instance kind and the server's beat check. */
export const V1_REMEDIES: readonly Remedy[] = [
  {
    id: 'v1-ephemeral',
    label: 'ephemeral=true',
    model: 'nacos-v1',
    change: 'register the instance with ephemeral=true (beats; deleted after preserved.ip.delete.timeout)',
    source: 'api/.../naming/pojo/Instance.ephemeral; naming/.../healthcheck/ClientBeatCheckTask',
    unavailable: (sc) => (sc.config.ephemeral === false ? null : 'the instance is already ephemeral'),
    apply: (u) => set(u, { ephemeral: true }),
  },
  {
    id: 'v1-expire-instance',
    label: 'expireInstance=true',
    model: 'nacos-v1',
    change: 'server nacos.naming.expireInstance=true',
    source: 'naming/.../misc/GlobalConfig (nacos.naming.expireInstance)',
    unavailable: (sc) => (sc.config['nacos.naming.expireInstance'] === false ? null : 'already true'),
    apply: (u) => set(u, { 'nacos.naming.expireInstance': true }),
  },
  {
    id: 'v1-delete-timeout',
    label: 'delete timeout 15 s',
    model: 'nacos-v1',
    change: 'instance metadata preserved.ip.delete.timeout=15s, preserved.heart.beat.timeout=10s',
    source: 'api/.../naming/pojo/Instance.getIpDeleteTimeout / getInstanceHeartBeatTimeOut',
    unavailable: () => null,
    apply: (u) => set(u, { 'preserved.ip.delete.timeout': '15s', 'preserved.heart.beat.timeout': '10s' }),
    note: () => 'only for ephemeral instances',
  },
];
