import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createContext, Script } from 'node:vm';
import { addProfiles, FOLDED_SAMPLES, MISSING_PROFILE_ID, PROFILED_IDS } from './support/profile-fixture.js';
import { buildResults } from './support/results-fixture.js';
import { removeOutDirs, runReporter, tempOutDir } from './support/run-reporter.js';

after(removeOutDirs);

interface FlameEntry {
  id: string;
  spec: { data: Array<{ name: string; values: Array<Record<string, unknown>> }>; title: { text: string } };
}

/** Runs the html reporter over the fixture with profiles, in the directory holding the profiles. */
async function reportWithProfiles(): Promise<string> {
  const outDir = await tempOutDir();
  const results = await addProfiles(buildResults(), outDir);
  const run = await runReporter('html', results, {}, { outDir });
  return readFile(join(run.outDir, 'report.html'), 'utf8');
}

function flames(html: string): FlameEntry[] {
  return JSON.parse(
    html.match(/<script type="application\/json" id="iobench-flames">([\s\S]*?)<\/script>/)![1]!,
  ) as FlameEntry[];
}

test('html has a flame graph per profiled point, with the folded stacks as tree rows', async () => {
  const html = await reportWithProfiles();
  assert.ok(html.includes('<h2>Flame graphs</h2>'));
  const entries = flames(html);
  const readable = PROFILED_IDS.filter((id) => id !== MISSING_PROFILE_ID);
  assert.deepEqual(
    entries.map((e) => e.spec.title.text),
    readable,
  );
  for (const entry of entries)
    assert.ok(html.includes(`<figure id="${entry.id}" class="flame"`), `a figure for ${entry.id}`);
  const data = Object.fromEntries(entries[0]!.spec.data.map((d) => [d.name, d.values]));
  const names = data.names as Array<{ i: number; label: string; full: string; kind: string }>;
  const rows = data.frames as Array<{ id: number; p: number | null; n: number; v: number; s: number }>;
  const byLabel = (label: string) => names.find((n) => n.label === label);
  assert.equal(byLabel('^runBasicLoop basic-loop.js:10')?.kind, 'JavaScript', 'JavaScript frame named and shortened');
  assert.equal(byLabel('inet_csk_accept')?.kind, 'kernel');
  assert.equal(byLabel('accept4')?.kind, 'native');
  const root = rows.find((r) => r.p === null)!;
  assert.equal(root.v, FOLDED_SAMPLES);
  assert.equal(
    rows.reduce((sum, r) => sum + r.s, 0),
    FOLDED_SAMPLES,
    'self samples add up to the total',
  );
  const accept = rows.find((r) => names[r.n]!.label === 'accept4')!;
  assert.equal(accept.v, 40);
  assert.equal(
    names[rows.find((r) => r.id === accept.p)!.n]!.label,
    '^runBasicLoop basic-loop.js:10',
    'accept4 called from the loop',
  );
});

test('html links and inlines the static flame graph, and says when the folded stacks are missing', async () => {
  const html = await reportWithProfiles();
  assert.match(html, /<a href="profiles\/basic-undici-c64-r0\.svg">profiles\/basic-undici-c64-r0\.svg<\/a>/);
  assert.match(
    html,
    /<img class="flame-static" alt="static flame graph of basic\/undici\/c64\/r0" src="data:image\/svg\+xml;base64,/,
  );
  assert.match(
    html,
    /No interactive flame graph: the folded stacks profiles\/epoll-pool-undici-c64-r0\.folded are missing \(looked for [^)]+\)/,
  );
  // Still self-contained: nothing loaded from the network.
  assert.equal(html.match(/<script\b[^>]*\bsrc\s*=/gi), null);
  assert.equal(html.match(/<(link|img|iframe)\b[^>]*\b(href|src)\s*=\s*["']?https?:/gi), null);
  assert.equal(html.match(/@import|url\(\s*["']?https?:/gi), null);
  assert.equal((html.match(/<script\b/g) ?? []).length, (html.match(/<\/script>/g) ?? []).length);
});

test('the flame graph spec draws with the inlined vega, bottom-up, labels cut to their frames', async () => {
  const html = await reportWithProfiles();
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  const sandbox: Record<string, unknown> = {
    structuredClone,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    queueMicrotask,
    console,
    TextEncoder,
    URL,
  };
  sandbox.self = sandbox;
  sandbox.globalThis = sandbox;
  const context = createContext(sandbox);
  for (const source of scripts.slice(0, 3)) new Script(source).runInContext(context);
  context.spec = flames(html)[0]!.spec;
  // Draw, then zoom to accept4 as a click on it would.
  const draw = new Script(`(async () => {
    const view = new vega.View(vega.parse(spec), { renderer: 'none' });
    const full = await view.toSVG();
    const frames = view.data('frames');
    const accept = frames.find((f) => f.f.label === 'accept4');
    view.signal('zoom', { x0: accept.x0, x1: accept.x1 });
    await view.runAsync();
    return { full, zoomed: await view.toSVG(), frames };
  })()`);
  const { full, zoomed, frames } = (await draw.runInContext(context)) as {
    full: string;
    zoomed: string;
    frames: Array<{ f: { label: string }; x0: number; x1: number; y0: number }>;
  };
  assert.match(full, /^<svg /);
  for (const label of ['all', 'node', 'accept4', 'inet_csk_accept', 'kernel', 'JavaScript', 'native'])
    assert.ok(full.includes(`>${label}</text>`), `draws "${label}"`);
  const frame = (label: string) => frames.find((f) => f.f.label === label)!;
  assert.ok(Math.abs(frame('accept4').x1 - frame('accept4').x0 - 0.4) < 1e-9, 'as wide as its share of samples');
  assert.ok(frame('accept4').y0 > frame('^runBasicLoop basic-loop.js:10').y0, 'callee above caller');
  assert.ok(frame('*answer answer.js:3').x0 < frame('^runBasicLoop basic-loop.js:10').x0, 'siblings in name order');
  assert.ok(zoomed.includes('>inet_csk_accept</text>'), 'zoomed in: accept4 and its callees drawn');
  assert.ok(full.includes('>uv_r') && !zoomed.includes('>uv_r'), 'zoomed in: frames outside accept4 are out of view');
});
