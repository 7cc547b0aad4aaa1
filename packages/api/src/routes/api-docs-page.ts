/**
 * A self-contained API explorer: it reads /api/openapi.json and lets a signed-in user try each
 * operation. No CDN (the portal runs offline and the CSP allows only 'self' plus this page's nonce).
 */
export function apiDocsPage(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>evidence-portal API</title>
<style nonce="${nonce}">
  body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1b1f24; background: #f6f7f9; }
  header { background: #0f2a44; color: #fff; padding: 14px 24px; }
  header h1 { margin: 0; font-size: 18px; }
  main { max-width: 1000px; margin: 0 auto; padding: 16px 24px 48px; }
  h2 { font-size: 15px; margin: 24px 0 8px; text-transform: uppercase; letter-spacing: .04em; color: #4a5563; }
  details { background: #fff; border: 1px solid #d8dde3; border-radius: 6px; margin: 6px 0; }
  summary { cursor: pointer; padding: 8px 12px; display: flex; gap: 12px; align-items: baseline; }
  .method { font: 600 12px ui-monospace, monospace; min-width: 56px; text-transform: uppercase; }
  .get { color: #0a6b3d; } .post { color: #8a4b00; } .delete { color: #a01818; } .put, .patch { color: #1d4fa0; }
  .path { font-family: ui-monospace, monospace; }
  .body { padding: 4px 12px 12px; border-top: 1px solid #eef0f3; }
  label { display: block; margin: 8px 0 2px; font-weight: 600; }
  input, textarea { width: 100%; box-sizing: border-box; font: 13px ui-monospace, monospace; padding: 6px; border: 1px solid #c5ccd4; border-radius: 4px; }
  textarea { min-height: 90px; }
  button { margin-top: 10px; background: #0f2a44; color: #fff; border: 0; padding: 7px 14px; border-radius: 4px; cursor: pointer; }
  pre { background: #0d1117; color: #e6edf3; padding: 10px; border-radius: 4px; overflow: auto; max-height: 360px; }
  .muted { color: #5b6672; }
</style>
</head>
<body>
<header><h1>evidence-portal API</h1></header>
<main>
  <p class="muted">Generated from <a href="/api/openapi.json">/api/openapi.json</a>. Requests are sent with your session cookie, or the bearer token below.</p>
  <label for="token">Bearer token (optional)</label>
  <input id="token" autocomplete="off" placeholder="token from POST /api/session">
  <div id="operations" aria-live="polite">Loading…</div>
</main>
<script nonce="${nonce}">
(async () => {
  const root = document.getElementById('operations');
  const el = (tag, props = {}, ...children) => {
    const node = document.createElement(tag);
    Object.assign(node, props);
    for (const child of children) node.append(child);
    return node;
  };
  let spec;
  try {
    spec = await (await fetch('/api/openapi.json')).json();
  } catch (error) {
    root.textContent = 'Could not load the API description: ' + error;
    return;
  }
  root.textContent = '';
  const byTag = new Map();
  for (const [path, item] of Object.entries(spec.paths || {})) {
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags && op.tags[0]) || 'Other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push({ path, method, op });
    }
  }
  const skeleton = (schema, depth = 0) => {
    if (!schema || depth > 4) return null;
    if (schema.$ref) return skeleton(spec.components.schemas[schema.$ref.split('/').pop()], depth + 1);
    if (schema.example !== undefined) return schema.example;
    if (schema.enum) return schema.enum[0];
    switch (schema.type) {
      case 'object': return Object.fromEntries(Object.entries(schema.properties || {}).map(([k, v]) => [k, skeleton(v, depth + 1)]));
      case 'array': return [];
      case 'string': return '';
      case 'integer': case 'number': return 0;
      case 'boolean': return false;
      default: return null;
    }
  };
  for (const [tag, ops] of byTag) {
    root.append(el('h2', { textContent: tag }));
    for (const { path, method, op } of ops) {
      const params = (op.parameters || []).map((p) => {
        const input = el('input', { name: p.name, placeholder: p.schema && p.schema.type || '' });
        input.dataset.in = p.in;
        return { p, input };
      });
      const bodySchema = op.requestBody && op.requestBody.content && op.requestBody.content['application/json'];
      const bodyInput = bodySchema ? el('textarea', { value: JSON.stringify(skeleton(bodySchema.schema), null, 2) }) : null;
      const output = el('pre', { hidden: true });
      const send = el('button', { type: 'button', textContent: 'Send' });
      send.addEventListener('click', async () => {
        let url = path;
        const query = new URLSearchParams();
        const headers = { accept: 'application/json' };
        for (const { p, input } of params) {
          if (!input.value) continue;
          if (p.in === 'path') url = url.replace('{' + p.name + '}', encodeURIComponent(input.value));
          else if (p.in === 'query') query.set(p.name, input.value);
          else if (p.in === 'header') headers[p.name] = input.value;
        }
        const token = document.getElementById('token').value.trim();
        if (token) headers.authorization = 'Bearer ' + token;
        const init = { method: method.toUpperCase(), headers, credentials: 'same-origin' };
        if (bodyInput) { headers['content-type'] = 'application/json'; init.body = bodyInput.value; }
        output.hidden = false;
        output.textContent = '…';
        try {
          const response = await fetch(url + (query.size ? '?' + query : ''), init);
          const text = await response.text();
          let pretty = text;
          try { pretty = JSON.stringify(JSON.parse(text), null, 2); } catch {}
          output.textContent = response.status + ' ' + response.statusText + '\\n\\n' + pretty;
        } catch (error) {
          output.textContent = String(error);
        }
      });
      const body = el('div', { className: 'body' },
        el('p', { textContent: op.description || '' }),
        ...params.flatMap(({ p, input }) => [el('label', { textContent: p.name + ' (' + p.in + (p.required ? ', required' : '') + ')' }), input]),
        ...(bodyInput ? [el('label', { textContent: 'JSON body' }), bodyInput] : []),
        send, output);
      root.append(el('details', {},
        el('summary', {}, el('span', { className: 'method ' + method, textContent: method }), el('span', { className: 'path', textContent: path }), el('span', { className: 'muted', textContent: op.summary || '' })),
        body));
    }
  }
})();
</script>
</body>
</html>`;
}
