import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ResultsFile } from '@iobench/core';
import { ResultsFileError } from '@iobench/core';
import { makePoint, makeResults, makeServerStats } from '@iobench/core/testing';
import { readResultsFile, writeResultsFile } from './file.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'iobench-results-'));
  dirs.push(dir);
  return dir;
}

/** The smallest valid results file: one point of 10 requests at 300 µs. */
function sample(): ResultsFile {
  return makeResults([makePoint({ params: { connections: 4, durationMs: 100 }, latencyUs: [[300, 10]] })]);
}

test('a results file reads back as written, keys the schema does not know included', async () => {
  const dir = await tempDir();
  const results = { ...sample(), env: { ...sample().env, hosts: [{ hostname: 'a' }] } };
  await writeResultsFile(join(dir, 'results.json'), results);
  assert.deepEqual(await readResultsFile(join(dir, 'results.json')), results);
  assert.deepEqual(await readdir(dir), ['results.json'], 'no temporary file left behind');
});

test('a plan written before `loads` was its only list reads with loads and load options by generator', async () => {
  const dir = await tempDir();
  const path = join(dir, 'earlier.json');
  const { loads: _, loadOptions: __, ...plan } = sample().plan;
  // What iobench wrote before: `load` (the first generator) and that generator's options only.
  const earlier = { ...sample(), plan: { ...plan, load: 'wrk', loadOptions: { binary: 'wrk' } } };
  await writeFile(path, JSON.stringify(earlier));
  const read = await readResultsFile(path);
  assert.deepEqual(read.plan.loads, ['wrk']);
  assert.deepEqual(read.plan.loadOptions, { wrk: { binary: 'wrk' } });
  assert.equal('load' in read.plan, false);
});

test('valid JSON that breaks the schema is a ResultsFileError naming the file, point, field and value', async () => {
  const dir = await tempDir();
  const path = join(dir, 'edited.json');
  const results = sample();
  results.points[0]!.requests = -3;
  results.points[0]!.latencyUs.hdr = 'AAAA';
  await writeFile(path, JSON.stringify(results));
  await assert.rejects(readResultsFile(path), (error: unknown) => {
    assert.ok(error instanceof ResultsFileError);
    assert.equal(error.exitCode, 2);
    assert.match(error.message, /edited\.json is not a valid iobench results file \(2 problems\)/);
    assert.match(error.message, /point epoll\/undici\/c4\/r0: points\[0\]\.requests: .*>=0, received -3/);
    assert.match(error.message, /point epoll\/undici\/c4\/r0: points\[0\]\.latencyUs\.hdr: expected an HDR histogram/);
    return true;
  });
});

test('the temporary file is not at a name anyone can guess: a link planted there is not followed', async () => {
  const dir = await tempDir();
  const victim = join(dir, 'victim.txt');
  await writeFile(victim, 'not yours to overwrite');
  const path = join(dir, 'results.json');
  // The name the temporary file had before: results.json.<pid>.tmp.
  await symlink(victim, `${path}.${process.pid}.tmp`);
  await writeResultsFile(path, sample());
  assert.equal(await readFile(victim, 'utf8'), 'not yours to overwrite');
  assert.equal(JSON.parse(await readFile(path, 'utf8')).status, 'complete');
});

test('a file written before points stored their starvation verdict gets it judged on reading', async () => {
  const dir = await tempDir();
  const point = makePoint({ load: 'wrk', serverStats: makeServerStats({ accepted: 2, acceptedFirstHalf: 1 }) });
  const { starvation, ...older } = point;
  assert.ok(starvation, 'the factory judges it as a run would');
  await writeResultsFile(join(dir, 'results.json'), makeResults([older]));
  const [read] = (await readResultsFile(join(dir, 'results.json'))).points;
  assert.deepEqual(read?.starvation, { starved: 7, connections: 8, seenIn: 'acceptedFirstHalf' });
});
