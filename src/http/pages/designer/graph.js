// The flow graph: steps laid out in layers from the start step, as SVG; clicking a step selects it.

import { element, svgElement } from '/staff/staff.js';
import { selectStep, state } from './state.js';
import { truncate } from './ui.js';

const NODE_WIDTH = 170;
const NODE_HEIGHT = 54;
const GAP_X = 30;
const GAP_Y = 78;
const MARGIN_X = 70;
const MARGIN_Y = 30;

function breadthFirstDepths(start, ids, successors) {
  const depth = new Map();
  const order = [];
  if (ids.has(start)) {
    depth.set(start, 0);
    order.push(start);
    for (let index = 0; index < order.length; index++) {
      const id = order[index];
      for (const next of successors.get(id)) {
        if (!depth.has(next)) { depth.set(next, depth.get(id) + 1); order.push(next); }
      }
    }
  }
  return { depth, order };
}

// Layers by breadth-first distance from the start (unreachable steps last); a layer wider than
// the view wraps onto several rows. Nodes are ordered by where their predecessors stand.
function layoutGraph(graph, perRow) {
  const ids = new Set(graph.nodes.map((node) => node.id));
  const successors = new Map([...ids].map((id) => [id, []]));
  const predecessors = new Map([...ids].map((id) => [id, []]));
  for (const edge of graph.edges) {
    if (!ids.has(edge.from) || !ids.has(edge.to)) continue;
    successors.get(edge.from).push(edge.to);
    predecessors.get(edge.to).push(edge.from);
  }
  const { depth, order } = breadthFirstDepths(graph.start, ids, successors);
  const unreachable = graph.nodes.map((node) => node.id).filter((id) => !depth.has(id));
  const lastLayer = order.length ? Math.max(...depth.values()) + 1 : 0;
  for (const id of unreachable) depth.set(id, lastLayer);
  const layers = [];
  for (const id of [...order, ...unreachable]) (layers[depth.get(id)] ||= []).push(id);

  const filled = layers.filter(Boolean);
  const widest = Math.max(1, ...filled.map((layer) => Math.min(perRow, layer.length)));
  const rowWidth = (count) => count * NODE_WIDTH + (count - 1) * GAP_X;
  const positions = new Map();
  let row = 0;
  for (const layer of filled) {
    const centre = (id) => {
      const placed = predecessors.get(id).map((from) => positions.get(from)).filter(Boolean);
      return placed.length ? placed.reduce((sum, position) => sum + position.x, 0) / placed.length : Infinity;
    };
    const sorted = row === 0 ? layer : layer.map((id) => [id, centre(id)]).sort((a, b) => a[1] - b[1]).map(([id]) => id);
    for (let first = 0; first < sorted.length; first += perRow) {
      const chunk = sorted.slice(first, first + perRow);
      const left = MARGIN_X + (rowWidth(widest) - rowWidth(chunk.length)) / 2;
      chunk.forEach((id, index) => {
        positions.set(id, { x: left + index * (NODE_WIDTH + GAP_X), y: MARGIN_Y + row * (NODE_HEIGHT + GAP_Y), row });
      });
      row += 1;
    }
  }
  return {
    positions,
    width: rowWidth(widest) + 2 * MARGIN_X,
    height: row * (NODE_HEIGHT + GAP_Y) - GAP_Y + 2 * MARGIN_Y,
  };
}

function nodesPerRow() {
  const available = element('graph').parentElement.clientWidth - 2 * MARGIN_X;
  return Math.max(3, Math.floor((available + GAP_X) / (NODE_WIDTH + GAP_X)));
}

function mergeEdges(edges, positions) {
  const merged = new Map();
  for (const edge of edges) {
    if (!positions.has(edge.from) || !positions.has(edge.to)) continue;
    const key = edge.from + '\u0000' + edge.to;
    if (!merged.has(key)) merged.set(key, { from: edge.from, to: edge.to, labels: [] });
    if (edge.label) merged.get(key).labels.push(edge.label);
  }
  return [...merged.values()];
}

// Spreads the downward edges over the bottom of their source and the top of their target.
function assignPorts(edges, positions) {
  const downward = edges.filter((edge) => positions.get(edge.to).row > positions.get(edge.from).row);
  const spread = (groupKey, sortKey, portKey, end) => {
    const groups = new Map();
    for (const edge of downward) {
      const key = edge[groupKey];
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(edge);
    }
    for (const [id, group] of groups) {
      group.sort((a, b) => positions.get(a[sortKey]).x - positions.get(b[sortKey]).x);
      const x = positions.get(id).x;
      group.forEach((edge, index) => { edge[portKey] = x + NODE_WIDTH * (index + 1) / (group.length + 1); });
    }
    return end;
  };
  spread('from', 'to', 'startX');
  spread('to', 'from', 'endX');
}

function bezier(p0, p1, p2, p3) {
  const at = (t, axis) => (1 - t) ** 3 * p0[axis] + 3 * (1 - t) ** 2 * t * p1[axis] + 3 * (1 - t) * t ** 2 * p2[axis] + t ** 3 * p3[axis];
  const point = (p) => p.map((value) => Math.round(value * 10) / 10).join(',');
  return { d: 'M' + point(p0) + ' C' + point(p1) + ' ' + point(p2) + ' ' + point(p3), labelX: at(0.5, 0), labelY: at(0.5, 1) };
}

function edgeGeometry(edge, positions, width) {
  const a = positions.get(edge.from);
  const b = positions.get(edge.to);
  if (edge.from === edge.to) {
    const x = a.x + NODE_WIDTH;
    return bezier([x, a.y + NODE_HEIGHT * 0.3], [x + 40, a.y - 6], [x + 40, a.y + NODE_HEIGHT + 6], [x, a.y + NODE_HEIGHT * 0.7]);
  }
  if (b.row > a.row) {
    const p0 = [edge.startX, a.y + NODE_HEIGHT];
    const p3 = [edge.endX, b.y];
    const bend = Math.max(28, (p3[1] - p0[1]) / 2);
    return bezier(p0, [p0[0], p0[1] + bend], [p3[0], p3[1] - bend], p3);
  }
  if (b.row === a.row) {
    const p0 = [a.x + NODE_WIDTH / 2, a.y];
    const p3 = [b.x + NODE_WIDTH / 2 + (b.x > a.x ? -12 : 12), b.y];
    const lift = 26 + Math.min(30, Math.abs(b.x - a.x) / 12);
    return bezier(p0, [p0[0], p0[1] - lift], [p3[0], p3[1] - lift], p3);
  }
  const leftward = b.x <= a.x;
  const p0 = [leftward ? a.x : a.x + NODE_WIDTH, a.y + NODE_HEIGHT / 2];
  const p3 = [leftward ? b.x : b.x + NODE_WIDTH, b.y + NODE_HEIGHT / 2];
  const reach = Math.min(MARGIN_X - 8, 24 + 6 * (a.row - b.row));
  const out = leftward ? Math.max(4, Math.min(p0[0], p3[0]) - reach) : Math.min(width - 4, Math.max(p0[0], p3[0]) + reach);
  return bezier(p0, [out, p0[1]], [out, p3[1]], p3);
}

function arrowDefinitions() {
  const defs = svgElement('defs');
  for (const [id, colour] of [['arrow', '#9fb3c8'], ['arrow-active', '#1f4e79']]) {
    const marker = svgElement('marker', { id, viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse' });
    marker.append(svgElement('path', { d: 'M0,0 L10,5 L0,10 z', fill: colour }));
    defs.append(marker);
  }
  return defs;
}

function drawNode(node, position, classes) {
  const group = svgElement('g', { class: ['node', ...classes].join(' '), 'data-step': node.id, transform: 'translate(' + position.x + ',' + position.y + ')', tabindex: '0', role: 'button' });
  group.append(
    svgElement('title', {}, node.id + ' (' + node.type + ')' + (node.label ? '\n' + node.label : '')),
    svgElement('rect', { width: NODE_WIDTH, height: NODE_HEIGHT, rx: '7' }),
    svgElement('text', { class: 'name', x: '10', y: '18' }, truncate(node.id, 23)),
    svgElement('text', { class: 'type', x: '10', y: '33' }, node.type + (classes.includes('start') ? ' · start' : '')),
    svgElement('text', { class: 'label', x: '10', y: '47' }, truncate(node.label, 27)),
  );
  group.addEventListener('click', () => selectStep(node.id));
  group.addEventListener('keydown', (key) => { if (key.key === 'Enter' || key.key === ' ') { key.preventDefault(); selectStep(node.id); } });
  return group;
}

export function drawGraph() {
  const svg = element('graph');
  svg.classList.toggle('stale', state.documentStale);
  const graph = state.flowGraph;
  if (!graph || !graph.nodes || !graph.nodes.length) {
    svg.setAttribute('width', 400);
    svg.setAttribute('height', 80);
    svg.setAttribute('viewBox', '0 0 400 80');
    svg.replaceChildren(svgElement('text', { class: 'empty', x: '20', y: '44' }, state.current ? 'No steps to draw yet.' : 'Choose or create a flow.'));
    return;
  }
  const layout = layoutGraph(graph, nodesPerRow());
  const edges = mergeEdges(graph.edges || [], layout.positions);
  assignPorts(edges, layout.positions);
  const edgeLayer = svgElement('g', { class: 'edges' });
  const labelLayer = svgElement('g', { class: 'edge-labels' });
  for (const edge of edges) {
    const geometry = edgeGeometry(edge, layout.positions, layout.width);
    const path = svgElement('path', { class: 'edge', d: geometry.d, 'data-from': edge.from, 'data-to': edge.to, 'marker-end': 'url(#arrow)' });
    path.append(svgElement('title', {}, edge.from + ' → ' + edge.to + (edge.labels.length ? ': ' + edge.labels.join(', ') : '')));
    edgeLayer.append(path);
    if (edge.labels.length) {
      labelLayer.append(svgElement('text', { class: 'edge-label', x: geometry.labelX, y: geometry.labelY + 3, 'text-anchor': 'middle', 'data-from': edge.from, 'data-to': edge.to }, truncate(edge.labels.join(', '), 30)));
    }
  }
  const errorSteps = new Set(state.flowProblems.filter((problem) => problem.severity !== 'warning' && problem.step).map((problem) => problem.step));
  const nodeLayer = svgElement('g', { class: 'nodes' });
  for (const node of graph.nodes) {
    const classes = [];
    if (node.id === graph.start) classes.push('start');
    if (node.id === state.selectedStep) classes.push('selected');
    if (errorSteps.has(node.id)) classes.push('error');
    nodeLayer.append(drawNode(node, layout.positions.get(node.id), classes));
  }
  svg.setAttribute('width', layout.width);
  svg.setAttribute('height', layout.height);
  svg.setAttribute('viewBox', '0 0 ' + layout.width + ' ' + layout.height);
  svg.replaceChildren(arrowDefinitions(), edgeLayer, nodeLayer, labelLayer);
  highlightSelection();
}

let resizeTimer = 0;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(drawGraph, 150);
});

export function highlightSelection() {
  const svg = element('graph');
  for (const node of svg.querySelectorAll('.node')) node.classList.toggle('selected', node.dataset.step === state.selectedStep);
  for (const edge of svg.querySelectorAll('.edge, .edge-label')) {
    const active = !!state.selectedStep && (edge.dataset.from === state.selectedStep || edge.dataset.to === state.selectedStep);
    edge.classList.toggle('active', active);
    if (edge.classList.contains('edge')) edge.setAttribute('marker-end', active ? 'url(#arrow-active)' : 'url(#arrow)');
  }
}
