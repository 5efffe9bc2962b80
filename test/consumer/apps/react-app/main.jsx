// React + Vite: useClassification with no worker configuration and no provider (the hooks' defaults).
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { useClassification } from '@resnet-edge/react-hooks';

function Labels() {
  const [image, setImage] = useState(null);
  useEffect(() => {
    fetch('./bag.png').then((r) => r.blob()).then(setImage);
  }, []);
  const q = useClassification(image, { model: 'fmnist-resnet20', topK: 3 });
  useEffect(() => {
    if (q.status === 'success') window.result = { top: q.data };
    if (q.status === 'error') window.result = { error: { code: q.error.code, message: q.error.message, details: q.error.details } };
  }, [q]);
  if (q.status === 'error') return <p className="error">{q.error.code}: {q.error.message}</p>;
  if (q.status !== 'success') return <p>classifying...</p>;
  return (
    <ul>
      {q.data.map((c) => (
        <li key={c.label}>
          {c.label} {(c.score * 100).toFixed(1)}%
        </li>
      ))}
    </ul>
  );
}

createRoot(document.getElementById('root')).render(<Labels />);
