import assert from 'node:assert/strict';
import { test } from 'node:test';
import { displayName, foldedToTree, parseFolded } from '@iobench/core';
import { renderFlameGraphSvg } from './flame-graph-svg.js';

const FOLDED = parseFolded(
  [
    'node;runLoop_[j];accept4;__sys_accept4_[k] 6',
    'node;runLoop_[j];recv;tcp_recvmsg_[k] 3',
    'node;gc 1',
    'node;runLoop_[j];tiny 0',
  ].join('\n'),
);

test('frames are rectangles as wide as their share, with the name and a <title> tooltip', () => {
  const svg = renderFlameGraphSvg(FOLDED, { title: 'basic <c8>', subtitle: '10 samples', widthPx: 1020 });
  assert.match(svg, /^<\?xml/);
  assert.match(svg, /basic &lt;c8&gt;/);
  // 1000 px for 10 samples: accept4 (6) is 600 px wide, recv (3) 300 px.
  assert.match(svg, /<title>accept4 \(6 samples, 60\.00%\)<\/title><rect x="[\d.]+" y="\d+" width="600\.0"/);
  assert.match(svg, /<title>recv \(3 samples, 30\.00%\)<\/title><rect x="[\d.]+" y="\d+" width="300\.0"/);
  assert.match(svg, />__sys_accept4<\/text>/, 'kernel annotation not shown');
  assert.match(svg, /<title>all \(10 samples, 100\.00%\)<\/title>/);
  assert.doesNotMatch(svg, /tiny/, 'zero-width frames are left out');
});

test('kernel, JavaScript and native frames get different colours', () => {
  const svg = renderFlameGraphSvg(FOLDED, { title: 't' });
  const fill = (name: string) =>
    new RegExp(`<title>${name} [^<]*</title><rect [^>]*fill="rgb\\((\\d+),(\\d+),(\\d+)\\)"`)
      .exec(svg)!
      .slice(1)
      .map(Number);
  const [kr, kg] = fill('__sys_accept4');
  const [jr, jg] = fill('runLoop');
  const [nr, ng] = fill('gc');
  assert.ok(jg > jr, 'JavaScript is green');
  assert.ok(kr > 200 && kg > 150, 'kernel is orange');
  assert.ok(nr > 200 && ng < 150, 'native is red');
});

test('JavaScript frame names are shortened for display', () => {
  assert.equal(
    displayName('JS:^runBasicLoop file:///work/main/packages/plugin-basic/dist/basic-loop.js:10:37_[j]'),
    '^runBasicLoop basic-loop.js:10',
  );
  assert.equal(
    displayName('JS:*writeOrBuffer node:internal/streams/writable:548:23_[j]'),
    '*writeOrBuffer writable:548',
  );
  assert.equal(displayName('JS:^ /tmp/srv.js:3:40_[j]'), '^(anonymous) srv.js:3');
  assert.equal(displayName('tcp_recvmsg_[k]'), 'tcp_recvmsg');
});

test('foldedToTree gives the d3-flame-graph shape', () => {
  const tree = foldedToTree(FOLDED);
  assert.equal(tree.name, 'all');
  assert.equal(tree.value, 10);
  const node = tree.children[0]!;
  assert.deepEqual(
    node.children.map((c) => [c.name, c.value]),
    [
      ['gc', 1],
      ['runLoop_[j]', 9],
    ],
  );
});
