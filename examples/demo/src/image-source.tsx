/** Where images come from: file picker, drag and drop, paste, or the webcam toggle. */
import { useEffect, useState } from 'react';

function firstImage(files: FileList | null | undefined): File | null {
  for (const f of files ?? []) if (f.type.startsWith('image/') || f.type === '') return f;
  return null;
}

export function ImageSource(props: { onImage: (blob: Blob, name: string) => void; webcam: boolean; onWebcam: (on: boolean) => void }) {
  const { onImage } = props;
  const [over, setOver] = useState(false);

  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const file = firstImage(e.clipboardData?.files);
      if (file) {
        e.preventDefault();
        onImage(file, file.name || 'pasted image');
      }
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [onImage]);

  return (
    <div
      className={'drop' + (over ? ' over' : '')}
      data-testid="drop-zone"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const file = firstImage(e.dataTransfer.files);
        if (file) onImage(file, file.name);
      }}
    >
      Drop an image here, paste one (Ctrl+V), or
      <div className="controls" style={{ justifyContent: 'center' }}>
        <label>
          <input
            type="file"
            accept="image/*"
            data-testid="file-input"
            onChange={(e) => {
              const file = firstImage(e.currentTarget.files);
              if (file) onImage(file, file.name);
              e.currentTarget.value = '';
            }}
          />
        </label>
        <button type="button" onClick={() => props.onWebcam(!props.webcam)} data-testid="webcam-toggle">
          {props.webcam ? 'Stop webcam' : 'Use webcam'}
        </button>
      </div>
      <div className="controls" style={{ justifyContent: 'center' }}>
        <span className="muted">Samples:</span>
        {[
          ['item-0.png', 'ankle boot'],
          ['item-1.png', 'pullover'],
          ['item-2.png', 'trouser'],
          ['scene.png', 'scene'],
        ].map(([file, name]) => (
          <button
            key={file}
            type="button"
            onClick={async () => onImage(await (await fetch(`./samples/${file}`)).blob(), name!)}
          >
            {name}
          </button>
        ))}
      </div>
    </div>
  );
}
