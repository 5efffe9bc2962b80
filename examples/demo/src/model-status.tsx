import type { UseResNetResult } from '../../../packages/react-hooks/src/index.js';

/** One model's load state: status, byte progress, backend and cache use. */
export function ModelStatus(props: { name: string; id: string; testId: string; model: UseResNetResult }) {
  const { status, progress, backend, error, cacheHits } = props.model;
  const pct = progress && progress.total > 0 ? Math.round((100 * progress.loaded) / progress.total) : status === 'ready' ? 100 : 0;
  return (
    <div
      className="model"
      data-testid={props.testId}
      data-status={status}
      data-backend={backend ?? ''}
      data-cache-hits={cacheHits}
      data-loaded={progress?.loaded ?? 0}
      data-total={progress?.total ?? 0}
    >
      <strong>
        {props.name} <span className="muted">{props.id}</span>
      </strong>
      <span>
        <span data-testid={`${props.testId}-status`}>{status}</span>
        {backend && (
          <>
            {' '}on <b data-testid={`${props.testId}-backend`}>{backend}</b>
          </>
        )}
        {status === 'ready' && cacheHits > 0 && <span className="muted"> (from cache, sha256 verified)</span>}
      </span>
      <div className="progress" title={progress ? `${progress.loaded} / ${progress.total} bytes` : ''}>
        <div style={{ width: `${pct}%` }} />
      </div>
      {progress && status === 'loading' && (
        <span className="muted">
          {(progress.loaded / 1024).toFixed(0)} / {(progress.total / 1024).toFixed(0)} KiB
        </span>
      )}
      {error && (
        <span className="error">
          {error.code}: {error.message}
        </span>
      )}
    </div>
  );
}
