import { findModel } from '../models/registry.js';

/**
 * A setting's name in tables and on axes: each varied key with its value, the key by its short
 * alias from the model's table of defaults when it has one (`health.timeout=1s · health.retry=0`,
 * not `1s · 0`, which never said which number was which). Keys without an alias keep their full
 * Nacos name, which is what `--set` takes.
 */
export const shortKey = (model: string, key: string): string => findModel(model)?.knobs.find((k) => k.key === key)?.aliases?.[0] ?? key;

export type SettingLabeller = (set: Readonly<Record<string, string>>) => string;

export const settingLabeller =
  (model: string): SettingLabeller =>
  (set) =>
    Object.entries(set)
      .map(([k, v]) => `${shortKey(model, k)}=${v}`)
      .join(' · ');
