import { didYouMean } from './closest.js';
import { InputError } from './input-error.js';
import crossAz from './presets/cross-az.json' with { type: 'json' };
import crossRegion from './presets/cross-region.json' with { type: 'json' };
import gcHeavy from './presets/gc-heavy.json' with { type: 'json' };
import lan from './presets/lan.json' with { type: 'json' };
import lossyWifi from './presets/lossy-wifi.json' with { type: 'json' };

/** A named network: `net.*` settings with the sources of their figures (data files in presets/). */
export interface NetworkPreset {
  readonly name: string;
  readonly description: string;
  readonly set: Readonly<Record<string, string | number>>;
  readonly sources: readonly string[];
}

export const NETWORK_PRESETS: readonly NetworkPreset[] = [lan, crossAz, crossRegion, lossyWifi, gcHeavy];

export const findNetworkPreset = (name: string): NetworkPreset => {
  const p = NETWORK_PRESETS.find((x) => x.name === name);
  if (p === undefined)
    throw new InputError(
      `--network '${name}': unknown preset${didYouMean(
        name,
        NETWORK_PRESETS.map((x) => x.name),
      )} (accepted: ${NETWORK_PRESETS.map((x) => x.name).join(', ')})`,
    );
  return p;
};
