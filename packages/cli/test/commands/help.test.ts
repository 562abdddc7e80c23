// test-lane: unit (help and refusals; nothing is measured).
// Help and typos as a wrk or k6 user meets them: issue 11.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { iobench } from '../helpers.js';

describe('help', () => {
  test('-h and `iobench help run` show the run help, whose --server, --load and --reporter list the built-ins', async () => {
    for (const args of [
      ['run', '-h'],
      ['help', 'run'],
      ['run', '--help'],
    ]) {
      const r = await iobench(args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout, /^USAGE\n {2}\$ iobench run /m, args.join(' '));
      // Help wraps its descriptions: compare with the whitespace folded.
      const text = r.stdout.replace(/\s+/g, ' ');
      assert.match(
        text,
        /--server=<value> Server plugin\(s\), comma-separated; built-in: node, basic, select, poll, epoll, epoll-pool,/,
      );
      assert.match(
        text,
        /--load=<value> Load generator plugin\(s\).* built-in: native, undici, wrk \[default: native\]/,
      );
      assert.match(
        text,
        /--reporter=<value>\.\.\. Reporter plugin\(s\), repeatable or comma-separated; built-in: console, json, csv, markdown, html, plots, hlog/,
      );
    }
  });

  test('`iobench help` lists the commands', async () => {
    const r = await iobench(['help']);
    assert.equal(r.code, 0, r.stderr);
    for (const command of ['run', 'list', 'compare', 'doctor'])
      assert.match(r.stdout, new RegExp(`^ {2}${command} `, 'm'));
  });
});

describe('typos', () => {
  test('a misspelt command names the one meant and exits 2', async () => {
    const r = await iobench(['rn', '--server', 'node']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^iobench: "iobench rn" is not an iobench command \(did you mean "iobench run"\?\)$/m);
    const topic = await iobench(['kube', 'rendr']);
    assert.equal(topic.code, 2, topic.stderr);
    assert.match(topic.stderr, /did you mean "iobench kube render"\?/);
  });

  test('a misspelt plugin name names the plugin meant (exit 2)', async () => {
    const r = await iobench(['run', '--server', 'epol', '--load', 'undic']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /unknown server plugin "epol" \(did you mean "epoll"\?\); available: node, /);
  });
});
