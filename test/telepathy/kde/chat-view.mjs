// Read what KDE Telepathy's chat view shows, through QtWebEngine's DevTools endpoint
// (QTWEBENGINE_REMOTE_DEBUGGING on loopback). Usage: node --experimental-websocket chat-view.mjs PORT EXPRESSION
// Prints the expression's value (evaluated in each page, as JSON) as one JSON array, one entry a page.
const [port, expression] = process.argv.slice(2);
const pages = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()).filter((t) => t.type === 'page');
const values = [];
for (const page of pages) {
  const socket = new WebSocket(page.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error(`cannot reach ${page.webSocketDebuggerUrl}`));
  });
  const reply = new Promise((resolve) => {
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.id === 1) resolve(message);
    };
  });
  socket.send(JSON.stringify({ id: 1, method: 'Runtime.evaluate', params: { expression, returnByValue: true } }));
  const { result } = await reply;
  values.push(result?.result?.value ?? null);
  socket.close();
}
console.log(JSON.stringify(values));
