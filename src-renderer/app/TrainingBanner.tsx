import { useTillStore } from '../store/store';

export function TrainingBanner() {
  const mode = useTillStore((s) => s.info?.mode);
  if (mode !== 'training') return null;
  return (
    <div className="training-banner" role="status" aria-label="Training mode">
      TRAINING — no real payments
    </div>
  );
}
