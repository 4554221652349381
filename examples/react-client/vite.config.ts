import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * `npm run dev -w examples/react-client` serves the app on http://127.0.0.1:5173 and proxies /graphql
 * to the server `npm start` runs (CUSTOMER_GRAPH_URL, default http://127.0.0.1:4000): the browser
 * sees one origin, so no CORS. `npm run build -w examples/react-client` writes dist/.
 */
export default defineConfig({
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    proxy: { '/graphql': process.env['CUSTOMER_GRAPH_URL'] ?? 'http://127.0.0.1:4000' },
  },
});
