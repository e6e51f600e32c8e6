import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Who owns a frame: a package under node_modules, the product (dist/), Node itself, or V8. */
function owner(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const product = /\/dist\/(.*)$/.exec(url);
  if (product) return `product: ${product[1].split('/')[0]}`;
  return url;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  endTime: number;
}

/**
 * Self time by owner and by function, from a V8 .cpuprofile (node --cpu-prof).
 * `window` keeps the samples of the last `seconds` before `endTime - skipEnd`
 * seconds: the load, without start-up (module loading) and shutdown.
 */
export function summariseProfile(file: string, window?: { seconds: number; skipEnd: number }, top = 25): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const hitsById = new Map<number, number>();
  let time = profile.endTime - profile.timeDeltas.reduce((sum, delta) => sum + delta, 0);
  const to = profile.endTime - (window?.skipEnd ?? 0) * 1e6;
  const from = window ? to - window.seconds * 1e6 : -Infinity;
  let total = 0;
  profile.samples.forEach((id, i) => {
    time += profile.timeDeltas[i];
    if (time < from || time > to) return;
    hitsById.set(id, (hitsById.get(id) ?? 0) + 1);
    total++;
  });
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = hitsById.get(node.id) ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const who = owner(url, functionName);
    byOwner.set(who, (byOwner.get(who) ?? 0) + hits);
    const file = url.split('/').slice(-2).join('/');
    const name = `${functionName || '(anonymous)'}  ${who}${url ? ` ${file}:${lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
  }
  const table = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((x, y) => y[1] - x[1])
      .slice(0, top)
      .map(([name, hits]) => `${((100 * hits) / total).toFixed(1).padStart(5)}%  ${name}`)
      .join('\n');
  return `Self time by owner (${total} samples):\n${table(byOwner)}\n\nSelf time by function:\n${table(byFunction)}`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  console.log(summariseProfile(process.argv[2]));
}
