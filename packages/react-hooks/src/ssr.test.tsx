// @vitest-environment node
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ResNetProvider, useClassification, useResNet } from './index.js';

describe('server rendering', () => {
  it('renders idle state and never starts a worker', () => {
    let started = 0;
    function App() {
      const m = useResNet({ model: 'fmnist-resnet20' });
      const q = useClassification(new Uint8Array([1]));
      return <p>{`${m.status}/${q.status}/${m.backend}`}</p>;
    }
    const html = renderToString(
      <ResNetProvider config={{ createWorker: () => (started++, null as never) }}>
        <App />
      </ResNetProvider>,
    );
    expect(html).toBe('<p>idle/idle/null</p>');
    expect(started).toBe(0);
  });
});
