// Baseline for the size table: the same React app without resnet-edge (what the hooks add is the difference).
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

function Labels() {
  const [image, setImage] = useState(null);
  useEffect(() => {
    fetch('./bag.png').then((r) => r.blob()).then(setImage);
  }, []);
  useEffect(() => {
    if (image) window.result = { baseline: image.size };
  }, [image]);
  return <p>{image ? image.size : 'loading'}</p>;
}

createRoot(document.getElementById('root')).render(<Labels />);
