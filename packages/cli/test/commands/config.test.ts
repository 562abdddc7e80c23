// test-lane: unit (config is resolved and refused; nothing is measured).
// `iobench config`: every setting and where it came from, the config file used and those shadowed (issue 11).
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { iobench, projectWith } from '../helpers.js';

describe('iobench config', () => {
  test('names the source of every value and the config files that were not read', async () => {
    const cwd = await projectWith({
      '.iobenchrc': 'duration: 2\nload: [native, wrk]\n',
      'iobench.config.mjs': 'export default { repeat: 3 };\n',
    });
    await writeFile(join(cwd, 'package.json'), JSON.stringify({ name: 'x', iobench: { connections: 16 } }));
    const r = await iobench(['config', '--server', 'epoll', '--threshold', 'p99<5ms', '--server-opt', 'bodySize=100'], {
      cwd,
      env: { IOBENCH_WARMUP: '0.5' },
    });
    assert.equal(r.code, 0, r.stderr);
    const file = join(cwd, 'package.json');
    assert.match(r.stdout, new RegExp(`^config file: ${file} \\("iobench" key\\)\\n`));
    assert.match(
      r.stdout,
      new RegExp(`\\n {2}not read: ${join(cwd, '.iobenchrc')} \\(shadowed by the file above\\)\\n`),
    );
    assert.match(r.stdout, new RegExp(`\\n {2}not read: ${join(cwd, 'iobench.config.mjs')} `));
    const row = (setting: string) => new RegExp(`^${setting}\\s{2,}(\\S+)\\s{2,}(.+)$`, 'm').exec(r.stdout)?.slice(1);
    assert.deepEqual(row('connections'), [file, '16']);
    assert.deepEqual(row('server'), ['--server', 'epoll']);
    assert.deepEqual(row('warmup'), ['IOBENCH_WARMUP', '500ms']);
    assert.deepEqual(row('duration'), ['default', '5s'], 'the shadowed .iobenchrc set it, and does not count');
    assert.deepEqual(row('thresholds'), ['--threshold', 'p99<5ms']);
    assert.deepEqual(row('serverOptions'), ['--server-opt', '{"epoll":{"bodySize":100}}']);

    const json = await iobench(['config', '--json'], { cwd });
    const parsed = JSON.parse(json.stdout) as {
      file: string;
      shadowed: string[];
      settings: Record<string, { value: unknown; source: { kind: string } }>;
    };
    assert.equal(parsed.file, file);
    assert.equal(parsed.shadowed.length, 2);
    assert.deepEqual(parsed.settings.connections, { value: [16], source: { kind: 'file', filePath: file } });
  });

  test('`iobench run` warns when a config file beside the one used is not read', async () => {
    const cwd = await projectWith({ '.iobenchrc': 'connections: 8\n', 'iobench.config.mjs': 'export default {};\n' });
    const r = await iobench(['run', '--server', 'nope'], { cwd });
    assert.match(
      r.stderr,
      new RegExp(
        `warning: using config file ${join(cwd, '.iobenchrc')}; not reading ${join(cwd, 'iobench.config.mjs')}`,
      ),
    );
  });

  test('plugin options are validated as run validates them: a misspelt one is refused with the same message (exit 2)', async () => {
    const config = await iobench(['config', '--load-opt', 'native.engin=epoll']);
    assert.equal(config.code, 2, config.stdout);
    const run = await iobench(['run', '--server', 'node', '--load-opt', 'native.engin=epoll', '-d', '1s']);
    assert.equal(run.code, 2);
    assert.match(
      config.stderr,
      /load plugin "native": option "engin" is not one of its options \(did you mean "engine"\?\)/,
    );
    assert.equal(config.stderr, run.stderr);
    const common = await iobench(['config', '--load-opt', 'body=x']);
    assert.equal(common.code, 2);
    assert.match(common.stderr, /use --body TEXT or --body-file FILE/);
  });

  test('the request settings show with their sources', async () => {
    const r = await iobench(['config', '-X', 'POST', '-H', 'accept: a, b', '--body', ' spaced ', '-k', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const { settings } = JSON.parse(r.stdout);
    assert.deepEqual(settings.method, { value: 'POST', source: { kind: 'flag', name: '--method' } });
    assert.deepEqual(settings.headers.value, [['accept', 'a, b']], 'a comma in a header value is the value’s');
    assert.equal(settings.body.value, ' spaced ', 'a body is taken as typed');
    assert.equal(settings.insecure.value, true);
  });

  test('IOBENCH_HEADERS holds one header a line, commas in values kept; IOBENCH_BODY is taken as typed', async () => {
    const env = { IOBENCH_HEADERS: 'accept: text/html, application/json\r\nx-trace: 1\n', IOBENCH_BODY: ' spaced ' };
    const r = await iobench(['config', '--json'], { env });
    assert.equal(r.code, 0, r.stderr);
    const { settings } = JSON.parse(r.stdout);
    assert.deepEqual(settings.headers, {
      value: [
        ['accept', 'text/html, application/json'],
        ['x-trace', '1'],
      ],
      source: { kind: 'environment', name: 'IOBENCH_HEADERS' },
    });
    assert.equal(settings.body.value, ' spaced ');
    const json = await iobench(['config', '--json'], { env: { IOBENCH_HEADERS: '{"accept": "a, b", "x-n": "1"}' } });
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout).settings.headers.value, [
      ['accept', 'a, b'],
      ['x-n', '1'],
    ]);
  });

  test('a malformed IOBENCH_HEADERS is refused naming the variable, the bad part and the format (exit 2)', async () => {
    const cases: Array<[string, RegExp]> = [
      ['x-a: 1\nno colon', /IOBENCH_HEADERS "no colon": expected "Name: value"/],
      ['["x-a: 1"', /IOBENCH_HEADERS starts with "\[" but is not JSON/],
      ['{"x-a": 1}', /IOBENCH_HEADERS must be .* \(got "\{\\"x-a\\": 1\}"\)/],
    ];
    for (const [value, expected] of cases) {
      const r = await iobench(['config'], { env: { IOBENCH_HEADERS: value } });
      assert.equal(r.code, 2, r.stdout);
      assert.match(r.stderr, expected);
      assert.match(r.stderr, /one "Name: value" header a line, or a JSON list of them/);
    }
  });

  test('an unknown IOBENCH_ variable is refused by every command, naming the nearest (exit 2)', async () => {
    for (const command of ['config', 'run']) {
      const r = await iobench([command], { env: { IOBENCH_CONECTIONS: '8' } });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /IOBENCH_CONECTIONS is not an iobench setting \(did you mean "IOBENCH_CONNECTIONS"\?\)/);
    }
  });
});
