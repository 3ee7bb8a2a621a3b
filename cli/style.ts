import { Chalk, type ChalkInstance } from 'chalk';

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export const styleFor = (stream: NodeJS.WriteStream): ChalkInstance => {
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  const forced = process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0';
  return new Chalk({ level: noColor ? 0 : forced || stream.isTTY === true ? 1 : 0 });
};
