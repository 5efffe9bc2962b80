/** Demo entry: the hooks run both models in Web Workers served next to this bundle. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ResNetProvider } from '../../../packages/react-hooks/src/index.js';
import { App } from './app.js';

const config = {
  workerUrl: new URL('./worker.js', import.meta.url).href,
  modelBaseUrl: new URL('./models/', document.baseURI).href,
};

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ResNetProvider config={config}>
      <App />
    </ResNetProvider>
  </StrictMode>,
);
