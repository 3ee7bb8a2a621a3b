/** Nacos release numbers (`1.4.8`, `2.2.3`, `2.3.0-BETA`) compared numerically, part by part. */
export type Version = readonly [number, number, number];

const FORM = /^(\d+)\.(\d+)\.(\d+)(?:[-.][A-Za-z0-9.]+)?$/;

export const parseVersion = (text: string): Version | null => {
  const m = FORM.exec(text.trim());
  return m === null ? null : [Number(m[1]), Number(m[2]), Number(m[3])];
};

export const compareVersions = (a: Version, b: Version): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

export const atLeast = (v: Version, text: string): boolean => compareVersions(v, parseVersion(text) as Version) >= 0;

export const formatVersion = (v: Version): string => v.join('.');
